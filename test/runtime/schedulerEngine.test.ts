import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { occurrenceId } from '../../src/rules/ids.js';
import { openStore } from '../../src/store/openStore.js';
import { createSimulatedClock, type SimulatedClock } from '../helpers/simulatedClock.js';
import { dailyRule, iso, ms, NOW } from './schedulerFixture.js';

/** Lets the store's I/O and the simulated RMF's answers happen, a millisecond at a time. */
async function until(clock: SimulatedClock, done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) {
    await clock.advance(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function withEngine() {
  const clock = createSimulatedClock(NOW);
  const store = await openStore({ dbUrl: 'sqlite::memory:', logger: silentLogger, clock });
  const dispatcher = createSimulatedDispatcher({ clock });
  const { engine, scheduler } = await startRuntime({
    clock,
    store,
    dispatcher,
    logger: silentLogger,
    config: {
      timezone: 'UTC',
      misfire_policy: 'fire_once',
      misfire_grace_ms: 60_000,
      replica_id: 'a',
      sync_interval_ms: 1_000,
      rmf: { dispatch_timeout_ms: 5_000, requester: 'scheduler-test' },
    },
    version: 'test',
    engine: { recoverWaitMs: 0 },
  });
  return { clock, store, dispatcher, engine, scheduler };
}

test('with the real engine, a rule created through the facade fires and the calendar shows it', async (t) => {
  const { clock, store, scheduler } = await withEngine();
  t.teardown(async () => {
    await scheduler.stop();
    await store.close();
  });
  const events: SchedulerEvent[] = [];
  scheduler.onEvent((e) => events.push(e));

  const rule = await scheduler.createRule(dailyRule('noon patrol', ['12:01']), 'ops');
  t.is(iso(rule.nextDueAt), '2026-03-09T12:01:00.000Z');

  await clock.advance(60_000);
  await until(clock, () => events.some((e) => e.type === 'firing.recorded'));
  const recorded = events.find((e) => e.type === 'firing.recorded');
  t.like(recorded, { type: 'firing.recorded', ruleName: 'noon patrol' });

  const day = await scheduler.occurrences({
    from: ms('2026-03-09T00:00:00.000Z'),
    to: ms('2026-03-11T00:00:00.000Z'),
    limit: 10,
  });
  t.deepEqual(
    day.map((o) => [iso(o.at), o.state]),
    [
      ['2026-03-09T12:01:00.000Z', 'dispatched'],
      ['2026-03-10T12:01:00.000Z', 'scheduled'],
    ],
  );
  t.truthy(day[0]?.rmfTaskId);
  t.is(iso((await scheduler.getRule(rule.id)).nextDueAt), '2026-03-10T12:01:00.000Z');

  // Moving the next occurrence moves the rule's next due instant with it.
  const next = occurrenceId(rule.id, ms('2026-03-10T12:01:00.000Z'));
  await scheduler.updateOccurrence(next, { at: ms('2026-03-10T15:00:00.000Z') }, null);
  t.is(iso((await scheduler.getRule(rule.id)).nextDueAt), '2026-03-10T15:00:00.000Z');

  // A manual trigger resolves with the recorded firing.
  const triggered = scheduler.triggerRule(rule.id, 'ops');
  let settled = false;
  void triggered.finally(() => (settled = true));
  await until(clock, () => settled);
  const firing = await triggered;
  t.is(firing.trigger, 'manual');
  t.is(firing.status, 'dispatched');

  const health = await scheduler.health();
  t.like(health, { status: 'ok', rmf: { transport: 'simulated', simulated: true } });
  t.is(health.rules.armed, 1);
});

test('a disabled or deleted next occurrence is not the rule’s next due instant; enabling it again is', async (t) => {
  const { store, scheduler } = await withEngine();
  t.teardown(async () => {
    await scheduler.stop();
    await store.close();
  });
  const rule = await scheduler.createRule(dailyRule('night clean', ['23:00']), 'ops');
  t.is(iso(rule.nextDueAt), '2026-03-09T23:00:00.000Z');

  const tonight = occurrenceId(rule.id, ms('2026-03-09T23:00:00.000Z'));
  await scheduler.updateOccurrence(tonight, { enabled: false }, 'ops');
  await scheduler.deleteOccurrence(occurrenceId(rule.id, ms('2026-03-10T23:00:00.000Z')), null, 'ops');
  t.is(iso((await scheduler.getRule(rule.id)).nextDueAt), '2026-03-11T23:00:00.000Z');

  await scheduler.updateOccurrence(tonight, { enabled: true }, 'ops');
  t.is(iso((await scheduler.getRule(rule.id)).nextDueAt), '2026-03-09T23:00:00.000Z');
});
