import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import type { Config } from '../../src/Config.js';
import { createMemoryLogger } from '../../src/log.js';
import { ParameterType } from '../../src/ros/rclSurface.js';
import { applyRosParameters } from '../../src/loadConfig.js';
import { startRos, type RosRuntime } from '../../src/ros/startRos.js';
import { createFakeRos, echo, type FakeRclModule, type FakeRos } from '../helpers/fakeRcl.js';
import { startFakeRmf } from '../helpers/fakeRclRmf.js';
import { sampleConfig } from './sampleConfig.js';
import type { FakeNode } from '../helpers/fakeRclNode.js';

async function start(ros: FakeRos, argv: string[], base: Config = sampleConfig()) {
  const rcl = ros.rclnodejs();
  const logger = createMemoryLogger();
  const { config, ros: parameters } = applyRosParameters(base, argv, process.cwd());
  const result = await startRos({
    config,
    parameters,
    argv: ['/usr/bin/node', 'bin/task_scheduler.js', ...argv],
    clock: new SimulatedClock(),
    logger,
    load: async () => ({ ok: true, rcl }),
  });
  if (!result.ok) throw new Error(result.reason);
  return { rcl, ros: result.ros, logger, parameters };
}

const rootNode = {
  node: { name: 'task_scheduler', namespace: '/', fqn: '/task_scheduler' },
  useSimTime: false,
};

test('the node takes its name, namespace and parameters from --ros-args, as ros2 launch passes them', async (t) => {
  const ros = createFakeRos();
  const { ros: node, parameters } = await start(ros, [
    '--ros-args',
    '--disable-stdout-logs',
    '-r',
    '__node:=scheduler_a',
    '-r',
    '__ns:=/site_a',
    '-p',
    'port:=8011',
    '-p',
    'db_url:=sqlite:/var/lib/rmf-task-scheduler/db.sqlite',
    '-p',
    'rmf.dispatch_timeout_ms:=9000',
    '-p',
    'rmf.follow_task_states:=true',
    '-p',
    'timezone:=Asia/Singapore',
    '-p',
    'use_sim_time:=false',
    '-p',
    "public_url:=''",
  ]);
  t.deepEqual(
    parameters.applied.map((p) => p.key),
    ['port', 'db_url', 'rmf.dispatch_timeout_ms', 'rmf.follow_task_states', 'timezone'],
  );
  t.is(node.config.port, 8011);
  t.is(node.config.rmf.dispatch_timeout_ms, 9000);
  t.deepEqual(node.names, {
    node: '/site_a/scheduler_a',
    requests: '/site_a/task_api_requests',
    responses: '/site_a/task_api_responses',
    taskStates: '/site_a/task_state_update',
    dispatchStates: '/site_a/dispatch_states',
    clock: null,
  });
  t.is(typeof node.dispatcher.onTaskState, 'function', 'the transport is built from the final config');
  t.deepEqual(ros.nodeNames(), ['/site_a/scheduler_a']);
  t.true(
    ros.rosout.some((l) => l.node === '/site_a/scheduler_a' && l.message.startsWith('RMF transport ready')),
    'the node logs to /rosout',
  );
  await node.stop();
});

/** Starts the node on the fake ROS with the sample config, showing each node it creates. */
async function startWatchingNode(watch: (node: ReturnType<FakeRclModule['createNode']>) => void) {
  const ros = createFakeRos();
  const rcl = ros.rclnodejs();
  const result = await startRos({
    config: sampleConfig(),
    parameters: rootNode,
    argv: ['node'],
    clock: new SimulatedClock(),
    logger: createMemoryLogger(),
    load: async () => ({
      ok: true,
      rcl: {
        ...rcl,
        createNode: (name: string, ns?: string) => {
          const node = rcl.createNode(name, ns);
          watch(node);
          return node;
        },
      } as FakeRclModule,
    }),
  });
  return { rcl, result };
}

