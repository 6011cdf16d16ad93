/** The in-memory ROS stand-in behaves like rclnodejs + DDS where the node depends on it. */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParameterType } from '../../src/ros/rclSurface.js';
import { createFakeRos, echo, FakeQoS, type FakeRos } from '../helpers/fakeRcl.js';

const ros2 = () => createFakeRos().rclnodejs();

const { RMW_QOS_POLICY_HISTORY_KEEP_LAST: KEEP_LAST } = FakeQoS.HistoryPolicy;
const { RMW_QOS_POLICY_RELIABILITY_RELIABLE: RELIABLE, RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: BEST_EFFORT } =
  FakeQoS.ReliabilityPolicy;
const {
  RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: TRANSIENT_LOCAL,
  RMW_QOS_POLICY_DURABILITY_VOLATILE: VOLATILE,
} = FakeQoS.DurabilityPolicy;

async function nodeOn(ros: FakeRos, name: string, argv: string[] = [], namespace = '') {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', ...argv]);
  return { rcl, node: rcl.createNode(name, namespace) };
}

test('delivery is asynchronous and only to spinning nodes', async (t) => {
  const ros = createFakeRos();
  const { node: a } = await nodeOn(ros, 'a');
  const { node: b } = await nodeOn(ros, 'b');
  const got: string[] = [];
  b.createSubscription('std_msgs/msg/String', 'chatter', {}, (m) => got.push(m.data));
  const pub = a.createPublisher('std_msgs/msg/String', 'chatter');
  pub.publish({ data: 'one' });
  t.deepEqual(got, [], 'not inside publish()');
  await ros.flush();
  t.deepEqual(got, [], 'b does not spin yet');
  b.spin();
  await ros.flush();
  t.deepEqual(got, ['one']);
});

test('names: relative in the namespace, ~/ under the node, remaps and __node/__ns from --ros-args', async (t) => {
  const ros = createFakeRos();
  const { node } = await nodeOn(
    ros,
    'talker',
    ['--ros-args', '-r', '__ns:=/site', '-r', 'chatter:=/global_chat'],
    '',
  );
  t.is(node.namespace(), '/site');
  t.is(node.createPublisher('std_msgs/msg/String', 'status').topic, '/site/status');
  t.is(node.createPublisher('std_msgs/msg/String', '~/events').topic, '/site/talker/events');
  t.is(node.createPublisher('std_msgs/msg/String', '/abs').topic, '/abs');
  t.is(node.createPublisher('std_msgs/msg/String', 'chatter').topic, '/global_chat');
  t.throws(() => node.createPublisher('std_msgs/msg/String', 'bad name'), { message: /invalid topic name/ });
  const { node: renamed } = await nodeOn(ros, 'x', ['--ros-args', '-r', '__node:=y']);
  t.is(renamed.name(), 'y');
  t.deepEqual(ros.nodeNames(), ['/site/talker', '/y']);
});

test('QoS request/offered: BEST_EFFORT writer ↛ RELIABLE reader, VOLATILE writer ↛ TRANSIENT_LOCAL reader', async (t) => {
  const ros = createFakeRos();
  const { node: w } = await nodeOn(ros, 'w');
  const reliableVolatile = await echo(ros, 'std_msgs/msg/String', '/t', { durability: 'volatile' });
  const reliableTL = await echo(ros, 'std_msgs/msg/String', '/t', { durability: 'transient_local' });
  w.createPublisher('std_msgs/msg/String', '/t', {
    qos: new FakeQoS(KEEP_LAST, 10, BEST_EFFORT, VOLATILE),
  }).publish({ data: 'be' });
  w.createPublisher('std_msgs/msg/String', '/t', {
    qos: new FakeQoS(KEEP_LAST, 10, RELIABLE, VOLATILE),
  }).publish({ data: 'vol' });
  w.createPublisher('std_msgs/msg/String', '/t', {
    qos: new FakeQoS(KEEP_LAST, 10, RELIABLE, TRANSIENT_LOCAL),
  }).publish({ data: 'tl' });
  await ros.flush();
  t.deepEqual(
    reliableVolatile.map((m) => m.data),
    ['vol', 'tl'],
  );
  t.deepEqual(
    reliableTL.map((m) => m.data),
    ['tl'],
  );
  t.deepEqual(
    ros.incompatibilities.map((i) => i.policy),
    ['RELIABILITY', 'RELIABILITY', 'DURABILITY'],
  );
});

