import test from 'ava';
import { configParameters, readOverrides } from '../../src/ros/parameters.js';
import { ParameterType } from '../../src/ros/rclSurface.js';
import { sampleConfig } from './sampleConfig.js';

test('config keys become typed parameters, nested ones with dots', (t) => {
  const specs = new Map(configParameters(sampleConfig()).map((s) => [s.name, s]));
  t.deepEqual(specs.get('port'), { name: 'port', type: ParameterType.PARAMETER_INTEGER, value: 8010n });
  t.deepEqual(specs.get('rmf.qos_depth'), {
    name: 'rmf.qos_depth',
    type: ParameterType.PARAMETER_INTEGER,
    value: 10n,
  });
  t.deepEqual(specs.get('ros.namespace'), {
    name: 'ros.namespace',
    type: ParameterType.PARAMETER_STRING,
    value: '',
  });
  t.deepEqual(specs.get('iss'), { name: 'iss', type: ParameterType.PARAMETER_STRING, value: '' });
  t.false(specs.has('rmf'));
});

test('overrides: numbers instead of bigint, empty values and ROS’s own parameters left out', (t) => {
  const p = (name: string, type: number, value: unknown) => ({ name, type, value });
  t.deepEqual(
    readOverrides([
      p('port', ParameterType.PARAMETER_INTEGER, 8011n),
      p('rmf.follow_task_states', ParameterType.PARAMETER_BOOL, true),
      p('timezone', ParameterType.PARAMETER_STRING, ''),
      p('cors_origins', ParameterType.PARAMETER_STRING_ARRAY, ['https://a', 'https://b']),
      p('use_sim_time', ParameterType.PARAMETER_BOOL, true),
      p('qos_overrides./task_api_requests.publisher.depth', ParameterType.PARAMETER_INTEGER, 20n),
      p('huge', ParameterType.PARAMETER_INTEGER, 2n ** 63n - 1n),
    ]),
    {
      port: 8011,
      'rmf.follow_task_states': true,
      cors_origins: ['https://a', 'https://b'],
      huge: '9223372036854775807',
    },
  );
});