test('every config key is declared as a ROS parameter with its current value', async (t) => {
  let declared: Array<{ name: string; type: number; value: unknown }> = [];
  const { result } = await startWatchingNode((node) => {
    const declare = node.declareParameter.bind(node);
    node.declareParameter = (p, d, ignoreOverride) => {
      if (p.name !== 'use_sim_time') declared.push({ name: p.name, type: p.type, value: p.value });
      return declare(p, d, ignoreOverride);
    };
  });
  t.true(result.ok);
  declared = declared.sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(declared.map((d) => [d.name, d]));
  t.deepEqual(byName.get('port'), { name: 'port', type: ParameterType.PARAMETER_INTEGER, value: 8010n });
  t.deepEqual(byName.get('rmf.transport'), {
    name: 'rmf.transport',
    type: ParameterType.PARAMETER_STRING,
    value: 'auto',
  });
  t.deepEqual(byName.get('rmf.follow_task_states'), {
    name: 'rmf.follow_task_states',
    type: ParameterType.PARAMETER_BOOL,
    value: false,
  });
  t.deepEqual(byName.get('public_url'), {
    name: 'public_url',
    type: ParameterType.PARAMETER_STRING,
    value: '',
  });
  t.deepEqual(byName.get('cors_origins'), {
    name: 'cors_origins',
    type: ParameterType.PARAMETER_STRING_ARRAY,
    value: [],
  });
  t.deepEqual(
    declared.map((d) => d.name),
    [
      'aud',
      'body_limit',
      'console_client_id',
      'cors_origins',
      'db_url',
      'heartbeat_interval_ms',
      'host',
      'iss',
      'jwt_public_key',
      'log_level',
      'metrics_public',
      'misfire_grace_ms',
      'misfire_policy',
      'oidc_url',
      'port',
      'public_url',
      'replica_id',
      'replica_overdue_ms',
      'rmf_web_routes',
      'rmf.cancel_service',
      'rmf.cancel_timeout_ms',
      'rmf.cancel_withdrawn',
      'rmf.dispatch_states_topic',
      'rmf.dispatch_timeout_ms',
      'rmf.follow_dispatch_states',
      'rmf.follow_task_states',
      'rmf.qos_depth',
      'rmf.requester',
      'rmf.requests_topic',
      'rmf.responses_topic',
      'rmf.sim_categories',
      'rmf.sim_robots',
      'rmf.sim_silent_labels',
      'rmf.sim_slow_labels',
      'rmf.sim_slow_ms',
      'rmf.task_state_topic',
      'rmf.transport',
      'ros.namespace',
      'ros.node_name',
      'sync_interval_ms',
      'timezone',
      'write_scope',
    ],
  );
  if (result.ok) await result.ros.stop();
});

test('the parameters are read-only: ros2 param set is refused, saying so, and changes nothing', async (t) => {
  let node: FakeNode | null = null;
  const { rcl, result } = await startWatchingNode((created) => (node = created as unknown as FakeNode));
  t.true(result.ok);
  const fake = node as unknown as FakeNode;
  t.deepEqual(fake.setParameter(new rcl.Parameter('port', ParameterType.PARAMETER_INTEGER, 9000)), {
    successful: false,
    reason: 'Parameter port is readonly',
  });
  t.is(fake.getParameter('port').value, 8010n, 'unchanged');
  const descriptor = fake.getParameterDescriptor('rmf.transport');
  t.true(descriptor?.readOnly);
  t.regex(descriptor?.description ?? '', /read when the node starts/);
  if (result.ok) await result.ros.stop();
});

test('a node that ROS names otherwise than its parameters were read for does not start, and ROS is shut down', async (t) => {
  const ros = createFakeRos();
  const rcl = ros.rclnodejs();
  const error = await t.throwsAsync(
    startRos({
      config: sampleConfig(),
      parameters: {
        node: { name: 'task_scheduler', namespace: '/site_a', fqn: '/site_a/task_scheduler' },
        useSimTime: false,
      },
      argv: ['node'],
      clock: new SimulatedClock(),
      logger: createMemoryLogger(),
      load: async () => ({ ok: true, rcl }),
    }),
  );
  t.regex(
    error?.message ?? '',
    /ROS named the node \/task_scheduler, but its parameters were read for \/site_a\/task_scheduler/,
  );
  t.true(rcl.isShutdown());
  t.deepEqual(ros.nodeNames(), []);
});

test('without usable ROS 2 it says why', async (t) => {
  const result = await startRos({
    config: sampleConfig(),
    argv: ['node'],
    clock: new SimulatedClock(),
    logger: createMemoryLogger(),
    parameters: rootNode,
    load: async () => ({ ok: false, reason: 'ROS 2 is not sourced' }),
  });
  t.deepEqual(result, { ok: false, reason: 'ROS 2 is not sourced' });
});

test('a bad --ros-args command line is a reason, not a crash', async (t) => {
  const ros = createFakeRos();
  const result = await startRos({
    config: sampleConfig(),
    argv: ['node', '--ros-args', '-p'],
    clock: new SimulatedClock(),
    logger: createMemoryLogger(),
    parameters: rootNode,
    load: async () => ({ ok: true, rcl: ros.rclnodejs() }),
  });
  t.false(result.ok);
  t.regex(result.ok ? '' : result.reason, /^ROS 2 initialisation failed/);
});

