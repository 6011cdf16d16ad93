/**
 * Except dates: every occurrence on one of a schedule's local dates is disabled — recorded as
 * skipped with the date as its reason, never sent — and the next occurrence to be sent is after it.
 */
import test from 'ava';
import type { Schedule } from '../../src/rules/Schedule.js';
import { decideClaim } from '../../src/runtime/claimDecider.js';
import { NO_OVERRIDES, nextSentFiring } from '../../src/runtime/occurrenceSequence.js';
import { at, daily, interval, newRule } from './support/fixtures.js';
import { createHarness } from './support/harness.js';

test('a minute schedule with a week of except dates: the next firing sent is the day after, found at once', (t) => {
  const everyMinute: Schedule = {
    ...interval(60, '2026-01-01T00:00:00', 'Europe/Berlin'),
    exceptDates: [
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ],
  };
  // 2026-03-01 23:59 in Berlin (UTC+1): the next minute is on the first except date.
  const next = nextSentFiring(everyMinute, NO_OVERRIDES, at('2026-03-01T22:59:00.000Z'));
  t.deepEqual(next, { dueAt: at('2026-03-08T23:00:00.000Z'), fireAt: at('2026-03-08T23:00:00.000Z') });
});

test('the claim of an occurrence on an except date is skipped, naming the date in the rule zone', (t) => {
  const schedule: Schedule = { ...daily(['00:30:00'], 'Asia/Singapore'), exceptDates: ['2026-02-11'] };
  const rule = { ...newRule({ schedule }), id: 'r', createdAt: 0, updatedAt: 0, version: 1 };
  // 00:30 on 2026-02-11 in Singapore is 16:30 UTC on the 10th.
  const excepted = {
    ruleId: 'r',
    dueAt: at('2026-02-10T16:30:00.000Z'),
    fireAt: at('2026-02-10T16:30:00.000Z'),
  };
  const claim = { ...excepted, trigger: 'schedule' as const, requestId: 'x', claimedAt: 0, replicaId: 'a' };
  t.deepEqual(decideClaim(claim, rule, null, undefined), {
    action: 'skip',
    reason: 'the occurrence is disabled: 2026-02-11 is an except date of the schedule',
  });
  const dayAfter = { ...claim, dueAt: claim.dueAt + 86_400_000, fireAt: claim.fireAt + 86_400_000 };
  t.deepEqual(decideClaim(dayAfter, rule, null, undefined), { action: 'claim' });
  t.deepEqual(decideClaim({ ...claim, trigger: 'manual' }, rule, null, undefined), { action: 'claim' });
});

test('the engine sends nothing on an except date, records each skip with its reason, and fires the day after', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({
    schedule: { ...daily(['09:00:00', '15:00:00']), exceptDates: ['2026-01-05'] },
  });
  await h.engine.start();
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'), 'next due skips the except date');
  await h.clock.advanceTo(at('2026-01-06T09:00:00.000Z'));
  await h.until(() => h.firings.length === 3, 'two skips and a firing are recorded');
  t.is(h.dispatcher.received.length, 1);
  const rows = await Promise.all(
    ['2026-01-05T09:00:00.000Z', '2026-01-05T15:00:00.000Z', '2026-01-06T09:00:00.000Z'].map((d) =>
      h.store.firings.find(rule.id, at(d), 'schedule'),
    ),
  );
  t.deepEqual(
    rows.map((r) => r?.status),
    ['skipped', 'skipped', 'dispatched'],
  );
  t.regex(rows[0]?.error ?? '', /2026-01-05 is an except date/);
});
