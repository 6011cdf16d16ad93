import test from 'ava';
import { planResume } from '../../src/runtime/resume.js';
import { NO_OVERRIDES, nextFiring } from '../../src/runtime/occurrenceSequence.js';
import { at, interval } from './support/fixtures.js';

const hourly = interval(3_600, '2026-01-01T00:00:00');
const seq = (after: number) => nextFiring(hourly, NO_OVERRIDES, after);
const hhmm = (list: Array<{ fireAt: number }>) =>
  list.map((f) => new Date(f.fireAt).toISOString().slice(11, 16));

test('fire_once: the newest missed occurrence within grace fires; the older ones are missed', (t) => {
  const plan = planResume(seq, at('2026-01-05T08:00:00Z'), at('2026-01-05T12:30:00Z'), {
    policy: 'fire_once',
    graceMs: 3_600_000,
  });
  t.deepEqual(hhmm(plan.missed), ['09:00', '10:00', '11:00']);
  t.is(plan.fireNow?.fireAt, at('2026-01-05T12:00:00Z'));
  t.is(plan.next?.fireAt, at('2026-01-05T13:00:00Z'));
  t.is(plan.notListed, 0);
});

test('fire_once beyond grace, and skip: everything missed', (t) => {
  for (const misfire of [
    { policy: 'fire_once' as const, graceMs: 10 * 60_000 },
    { policy: 'skip' as const, graceMs: 3_600_000 },
  ]) {
    const plan = planResume(seq, at('2026-01-05T08:00:00Z'), at('2026-01-05T12:30:00Z'), misfire);
    t.deepEqual(hhmm(plan.missed), ['09:00', '10:00', '11:00', '12:00']);
    t.is(plan.fireNow, null);
  }
});

test('nothing missed: just the next one', (t) => {
  const plan = planResume(seq, at('2026-01-05T08:00:00Z'), at('2026-01-05T08:30:00Z'), {
    policy: 'fire_once',
    graceMs: 60_000,
  });
  t.deepEqual(plan.missed, []);
  t.is(plan.fireNow, null);
  t.is(plan.next?.fireAt, at('2026-01-05T09:00:00Z'));
});

test('a year down with a frequent rule: bounded rows, the rest counted, the newest still fires', (t) => {
  const everyMinute = interval(60, '2025-01-01T00:00:00');
  const s = (after: number) => nextFiring(everyMinute, NO_OVERRIDES, after);
  const plan = planResume(
    s,
    at('2025-01-01T00:00:00Z'),
    at('2026-01-01T00:00:30Z'),
    {
      policy: 'fire_once',
      graceMs: 5 * 60_000,
    },
    100,
  );
  t.is(plan.missed.length, 100);
  t.true(plan.notListed > 500_000);
  t.is(plan.fireNow?.fireAt, at('2026-01-01T00:00:00Z'));
  t.is(plan.next?.fireAt, at('2026-01-01T00:01:00Z'));
});
