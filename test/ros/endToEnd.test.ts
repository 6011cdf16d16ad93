/**
 * End to end over ROS 2 (the in-memory stand-in): the real store, engine and facade, our node
 * started by startRos, and a stand-in RMF dispatcher on the same graph. A rule fires through the
 * engine, RMF's answer comes back over task_api_responses, the firing is recorded as dispatched
 * with RMF's task id, and ~/events and ~/trigger_rule show it to ROS users.
 */
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { applyRosParameters } from '../../src/loadConfig.js';
import { startRos } from '../../src/ros/startRos.js';
import { openStore } from '../../src/store/openStore.js';
import { createFakeRos, echo } from '../helpers/fakeRcl.js';
import { startFakeRmf } from '../helpers/fakeRclRmf.js';
import { createSimulatedClock, type SimulatedClock } from '../helpers/simulatedClock.js';
import { sampleConfig } from './sampleConfig.js';

const NOW = Date.parse('2026-03-09T12:00:00.000Z');

/** Lets the store's I/O and the ROS deliveries happen, a millisecond of clock at a time. */
async function until(clock: SimulatedClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) {
    await clock.advance(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test('a rule fires through the real engine over ROS and is recorded as dispatched with RMF’s task id', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const clock = createSimulatedClock(NOW);
  const argv = ['node', 'bin/task_scheduler.js', '--ros-args', '-p', 'rmf.dispatch_timeout_ms:=5000'];
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
  });
  node.attach(scheduler);
  t.teardown(async () => {
    await scheduler.stop();
    await node.stop();
    await store.close();
  });
  const events: SchedulerEvent[] = [];
  scheduler.onEvent((e) => events.push(e));
  const rosEvents = await echo(ros, 'rmf_task_scheduler/msg/SchedulerEvent', '/task_scheduler/events');

  const rule = await scheduler.createRule(
    {
      name: 'noon patrol',
      schedule: { kind: 'daily', times: ['12:01'], timezone: 'UTC', start: '2026-03-01' },
      task: {
        type: 'dispatch_task_request',
        request: { category: 'patrol', description: { places: ['lobby'], rounds: 1 } },
      },
    },
    'ops',
  );
  await clock.advance(60_000);
  await until(clock, () => events.some((e) => e.type === 'firing.recorded'));

  t.is(rmf.received.length, 1);
  const sent = JSON.parse(rmf.received[0]!.json_msg) as {
    request: { unix_millis_earliest_start_time: number };
  };
  t.is(sent.request.unix_millis_earliest_start_time, Date.parse('2026-03-09T12:01:00.000Z'));
  const firings = await scheduler.listFirings({ ruleId: rule.id, order: 'asc', limit: 10, offset: 0 });
  t.like(firings.items[0], {
    status: 'dispatched',
    rmfTaskId: 'patrol.dispatch-0',
    requestId: rmf.received[0]!.request_id,
  });
  await ros.flush();
  t.like(rosEvents[0], { rule_name: 'noon patrol', outcome: 'dispatched', rmf_task_id: 'patrol.dispatch-0' });

  // A manual trigger over ROS goes the same way.
  const answerPromise = ros.callService(
    '/task_scheduler/trigger_rule',
    'rmf_task_scheduler/srv/TriggerRule',
    {
      rule_id: rule.id,
    },
  );
  let answer: Awaited<typeof answerPromise> | null = null;
  void answerPromise.then((a) => (answer = a));
  await until(clock, () => answer !== null);
  t.like(answer, { success: true, outcome: 'dispatched', rmf_task_id: 'patrol.dispatch-1' });
});
