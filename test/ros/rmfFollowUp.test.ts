/**
 * What happens after RMF accepted a task, end to end over the ROS stand-in (real store, engine,
 * facade, our node; stand-ins of RMF's dispatcher and a fleet adapter): RMF's dispatch states
 * are recorded on the firing and told on ~/events; an occurrence sent ahead of time and then
 * disabled is cancelled at the fleet adapter holding it; under use_sim_time the task's times are
 * stamped in ROS time from /clock.
 */
import test from 'ava';
import { applyRosParameters } from '../../src/loadConfig.js';
import { silentLogger } from '../../src/log.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { startRos } from '../../src/ros/startRos.js';
import { openStore } from '../../src/store/openStore.js';
import { Registry } from 'prom-client';
import { createFakeRos, echo, type FakeRos } from '../helpers/fakeRcl.js';
import { startFakeFleetAdapter, startFakeRmf } from '../helpers/fakeRclRmf.js';
import { createSimulatedClock, type SimulatedClock } from '../helpers/simulatedClock.js';
import { sampleConfig } from './sampleConfig.js';

const NOW = Date.parse('2026-03-09T12:00:00.000Z');

/** Lets the store's I/O and the ROS deliveries happen, a few milliseconds of clock at a time. */
async function until(clock: SimulatedClock, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !done(); i++) {
    await clock.advance(5);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (!done()) throw new Error(`never happened: ${what}`);
}

async function startNode(
  ros: FakeRos,
  t: { teardown(fn: () => Promise<void>): void },
  rosArgs: string[] = [],
) {
  const clock = createSimulatedClock(NOW);
  const argv = ['node', 'bin/task_scheduler.js', '--ros-args', ...rosArgs];
  const { config, ros: parameters } = applyRosParameters(sampleConfig(), argv, process.cwd());
  const started = await startRos({
    config,
    parameters,
    argv,
    clock,
    logger: silentLogger,
    load: async () => ({ ok: true, rcl: ros.rclnodejs() }),
  });
  if (!started.ok) throw new Error(started.reason);
  const node = started.ros;
  const store = await openStore({ dbUrl: 'sqlite::memory:', logger: silentLogger, clock });
  const registry = new Registry();
  const { scheduler } = await startRuntime({
    clock,
    store,
    dispatcher: node.dispatcher,
    logger: silentLogger,
    config: {
      timezone: 'UTC',
      misfire_policy: 'fire_once',
      misfire_grace_ms: 60_000,
      replica_id: 'a',
      sync_interval_ms: 1_000,
      rmf: node.config.rmf,
    },
    version: 'test',
    engine: { recoverWaitMs: 0 },
    metrics: createRuntimeMetrics(registry),
  });
  node.attach(scheduler);
  t.teardown(async () => {
    await scheduler.stop();
    await node.stop();
    await store.close();
  });
  const events: SchedulerEvent[] = [];
  scheduler.onEvent((e) => events.push(e));
  return { clock, scheduler, events, registry };
}

const patrol = (leadTimeMs = 0) => ({
  name: 'ward patrol',
  schedule: { kind: 'daily' as const, times: ['13:00'], timezone: 'UTC', start: '2026-03-01' },
  leadTimeMs,
  task: {
    type: 'dispatch_task_request' as const,
    request: { category: 'patrol', description: { places: ['ward_3'], rounds: 1 } },
  },
});

