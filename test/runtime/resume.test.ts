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

test('fire_once exactly at the end of its grace still fires; a millisecond later it is missed', (t) => {
  const from = at('2026-01-05T08:00:00Z');
  const atEdge = planResume(seq, from, at('2026-01-05T09:10:00Z'), { policy: 'fire_once', graceMs: 600_000 });
  t.is(atEdge.fireNow?.fireAt, at('2026-01-05T09:00:00Z'));
  t.deepEqual(atEdge.missed, []);
  const past = planResume(seq, from, at('2026-01-05T09:10:00.001Z'), {
    policy: 'fire_once',
    graceMs: 600_000,
  });
  t.is(past.fireNow, null);
  t.deepEqual(hhmm(past.missed), ['09:00']);
});

test('an occurrence due at the very instant of the resume counts as due (fired or missed), the next is after it', (t) => {
  const now = at('2026-01-05T09:00:00Z');
  const skip = planResume(seq, at('2026-01-05T08:00:00Z'), now, { policy: 'skip', graceMs: 0 });
  t.deepEqual(hhmm(skip.missed), ['09:00']);
  t.is(skip.next?.fireAt, at('2026-01-05T10:00:00Z'));
  const settled = planResume(seq, now, now, { policy: 'skip', graceMs: 0 });
  t.deepEqual(settled.missed, [], 'an occurrence at the cursor is settled, not missed again');
});

test('a schedule that ended during the outage: its last occurrences missed, nothing next', (t) => {
  const ending = interval(3_600, '2026-01-01T00:00:00');
  const s = (after: number) => {
    const f = nextFiring({ ...ending, end: '2026-01-05T10:30:00' }, NO_OVERRIDES, after);
    return f;
  };
  const plan = planResume(s, at('2026-01-05T08:00:00Z'), at('2026-01-05T12:30:00Z'), {
    policy: 'skip',
    graceMs: 0,
  });
  t.deepEqual(hhmm(plan.missed), ['09:00', '10:00']);
  t.is(plan.next, null);
  t.is(plan.notListed, 0);
});

test('a long outage: the rows listed are the oldest, the rest counted exactly, and the newest one still found', (t) => {
  const everyMinute = interval(60, '2026-01-01T00:00:00');
  const s = (after: number) => nextFiring(everyMinute, NO_OVERRIDES, after);
  const from = at('2026-01-01T00:00:00Z');
  const now = at('2026-01-01T10:00:30Z'); // 600 occurrences: 00:01 … 10:00
  const plan = planResume(s, from, now, { policy: 'skip', graceMs: 0 }, 50);
  t.is(plan.missed.length, 50);
  t.is(plan.missed[0]?.fireAt, at('2026-01-01T00:01:00Z'));
  t.is(plan.missed[49]?.fireAt, at('2026-01-01T00:50:00Z'));
  t.is(plan.missed.length + plan.notListed, 600);
  t.is(plan.next?.fireAt, at('2026-01-01T10:01:00Z'));
  const late = planResume(s, from, now, { policy: 'fire_once', graceMs: 60_000 }, 50);
  t.is(late.fireNow?.fireAt, at('2026-01-01T10:00:00Z'), 'the newest, though beyond the listed rows');
  t.is(late.missed.length + late.notListed, 599);
  t.is(late.missed.length, 50);
});

test('a short outage with room for every row: all listed, none only counted', (t) => {
  const plan = planResume(
    seq,
    at('2026-01-05T00:00:00Z'),
    at('2026-01-05T05:30:00Z'),
    { policy: 'skip', graceMs: 0 },
    5,
  );
  t.deepEqual(hhmm(plan.missed), ['01:00', '02:00', '03:00', '04:00', '05:00']);
  t.is(plan.notListed, 0);
  const over = planResume(
    seq,
    at('2026-01-05T00:00:00Z'),
    at('2026-01-05T06:30:00Z'),
    { policy: 'skip', graceMs: 0 },
    5,
  );
  t.is(over.missed.length, 5);
  t.is(over.notListed, 1);
});
