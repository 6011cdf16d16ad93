import test from 'ava';
import { configParameters, configValue, isRosOwnParameter } from '../../src/ros/parameters.js';
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

test('values as the config loader gets them: numbers instead of bigint; ROS’s own parameters told apart', (t) => {
  t.is(configValue(8011n), 8011);
  t.is(configValue(2n ** 63n - 1n), '9223372036854775807');
  t.deepEqual(configValue([1n, 2n]), [1, 2]);
  t.deepEqual(configValue(['https://a']), ['https://a']);
  t.true(isRosOwnParameter('use_sim_time'));
  t.true(isRosOwnParameter('qos_overrides./task_api_requests.publisher.depth'));
  t.false(isRosOwnParameter('port'));
});