test('TRANSIENT_LOCAL history: the last `depth` messages reach a late transient-local reader, not a volatile one', async (t) => {
  const ros = createFakeRos();
  const { node: w } = await nodeOn(ros, 'w');
  const pub = w.createPublisher('std_msgs/msg/String', '/latched', {
    qos: new FakeQoS(KEEP_LAST, 2, RELIABLE, TRANSIENT_LOCAL),
  });
  for (const data of ['1', '2', '3']) pub.publish({ data });
  const late = await echo(ros, 'std_msgs/msg/String', '/latched', { durability: 'transient_local' });
  const lateVolatile = await echo(ros, 'std_msgs/msg/String', '/latched', { durability: 'volatile' });
  await ros.flush();
  t.deepEqual(
    late.map((m) => m.data),
    ['2', '3'],
  );
  t.deepEqual(lateVolatile, []);
});

test('a reader keeps at most `depth` undelivered messages', async (t) => {
  const ros = createFakeRos();
  const { node: w } = await nodeOn(ros, 'w');
  const { node: r } = await nodeOn(ros, 'r');
  const got: string[] = [];
  r.createSubscription(
    'std_msgs/msg/String',
    '/q',
    { qos: new FakeQoS(KEEP_LAST, 2, RELIABLE, VOLATILE) },
    (m) => got.push(m.data),
  );
  const pub = w.createPublisher('std_msgs/msg/String', '/q');
  for (const data of ['1', '2', '3', '4']) pub.publish({ data });
  await ros.flush();
  r.spin();
  await ros.flush();
  t.deepEqual(got, ['3', '4']);
});

test('messages follow the .msg: defaults filled, int64 as bigint, wrong types and unknown types refused', async (t) => {
  const ros = createFakeRos();
  const { node } = await nodeOn(ros, 'w');
  const seen = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/rules');
  const pub = node.createPublisher('rmf_task_scheduler/msg/RuleList', '/rules');
  pub.publish({
    stamp: { sec: 1, nanosec: 0 },
    total: 1,
    rules: [
      {
        id: 'a',
        name: 'n',
        enabled: true,
        state: 'finished',
        has_next_due: false,
        next_due_at_ms: 0n,
        next_due_at: '',
        labels: [],
      },
    ],
  });
  t.throws(() => pub.publish({ stamp: { sec: 1, nanosec: 0 }, rules: [{ enabled: 'yes' }] } as never), {
    message: /rules\[0\]\.enabled/,
  });
  t.throws(() => node.createPublisher('nope_msgs/msg/X' as never, '/x'), { message: /does not exist/ });
  await ros.flush();
  t.is(seen.length, 1);
  t.is(seen[0]?.rules[0]?.next_due_at_ms, 0n);
});

test('parameters from -p: typed like rcl (integers as bigint), global or for one node', async (t) => {
  const ros = createFakeRos();
  const { node } = await nodeOn(ros, 'task_scheduler', [
    '--ros-args',
    '-p',
    'port:=8011',
    '-p',
    'ratio:=0.5',
    '-p',
    'on:=true',
    '-p',
    'db_url:=sqlite:/tmp/x.db',
    '-p',
    'list:=[a, b]',
    '-p',
    'task_scheduler:mine:=1',
    '-p',
    'other_node:theirs:=1',
  ]);
  const set = Object.fromEntries(node.getParameterOverrides().map((p) => [p.name, [p.type, p.value]]));
  t.deepEqual(set, {
    port: [ParameterType.PARAMETER_INTEGER, 8011n],
    ratio: [ParameterType.PARAMETER_DOUBLE, 0.5],
    on: [ParameterType.PARAMETER_BOOL, true],
    db_url: [ParameterType.PARAMETER_STRING, 'sqlite:/tmp/x.db'],
    list: [ParameterType.PARAMETER_STRING_ARRAY, ['a', 'b']],
    mine: [ParameterType.PARAMETER_INTEGER, 1n],
  });
  const rcl = ros.rclnodejs();
  const declared = node.declareParameter(new rcl.Parameter('port', ParameterType.PARAMETER_INTEGER, 8010));
  t.is(declared.value, 8011n);
  t.is(node.declareParameter(new rcl.Parameter('host', ParameterType.PARAMETER_STRING, 'x')).value, 'x');
  t.throws(() => node.declareParameter(new rcl.Parameter('host', ParameterType.PARAMETER_STRING, 'y')), {
    message: /already declared/,
  });
  t.throws(() => new rcl.Parameter('bad', ParameterType.PARAMETER_BOOL, 'no'));
});

