/**
 * The ROS transport cancels a task the way RMF's own clients do, against stand-ins of RMF's
 * dispatcher (its cancel_task service, dispatch_states) and of a fleet adapter; follows
 * dispatch_states; and reads the ROS clock from /clock under simulation.
 */
import test from 'ava';
import { SimulatedClock } from 'xstate';
import type { RmfConfig } from '../../src/Config.js';
import { createMemoryLogger } from '../../src/log.js';
import type { ApiRequestMsg, DispatchStateUpdate } from '../../src/runtime/ports.js';
import { createRmfTransport, type RmfTransport } from '../../src/ros/rmfTransport.js';
import { createFakeRos, FakeQoS, type FakeRos } from '../helpers/fakeRcl.js';
import { sampleConfig } from './sampleConfig.js';
import { readExample, startFakeFleetAdapter, startFakeRmf, type FakeRmf } from '../helpers/fakeRclRmf.js';

const T0 = Date.parse('2026-03-09T12:00:00.000Z');

const rmfConfig = (): RmfConfig => ({ ...sampleConfig().rmf, transport: 'ros', cancel_timeout_ms: 2000 });

const example = readExample('ros_ApiRequest__dispatch_patrol.json') as ApiRequestMsg;
let n = 0;
const request = (): ApiRequestMsg => ({ json_msg: example.json_msg, request_id: `sched_patrol_${n++}` });

async function startTransport(ros: FakeRos, options: { useSimTime?: boolean; clock?: SimulatedClock } = {}) {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', 'task_scheduler']);
  const node = rcl.createNode('task_scheduler');
  const clock = options.clock ?? new SimulatedClock();
  if (!options.clock) clock.set(T0);
  const transport = createRmfTransport({
    rcl,
    node,
    rmf: rmfConfig(),
    clock,
    logger: createMemoryLogger(),
    ...(options.useSimTime !== undefined ? { useSimTime: options.useSimTime } : {}),
  });
  node.spin();
  return { transport, clock };
}

/** Dispatches one request through the transport; RMF's task id and when it was given. */
async function dispatchOne(transport: RmfTransport, clock: SimulatedClock) {
  const answer = await transport.dispatch(request(), { timeoutMs: 5000 });
  if (answer.kind !== 'responded') throw new Error(answer.kind);
  const id = (answer.response as { state: { booking: { id: string } } }).state.booking.id;
  return { id, gotAt: clock.now() };
}

/** Resolves `promise` while moving the simulated clock on in steps (timeouts are on it). */
async function withClock<T>(
  ros: FakeRos,
  clock: SimulatedClock,
  promise: Promise<T>,
  stepMs = 250,
): Promise<T> {
  let done = false;
  const settled = promise.finally(() => (done = true));
  while (!done) {
    await ros.flush();
    if (!done) clock.increment(stepMs);
  }
  return settled;
}

const cancel = (t: RmfTransport, id: string, gotAt: number | null) =>
  (t.cancel as NonNullable<RmfTransport['cancel']>)(
    { rmfTaskId: id, gotAt, labels: ['scheduler'] },
    { timeoutMs: 2000 },
  );

test('a task still in bidding is cancelled by the dispatcher’s cancel_task service; no fleet is asked', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { transport, clock } = await startTransport(ros);
  const task = await dispatchOne(transport, clock);
  const answer = await withClock(ros, clock, cancel(transport, task.id, task.gotAt));
  t.like(answer, { state: 'canceled', by: 'dispatcher' });
  t.deepEqual(rmf.cancelCalls, [[task.id, true]]);
  t.deepEqual(fleet.cancelRequests, []);
  t.is(rmf.tasks.get(task.id)?.status, 5, 'canceled in flight');
});

