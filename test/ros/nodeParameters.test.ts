/**
 * ROS parameters as an rclcpp node takes them: rcl's command line and parameter files, rclcpp's
 * matching of entry names against the fully qualified node name (wildcards, bare names), and
 * rcl's precedence.
 */
import test from 'ava';
import { entryMatches, nodeIdentity, nodeParameters } from '../../src/ros/nodeParameters.js';
import { parseRosArguments, parseParamValue, RosArgumentsError } from '../../src/ros/rosArguments.js';

const files = (map: Record<string, string>) => (path: string) => {
  const text = map[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};

/** The values that reach the node /ns/name (or /name) for this command line. */
function resolved(argv: string[], read: Record<string, string> = {}, name = 'task_scheduler', ns = '') {
  const args = parseRosArguments(['--ros-args', ...argv], files(read));
  const node = nodeIdentity(args, name, ns);
  const { values, named } = nodeParameters(args, node);
  return {
    fqn: node.fqn,
    values: Object.fromEntries([...values].map(([k, v]) => [k, v.value])),
    named: [...named].sort(),
  };
}

test('entry names match the fully qualified name as rclcpp matches them', (t) => {
  const cases: Array<[string, string, boolean]> = [
    ['/**', '/task_scheduler', true],
    ['/**', '/site_a/task_scheduler', true],
    ['/task_scheduler', '/task_scheduler', true],
    ['/task_scheduler', '/site_a/task_scheduler', false],
    // a bare name gains a leading "/": the root namespace only (rclnodejs takes it anywhere)
    ['task_scheduler', '/task_scheduler', true],
    ['task_scheduler', '/site_a/task_scheduler', false],
    ['/site_a/task_scheduler', '/site_a/task_scheduler', true],
    ['site_a/task_scheduler', '/site_a/task_scheduler', true],
    ['/*/task_scheduler', '/site_a/task_scheduler', true],
    ['/*/task_scheduler', '/task_scheduler', false],
    ['/*/task_scheduler', '/a/b/task_scheduler', false],
    ['/**/task_scheduler', '/task_scheduler', true],
    ['/**/task_scheduler', '/a/b/task_scheduler', true],
    ['/**/task_scheduler', '/a/b/other_node', false],
    ['/site_a/*', '/site_a/task_scheduler', true],
    ['/site_b/*', '/site_a/task_scheduler', false],
    ['/rmf_dispatcher_node', '/task_scheduler', false],
  ];
  for (const [entry, fqn, expected] of cases) t.is(entryMatches(entry, fqn), expected, `${entry} vs ${fqn}`);
});

test('the node is named by its first applicable __node / __ns remap', (t) => {
  const args = parseRosArguments([
    '--ros-args',
    '-r',
    'other:__node:=nope',
    '-r',
    'task_scheduler:__ns:=/site_b',
    '-r',
    '__node:=scheduler_a',
    '-r',
    '__node:=scheduler_b',
  ]);
  t.deepEqual(nodeIdentity(args, 'task_scheduler', ''), {
    name: 'scheduler_a',
    namespace: '/site_b',
    fqn: '/site_b/scheduler_a',
  });
  t.deepEqual(nodeIdentity(parseRosArguments([]), 'task_scheduler', 'site_c'), {
    name: 'task_scheduler',
    namespace: '/site_c',
    fqn: '/site_c/task_scheduler',
  });
});

test('values are typed as rcl types them; quotes and !!str keep strings', (t) => {
  t.is(parseParamValue('8011'), 8011n);
  t.is(parseParamValue('0x1F'), 31n);
  t.is(parseParamValue('010'), 8n, 'strtoll base 0: leading 0 is octal');
  t.is(parseParamValue('-3'), -3n);
  t.is(parseParamValue('2.5'), 2.5);
  t.is(parseParamValue('1e3'), 1000);
  t.is(parseParamValue('.inf'), Infinity);
  t.is(parseParamValue('yes'), true);
  t.is(parseParamValue('Off'), false);
  t.is(parseParamValue('"8011"'), '8011');
  t.is(parseParamValue("'true'"), 'true');
  t.is(parseParamValue('!!str 12'), '12');
  t.is(parseParamValue("''"), '');
  t.is(parseParamValue('sqlite:/var/lib/x.sqlite'), 'sqlite:/var/lib/x.sqlite');
  t.is(parseParamValue('99999999999999999999'), 1e20, 'beyond int64 it is a double');
  t.deepEqual(parseParamValue('[https://a, https://b]'), ['https://a', 'https://b']);
  t.deepEqual(parseParamValue('[1, 2]'), [1n, 2n]);
  t.throws(() => parseParamValue('[1, a]'), { instanceOf: RosArgumentsError, message: /one type/ });
});

test('-p rules: no node prefix is the /** entry, a bare token prefix names a node, an empty value is refused', (t) => {
  const args = parseRosArguments(['--ros-args', '-p', 'port:=8011', '-p', 'task_scheduler:timezone:=UTC']);
  t.deepEqual(
    args.params.map((e) => [e.node, [...e.params.keys()]]),
    [
      ['/**', ['port']],
      ['task_scheduler', ['timezone']],
    ],
  );
  t.throws(() => parseRosArguments(['--ros-args', '-p', 'public_url:=']), {
    instanceOf: RosArgumentsError,
    message: /has no value/,
  });
  t.throws(() => parseRosArguments(['--ros-args', '-p', 'nonsense']), { message: /cannot parse/ });
  t.throws(() => parseRosArguments(['--ros-args', '--params-file']), { message: /needs a value/ });
  // outside --ros-args nothing is ROS's
  t.deepEqual(parseRosArguments(['-p', 'port:=1', '--ros-args', '--', '-p', 'port:=2']).params, []);
});

test('parameter files: nested node names, nested parameter maps, lists, and bad files named', (t) => {
  const text = [
    'site_a:',
    '  task_scheduler:',
    '    ros__parameters:',
    '      rmf:',
    '        transport: ros',
    '        qos_depth: 20',
    '      cors_origins:',
    '        - https://a',
    '        - https://b',
    '',
  ].join('\n');
  t.deepEqual(resolved(['--params-file', 'p.yaml'], { 'p.yaml': text }, 'task_scheduler', '/site_a'), {
    fqn: '/site_a/task_scheduler',
    values: { 'rmf.transport': 'ros', 'rmf.qos_depth': 20n, cors_origins: ['https://a', 'https://b'] },
    named: ['cors_origins', 'rmf.qos_depth', 'rmf.transport'],
  });
  t.throws(() => parseRosArguments(['--ros-args', '--params-file', 'missing.yaml'], files({})), {
    message: /cannot read the ROS parameters file missing\.yaml/,
  });
  t.throws(
    () => parseRosArguments(['--ros-args', '--params-file', 'bad.yaml'], files({ 'bad.yaml': 'a: [' })),
    {
      message: /bad\.yaml is not valid YAML/,
    },
  );
  t.throws(
    () => parseRosArguments(['--ros-args', '--params-file', 'v.yaml'], files({ 'v.yaml': 'port: 8011\n' })),
    { message: /has a value before ros__parameters/ },
  );
});

test('precedence as in rcl: within an entry the later value wins; a later entry wins over an earlier one', (t) => {
  const read = {
    'site.yaml': '/**:\n  ros__parameters:\n    port: 1\n    timezone: UTC\n',
    'launch.yaml': '/task_scheduler:\n  ros__parameters:\n    port: 2\n',
  };
  // launch_ros: the site's file (params_file argument) first, then its own file
  t.like(resolved(['--params-file', 'site.yaml', '--params-file', 'launch.yaml'], read).values, {
    port: 2n,
    timezone: 'UTC',
  });
  t.like(resolved(['--params-file', 'launch.yaml', '--params-file', 'site.yaml'], read).values, { port: 1n });
  t.like(resolved(['--params-file', 'launch.yaml', '-p', 'port:=3'], read).values, { port: 3n });
  t.like(resolved(['-p', 'task_scheduler:port:=3', '--params-file', 'launch.yaml'], read).values, {
    port: 2n,
  });
  t.like(resolved(['-p', 'port:=3', '-p', 'port:=4'], read).values, { port: 4n });
});

test('only entries for this node apply; the ones naming it exactly are told apart from wildcards', (t) => {
  const read = {
    'all.yaml': [
      '/**:',
      '  ros__parameters:',
      '    use_sim_time: true',
      '/rmf_dispatcher_node:',
      '  ros__parameters:',
      '    bidding_time_window: 2.0',
      '/*/task_scheduler:',
      '    ros__parameters:',
      '      port: 9001',
      '/site_a/task_scheduler:',
      '  ros__parameters:',
      '    timezone: Asia/Singapore',
      'task_scheduler:',
      '  ros__parameters:',
      '    host: 0.0.0.0',
      '',
    ].join('\n'),
  };
  t.deepEqual(resolved(['--params-file', 'all.yaml'], read, 'task_scheduler', '/site_a'), {
    fqn: '/site_a/task_scheduler',
    values: { use_sim_time: true, port: 9001n, timezone: 'Asia/Singapore' },
    named: ['timezone'],
  });
  t.deepEqual(resolved(['--params-file', 'all.yaml'], read), {
    fqn: '/task_scheduler',
    values: { use_sim_time: true, host: '0.0.0.0' },
    named: ['host'],
  });
});