test('the tee logger writes to the given logger and to /rosout', async (t) => {
  const ros = createFakeRos();
  const { ros: node, logger } = await start(ros, []);
  const log = node.teeLogger(logger).child({ rule_id: 'r1' });
  log.info('firing dispatched', { rmf_task_id: 'patrol.dispatch-0', lateness_ms: 2 });
  t.like(logger.lines.at(-1), { msg: 'firing dispatched', rule_id: 'r1', rmf_task_id: 'patrol.dispatch-0' });
  t.like(ros.rosout.at(-1), {
    node: '/task_scheduler',
    level: 'info',
    message: 'firing dispatched rule_id=r1 rmf_task_id=patrol.dispatch-0 lateness_ms=2',
  });
  await node.stop();
  log.warn('after stop');
  t.is(logger.lines.at(-1)?.msg, 'after stop');
  t.not(ros.rosout.at(-1)?.message, 'after stop rule_id=r1');
});

test('requests go to RMF, the scheduler attaches, and stop() takes everything down cleanly', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { rcl, ros: node } = await start(ros, []);
  t.true(rcl.signalHandlersRemoved);
  const answer = await node.dispatcher.dispatch(
    {
      request_id: 'sched_x_1',
      json_msg: JSON.stringify({
        type: 'dispatch_task_request',
        request: { category: 'patrol', description: {} },
      }),
    },
    { timeoutMs: 5000 },
  );
  t.is(answer.kind, 'responded');
  t.is(rmf.received.length, 1);

  node.attach({
    listRules: async () => ({ items: [], total: 0, limit: 1000, offset: 0 }),
    onEvent: () => () => {},
    triggerRule: async () => {
      throw new Error('unused');
    },
    setRuleEnabled: async () => {
      throw new Error('unused');
    },
  });
  const lists = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
    durability: 'transient_local',
  });
  await ros.flush();
  t.is(lists.length, 1);

  await node.stop();
  await node.stop(); // idempotent
  t.true(rcl.isShutdown());
  t.deepEqual(
    ros.nodeNames().filter((n) => n.startsWith('/task_scheduler')),
    [],
  );
  t.is(
    (await node.dispatcher.dispatch({ request_id: 'y', json_msg: '{}' }, { timeoutMs: 1 })).kind,
    'failed',
  );
});

test('a second attach is refused', async (t) => {
  const ros = createFakeRos();
  const { ros: node } = await start(ros, []);
  const facade = {
    listRules: async () => ({ items: [], total: 0, limit: 1000, offset: 0 }),
    onEvent: () => () => {},
    triggerRule: async () => {
      throw new Error('unused');
    },
    setRuleEnabled: async () => {
      throw new Error('unused');
    },
  };
  node.attach(facade);
  t.throws(() => node.attach(facade), { message: /already attached/ });
  await (node as RosRuntime).stop();
});

test('parameters from the file ros2 launch writes (keyed by the full name) reach the node and show in ros2 param get', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'launch-params-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'launch_params_x1y2z3');
  writeFileSync(
    file,
    '/task_scheduler:\n  ros__parameters:\n    port: 8012\n    rmf.transport: ros\n    timezone: Asia/Singapore\n',
  );
  const ros = createFakeRos();
  let created: FakeNode | null = null;
  const rcl = ros.rclnodejs();
  const argv = ['--ros-args', '-r', '__node:=task_scheduler', '-r', '__ns:=/', '--params-file', file];
  const { config, ros: parameters } = applyRosParameters(sampleConfig(), argv, dir);
  const result = await startRos({
    config,
    parameters,
    argv,
    clock: new SimulatedClock(),
    logger: createMemoryLogger(),
    load: async () => ({
      ok: true,
      rcl: {
        ...rcl,
        createNode: (n: string, ns?: string) => (created = rcl.createNode(n, ns) as unknown as FakeNode),
      },
    }),
  });
  if (!result.ok) throw new Error(result.reason);
  t.is(result.ros.config.port, 8012);
  const node = created as unknown as FakeNode;
  t.is(node.getParameter('port').value, 8012n);
  t.is(node.getParameter('rmf.transport').value, 'ros');
  t.is(node.getParameter('timezone').value, 'Asia/Singapore');
  await result.ros.stop();
});