test('a task already dispatched to a fleet: the dispatcher says no, the fleet adapter holding it cancels it', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const other = await startFakeFleetAdapter(ros, 'deliveryRobot');
  const { transport, clock } = await startTransport(ros);
  const task = await dispatchOne(transport, clock);
  rmf.assign(task.id, fleet);
  const answer = await withClock(ros, clock, cancel(transport, task.id, task.gotAt));
  t.like(answer, { state: 'canceled', by: 'fleet_adapter' });
  t.deepEqual(rmf.cancelCalls, [[task.id, false]]);
  t.deepEqual(fleet.cancelRequests, [[task.id, true]]);
  t.deepEqual(
    other.cancelRequests,
    [[task.id, false]],
    'every fleet adapter sees it; only the holder answers',
  );
  const sent = rmf.received.map((r) => JSON.parse(r.json_msg) as Record<string, unknown>).at(-1);
  t.like(sent, { type: 'cancel_task_request', task_id: task.id, labels: ['scheduler'] });
  t.regex(rmf.received.at(-1)?.request_id ?? '', /^cancel_task_/);
});

test('nobody holds the task: no answer in time is a failed cancel, saying what was tried', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { transport, clock } = await startTransport(ros);
  const task = await dispatchOne(transport, clock);
  rmf.assign(task.id, { fleet: 'gone', holds: new Set(), cancelRequests: [], stop: () => {} });
  const answer = await withClock(ros, clock, cancel(transport, task.id, task.gotAt));
  if (answer.state !== 'failed') return t.fail(answer.state);
  t.deepEqual(answer.errors, [
    `the dispatcher no longer holds ${task.id} (it was dispatched to a fleet)`,
    `no fleet adapter answered the cancel_task_request for ${task.id} within 2000 ms (no robot holds it, or the fleet is in an emergency pullover)`,
  ]);
});

test('without a dispatcher on the graph the fleet adapters are asked directly', async (t) => {
  const ros = createFakeRos();
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { transport, clock } = await startTransport(ros);
  fleet.holds.add('sched_robot_1');
  const answer = await withClock(ros, clock, cancel(transport, 'sched_robot_1', null));
  t.like(answer, { state: 'canceled', by: 'fleet_adapter' });
});

test('after the dispatcher restarted, an id it gave before is not cancelled: it may name another task now', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { transport, clock } = await startTransport(ros);
  const before = await dispatchOne(transport, clock);
  await dispatchOne(transport, clock);
  rmf.restart();
  clock.increment(1000);
  const after = await dispatchOne(transport, clock); // patrol.dispatch-0 again
  t.is(after.id, before.id);
  const answer = await withClock(ros, clock, cancel(transport, before.id, before.gotAt));
  if (answer.state !== 'failed') return t.fail(answer.state);
  t.regex(
    answer.errors[0] ?? '',
    /may name another task now .*task counter started again.*use_unique_hex_string_with_task_id/,
  );
  t.deepEqual(rmf.cancelCalls, [], 'the dispatcher was not even asked');
  t.like(await withClock(ros, clock, cancel(transport, after.id, after.gotAt)), { state: 'canceled' });
});

test('an id got before this process started is trusted only if it is unique by itself', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { transport, clock } = await startTransport(ros);
  const earlier = T0 - 3_600_000;
  const sequential = await withClock(ros, clock, cancel(transport, 'patrol.dispatch-3', earlier));
  t.is(sequential.state, 'failed');
  t.regex(
    sequential.state === 'failed' ? (sequential.errors[0] ?? '') : '',
    /given before this scheduler started/,
  );
  fleet.holds.add('patrol.dispatch-3fa9c');
  fleet.holds.add('patrol.dispatch-1773057600000');
  t.like(await withClock(ros, clock, cancel(transport, 'patrol.dispatch-3fa9c', earlier)), {
    state: 'canceled',
  });
  t.like(await withClock(ros, clock, cancel(transport, 'patrol.dispatch-1773057600000', earlier)), {
    state: 'canceled',
  });
  t.deepEqual(
    rmf.cancelCalls.map(([id]) => id),
    ['patrol.dispatch-3fa9c', 'patrol.dispatch-1773057600000'],
  );
});