test('RMF’s dispatch states reach the firing: assigned to a fleet, or failed to assign with RMF’s errors', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { clock, scheduler, events, registry } = await startNode(ros, t);
  const rosEvents = await echo(ros, 'rmf_task_scheduler/msg/SchedulerEvent', '/task_scheduler/events');
  const rule = await scheduler.createRule(patrol(3_600_000), 'ops');
  await until(clock, () => events.some((e) => e.type === 'firing.recorded'), 'the firing');
  const [firing] = (await scheduler.listFirings({ ruleId: rule.id, order: 'asc', limit: 1, offset: 0 }))
    .items;
  if (!firing?.rmfTaskId) return t.fail('not dispatched');

  rmf.publishDispatchStates();
  await until(clock, () => events.some((e) => e.type === 'firing.updated'), 'queued');
  rmf.assign(firing.rmfTaskId, fleet, 'tinyRobot2');
  rmf.publishDispatchStates();
  rmf.publishDispatchStates(); // republished every 2 s: recorded once
  await until(
    clock,
    () => events.some((e) => e.type === 'firing.updated' && e.firing.dispatch?.status === 'dispatched'),
    'dispatched',
  );
  const stored = await scheduler.getFiring(firing.id);
  t.is(stored.status, 'dispatched');
  t.like(stored.dispatch, { status: 'dispatched', fleet: 'tinyRobot', robot: 'tinyRobot2', errors: [] });
  await ros.flush();
  t.deepEqual(
    rosEvents.map((e) => [e.event, e.dispatch_status, e.assigned_fleet]),
    [
      ['recorded', '', ''],
      ['dispatch', 'queued', ''],
      ['dispatch', 'dispatched', 'tinyRobot'],
    ],
  );
  t.regex(await registry.metrics(), /rmf_scheduler_dispatch_states_total\{status="dispatched"\} 1/);

  // The next one finds no fleet.
  const triggered = scheduler.triggerRule(rule.id, 'ops');
  let fired = false;
  void triggered.finally(() => (fired = true));
  await until(clock, () => fired, 'the manual firing');
  const second = await triggered;
  rmf.failToAssign(second.rmfTaskId as string, ['{"code":10,"category":"rejection","detail":"no bids"}']);
  rmf.publishDispatchStates();
  await until(
    clock,
    () => events.some((e) => e.type === 'firing.updated' && e.firing.dispatch?.status === 'failed_to_assign'),
    'failed_to_assign',
  );
  t.like((await scheduler.getFiring(second.id)).dispatch, {
    status: 'failed_to_assign',
    fleet: null,
    errors: ['{"code":10,"category":"rejection","detail":"no bids"}'],
  });
});

test('an occurrence sent ahead of time and disabled is cancelled at the fleet adapter holding its task', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const fleet = await startFakeFleetAdapter(ros, 'tinyRobot');
  const { clock, scheduler, events } = await startNode(ros, t);
  const rule = await scheduler.createRule(patrol(3_600_000), 'ops');
  await until(clock, () => events.some((e) => e.type === 'firing.recorded'), 'the firing');
  const [firing] = (await scheduler.listFirings({ ruleId: rule.id, order: 'asc', limit: 1, offset: 0 }))
    .items;
  const taskId = firing?.rmfTaskId as string;
  rmf.assign(taskId, fleet);
  const change = scheduler.updateOccurrence(
    `${rule.id}@2026-03-09T13:00:00.000Z`,
    { enabled: false, reason: 'ward closed' },
    'ops',
  );
  let done = false;
  void change.finally(() => (done = true));
  await until(clock, () => done, 'the cancel');
  const result = await change;
  t.like(result.cancellations[0]?.cancel, { state: 'canceled', by: 'fleet_adapter', rmfTaskId: taskId });
  t.deepEqual(rmf.cancelCalls, [[taskId, false]], 'the dispatcher first: it no longer holds it');
  t.deepEqual(fleet.cancelRequests, [[taskId, true]]);
  t.false(fleet.holds.has(taskId));
});

test('use_sim_time: earliest start and request time are stamped in ROS time; the schedule stays in wall time', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { clock, scheduler, events } = await startNode(ros, t, ['-p', 'use_sim_time:=true']);
  const gazebo = ros.rclnodejs();
  await gazebo.init(undefined, ['node', 'gazebo']);
  const clockPub = gazebo.createNode('gazebo').createPublisher('rosgraph_msgs/msg/Clock', '/clock');
  // The simulation has run for 600 s of ROS time.
  clockPub.publish({ clock: { sec: 600, nanosec: 0 } });
  await ros.flush();
  const offset = 600_000 - clock.now();

  await scheduler.createRule(
    { ...patrol(), schedule: { kind: 'daily', times: ['12:01'], timezone: 'UTC', start: '2026-03-01' } },
    'ops',
  );
  await clock.advance(60_000);
  await until(clock, () => events.some((e) => e.type === 'firing.recorded'), 'the firing');
  const sent = JSON.parse(rmf.received[0]?.json_msg ?? '{}') as {
    request: { unix_millis_earliest_start_time: number; unix_millis_request_time: number };
  };
  const wallDue = Date.parse('2026-03-09T12:01:00.000Z');
  t.is(sent.request.unix_millis_earliest_start_time, wallDue + offset, '600 s of ROS time + the minute');
  t.true(Math.abs(sent.request.unix_millis_request_time - (wallDue + offset)) < 1_000);
  const firing = events.find((e) => e.type === 'firing.recorded');
  t.is(firing?.type === 'firing.recorded' ? firing.firing.fireAt : 0, wallDue, 'recorded in wall time');
});