test('services answer asynchronously through response.send', async (t) => {
  const ros = createFakeRos();
  const { node } = await nodeOn(ros, 'srv');
  node.createService('rmf_task_scheduler/srv/TriggerRule', '~/trigger_rule', {}, (req, res) => {
    setTimeout(
      () =>
        res.send({
          success: true,
          message: req.rule_id,
          firing_id: '',
          outcome: '',
          request_id: '',
          rmf_task_id: '',
        }),
      1,
    );
  });
  await t.throwsAsync(
    ros.callService('/srv/trigger_rule', 'rmf_task_scheduler/srv/TriggerRule', { rule_id: 'r' }),
    {
      message: /not spinning/,
    },
  );
  node.spin();
  const answer = await ros.callService('/srv/trigger_rule', 'rmf_task_scheduler/srv/TriggerRule', {
    rule_id: 'r',
  });
  t.like(answer, { success: true, message: 'r' });
});

test('shutdown destroys the context’s nodes; init twice is refused', async (t) => {
  const ros = createFakeRos();
  const { rcl, node } = await nodeOn(ros, 'n');
  await t.throwsAsync(rcl.init(undefined, []), { message: /already been initialized/ });
  rcl.shutdown();
  t.true(rcl.isShutdown());
  t.deepEqual(ros.nodeNames(), []);
  t.throws(() => node.createPublisher('std_msgs/msg/String', 'x'), { message: /destroyed/ });
});

test('parameter overrides as rclnodejs 2.2.0 looks them up: /** and the bare name, never the fully qualified name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'params-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'params.yaml');
  writeFileSync(
    file,
    [
      '/**:',
      '  ros__parameters:',
      '    port: 8011',
      "    db_url: 'sqlite:/var/lib/x.sqlite'",
      '/site/task_scheduler:',
      '  ros__parameters:',
      '    timezone: Asia/Singapore',
      '/**/task_scheduler:',
      '  ros__parameters:',
      '    host: 0.0.0.0',
      'task_scheduler:',
      '  ros__parameters:',
      '    rmf:',
      '      transport: ros',
      '    cors_origins:',
      '    - https://a',
      '    - https://b',
      'other_node:',
      '  ros__parameters:',
      '    port: 1',
      '',
    ].join('\n'),
  );
  const { node } = await nodeOn(
    createFakeRos(),
    'task_scheduler',
    ['--ros-args', '--params-file', file],
    '/site',
  );
  // Seen on Jazzy: key /task_scheduler ignored; task_scheduler and /** applied. The bare name
  // applies in any namespace (rclcpp would take it in the root namespace only).
  t.deepEqual(Object.fromEntries(node.getParameterOverrides().map((p) => [p.name, p.value])), {
    port: 8011n,
    db_url: 'sqlite:/var/lib/x.sqlite',
    'rmf.transport': 'ros',
    cors_origins: ['https://a', 'https://b'],
  });
});

test('the parameters file ros2 launch writes (keyed by the full name) does not reach an rclnodejs node', async (t) => {
  const { node } = await nodeOn(createFakeRos(), 'task_scheduler', [
    '--ros-args',
    '-r',
    '__node:=task_scheduler',
    '-r',
    '__ns:=/',
    '--params-file',
    join(process.cwd(), 'test/fixtures/ros/launch_params__task_scheduler.yaml'),
  ]);
  t.deepEqual(node.getParameterOverrides(), []);
  const rcl = ros2();
  t.is(node.declareParameter(new rcl.Parameter('port', ParameterType.PARAMETER_INTEGER, 8010)).value, 8010n);
});

test('every node declares use_sim_time (rclnodejs TimeSource), from the overrides it reads', async (t) => {
  const ros = createFakeRos();
  const { node: plain } = await nodeOn(ros, 'a');
  t.is(plain.getParameter('use_sim_time').value, false);
  const { node: sim } = await nodeOn(ros, 'b', ['--ros-args', '-p', 'use_sim_time:=true']);
  t.is(sim.getParameter('use_sim_time').value, true);
});

// Serial: it runs before the concurrent tests, and what it removes is gone for the whole process.
test.serial(
  'loading rclnodejs installs one SIGINT handler that shuts every context down, until removeSignalHandlers',
  async (t) => {
    const before = process.listeners('SIGINT');
    const { rcl: a } = await nodeOn(createFakeRos(), 'a');
    const { rcl: b } = await nodeOn(createFakeRos(), 'b');
    const added = process.listeners('SIGINT').filter((l) => !before.includes(l));
    t.is(added.length, 1, 'one handler per process, however many contexts');
    (added[0] as () => void)(); // what a SIGINT does to the process
    t.true(a.isShutdown());
    t.true(b.isShutdown());
    const { rcl: c } = await nodeOn(createFakeRos(), 'c');
    c.removeSignalHandlers();
    t.deepEqual(process.listeners('SIGINT'), before);
    const { rcl: d } = await nodeOn(createFakeRos(), 'd');
    t.deepEqual(process.listeners('SIGINT'), before, 'the module loads once per process: no new handler');
    t.false(d.isShutdown());
    d.shutdown();
  },
);