async function dispatchStates(ros: FakeRos, rmf: FakeRmf, seen: DispatchStateUpdate[]) {
  rmf.publishDispatchStates();
  await ros.flush();
  return seen.splice(0);
}

test('dispatch_states: each change of a task’s state is reported once, with the fleet or RMF’s errors', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { transport, clock } = await startTransport(ros);
  const seen: DispatchStateUpdate[] = [];
  transport.onDispatchState?.((u) => seen.push(u));
  const a = await dispatchOne(transport, clock);
  const b = await dispatchOne(transport, clock);
  t.deepEqual(
    (await dispatchStates(ros, rmf, seen)).map((u) => [u.taskId, u.dispatch.status]),
    [
      [a.id, 'queued'],
      [b.id, 'queued'],
    ],
  );
  t.deepEqual(await dispatchStates(ros, rmf, seen), [], 'republished unchanged: nothing new');
  rmf.assign(a.id, fleet, 'tinyRobot2');
  rmf.failToAssign(b.id);
  const updates = await dispatchStates(ros, rmf, seen);
  t.deepEqual(
    updates.map((u) => [u.taskId, u.dispatch.status, u.dispatch.fleet, u.dispatch.robot, u.dispatch.errors]),
    [
      [a.id, 'dispatched', 'tinyRobot', 'tinyRobot2', []],
      [
        b.id,
        'failed_to_assign',
        null,
        null,
        ['{"code":10,"category":"rejection","detail":"No fleet bid for the task"}'],
      ],
    ],
  );
  t.is(updates[0]?.since, T0, 'sequential ids: trusted since the transport started');
});

test('a restarted dispatcher (its states no longer list our newest task) is noticed: ids from before are no longer cancelled', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { transport, clock } = await startTransport(ros);
  const seen: DispatchStateUpdate[] = [];
  transport.onDispatchState?.((u) => seen.push(u));
  const task = await dispatchOne(transport, clock);
  await dispatchStates(ros, rmf, seen);
  rmf.restart();
  clock.increment(10_000);
  t.deepEqual(await dispatchStates(ros, rmf, seen), []);
  const answer = await withClock(ros, clock, cancel(transport, task.id, task.gotAt));
  t.is(answer.state, 'failed');
  t.regex(answer.state === 'failed' ? (answer.errors[0] ?? '') : '', /dispatch_states no longer list/);
});

test('use_sim_time: RMF’s clock is /clock; the offset waits for the first message and follows the latest', async (t) => {
  const ros = createFakeRos();
  const { transport, clock } = await startTransport(ros, { useSimTime: true });
  t.is(transport.topics.clock, '/clock');
  const rmfClock = transport.rmfClock;
  if (!rmfClock) return t.fail('no RMF clock with use_sim_time');
  t.is(await withClock(ros, clock, rmfClock.offsetMs(1000)), null, 'no /clock yet');

  const gazebo = ros.rclnodejs();
  await gazebo.init(undefined, ['node', 'gazebo']);
  const sim = gazebo.createNode('gazebo');
  // Gazebo's bridge publishes /clock reliably; the node reads it best-effort (rclcpp's ClockQoS).
  const pub = sim.createPublisher('rosgraph_msgs/msg/Clock', '/clock', {
    qos: new FakeQoS(
      FakeQoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
      10,
      FakeQoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE,
      FakeQoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE,
    ),
  });
  const waiting = rmfClock.offsetMs(5000);
  const wall = clock.now();
  pub.publish({ clock: { sec: 1234, nanosec: 500_000_000 } });
  await ros.flush();
  t.is(await waiting, 1_234_500 - wall);
  clock.increment(2000);
  pub.publish({ clock: { sec: 1236, nanosec: 0 } });
  await ros.flush();
  t.is(await rmfClock.offsetMs(0), 1_236_000 - (wall + 2000));

  const plain = await startTransport(createFakeRos());
  t.is(plain.transport.rmfClock, undefined, 'wall clock without use_sim_time');
});
