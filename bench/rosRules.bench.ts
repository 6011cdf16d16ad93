/**
 * `~/rules` at 1,000, 10,000 and 100,000 rules: the size of the RuleList message as DDS would
 * serialize it (CDR), before (every rule in one message, as the node published it until now) and
 * after (the soonest due first, capped at about 1 MB, plus the total count), and the time one
 * publication takes. The rules are in a SQLite file, the real runtime arms them, ~/rules is
 * published on the in-memory ROS graph and read back by a late transient-local subscriber.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { silentLogger } from '../src/log.js';
import { createSimulatedDispatcher } from '../src/rmf/simulatedDispatcher.js';
import { ruleListBytes, toRuleListMsg } from '../src/ros/messages.js';
import { startSchedulerTopics } from '../src/ros/schedulerTopics.js';
import type { Schedule } from '../src/rules/Schedule.js';
import { startRuntime } from '../src/runtime/startRuntime.js';
import { openStore } from '../src/store/openStore.js';
import { createFakeRos, echo } from '../test/helpers/fakeRcl.js';
import { seedRules } from './runtimeSeed.js';

const NOW = Date.parse('2026-03-09T12:00:00.000Z');

function schedule(i: number): Schedule {
  const minute = i % 1440;
  const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
  return {
    kind: 'daily',
    times: [time],
    every: 1,
    timezone: 'Europe/Berlin',
    start: '2026-01-01T00:00:00',
    end: null,
    count: null,
  } as Schedule;
}

async function measure(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ros-rules-'));
  try {
    const file = join(dir, 'rules.sqlite');
    await seedRules(
      file,
      Array.from({ length: count }, (_, i) => ({ schedule: schedule(i) })),
      NOW - 86_400_000,
    );
    const clock = new SimulatedClock();
    clock.set(NOW);
    const store = await openStore({ dbUrl: `sqlite:${file}`, logger: silentLogger, clock });
    const dispatcher = createSimulatedDispatcher({ clock });
    const { scheduler } = await startRuntime({
      clock,
      store,
      dispatcher,
      logger: silentLogger,
      config: {
        timezone: 'UTC',
        misfire_policy: 'skip',
        misfire_grace_ms: 0,
        replica_id: 'bench',
        sync_interval_ms: 3_600_000,
        rmf: { dispatch_timeout_ms: 10_000, requester: 'bench' },
      },
      version: 'bench',
    });
    // Before: every rule in one message, from the facade's summary of all rules.
    await scheduler.rulesSummary();
    const beforeRuns: number[] = [];
    let before = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      before = ruleListBytes(toRuleListMsg(await scheduler.rulesSummary(), NOW));
      beforeRuns.push(performance.now() - start);
    }
    beforeRuns.sort((a, b) => a - b);

    const ros = createFakeRos();
    const rcl = ros.rclnodejs();
    await rcl.init(undefined, ['node', 'bench']);
    const node = rcl.createNode('task_scheduler');
    const topics = startSchedulerTopics({ rcl, node, scheduler, clock, logger: silentLogger });
    node.spin();
    await topics.publishRules(); // the first one (also warms the rule index)
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await topics.publishRules();
      runs.push(performance.now() - start);
    }
    const lists = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
      durability: 'transient_local',
    });
    await ros.flush();
    const list = lists.at(-1);
    if (!list) throw new Error('no RuleList received');
    topics.stop();
    rcl.shutdown();
    await scheduler.stop();
    await dispatcher.close();
    await store.close();
    runs.sort((a, b) => a - b);
    return {
      count,
      before,
      beforeMs: beforeRuns[1] ?? 0,
      after: ruleListBytes(list),
      included: list.rules.length,
      total: list.total,
      medianMs: runs[Math.floor(runs.length / 2)] ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} kB`;

export async function run(): Promise<void> {
  console.log(
    '| rules | before: one message of every rule | building it (median of 3) | after: ~/rules | rules in it (total) | one publication (median of 5) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const count of [1_000, 10_000, 100_000]) {
    const r = await measure(count);
    console.log(
      `| ${r.count.toLocaleString('en-US')} | ${kb(r.before)} | ${r.beforeMs.toFixed(0)} ms | ${kb(r.after)} | ${r.included.toLocaleString('en-US')} (${r.total.toLocaleString('en-US')}) | ${r.medianMs.toFixed(0)} ms |`,
    );
  }
}
