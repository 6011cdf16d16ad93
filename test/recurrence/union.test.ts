import test from 'ava';
import fc from 'fast-check';
import type { AnyOfSchedule, MemberSchedule, Schedule, SingleSchedule } from '../../src/rules/Schedule.js';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../../src/recurrence/occurrencesBetween.js';
import { between, next } from './macros.js';

const DAY = 86_400_000;

const anyOf = (
  schedules: MemberSchedule[],
  b: Partial<Pick<AnyOfSchedule, 'timezone' | 'start' | 'end' | 'count'>> = {},
): Schedule => ({
  kind: 'any_of',
  schedules,
  timezone: b.timezone ?? 'UTC',
  start: b.start ?? '2020-01-01T00:00:00',
  end: b.end ?? null,
  count: b.count ?? null,
});

const weekdays09: MemberSchedule = {
  kind: 'weekly',
  times: ['09:00:00'],
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  every: 1,
};
const saturday11: MemberSchedule = { kind: 'weekly', times: ['11:00:00'], days: ['sat'], every: 1 };

test(
  'Mon–Fri 09:00 and Sat 11:00 in one zone: one series in order',
  between,
  anyOf([weekdays09, saturday11], {
    timezone: 'Europe/Berlin',
  }),
  '2026-03-05T00:00:00Z', // a Thursday
  '2026-03-10T00:00:00Z',
  ['2026-03-05T09:00+01:00', '2026-03-06T09:00+01:00', '2026-03-07T11:00+01:00', '2026-03-09T09:00+01:00'],
);

test(
  'an instant two members share occurs once',
  between,
  anyOf([
    { kind: 'daily', times: ['09:00:00', '12:00:00'], every: 1 },
    { kind: 'weekly', times: ['09:00:00', '18:00:00'], days: ['wed'], every: 1 },
  ]),
  '2026-03-04T00:00:00Z', // a Wednesday
  '2026-03-05T00:00:00Z',
  ['2026-03-04T09:00Z', '2026-03-04T12:00Z', '2026-03-04T18:00Z'],
);

test(
  'across spring-forward every member follows the zone: 02:30 shifted out of the gap meets 03:30 once',
  between,
  anyOf(
    [
      { kind: 'daily', times: ['02:30:00'], every: 1 },
      { kind: 'daily', times: ['03:30:00'], every: 1 },
      { kind: 'interval', everySeconds: 3600, between: ['01:00:00', '04:00:00'], days: ['sun'] },
    ],
    { timezone: 'Europe/Berlin' },
  ),
  '2025-03-29T23:00:00Z', // 2025-03-30 00:00 CET; the gap is 02:00→03:00
  '2025-03-30T12:00:00Z',
  [
    '2025-03-30T01:00+01:00',
    '2025-03-30T03:00+02:00', // the interval steps an hour of elapsed time: 01:00 CET + 1 h
    '2025-03-30T03:30+02:00', // 02:30 shifted by the gap, and 03:30 itself: once
    '2025-03-30T04:00+02:00',
  ],
);

test(
  'across fall-back a repeated local time fires once, at its first instant, in every member',
  between,
  anyOf(
    [
      { kind: 'daily', times: ['01:30:00'], every: 1 },
      { kind: 'weekly', times: ['01:30:00', '09:00:00'], days: ['sun'], every: 1 },
    ],
    { timezone: 'America/New_York' },
  ),
  '2025-11-02T00:00:00-04:00',
  '2025-11-03T00:00:00-05:00',
  ['2025-11-02T01:30-04:00', '2025-11-02T09:00-05:00'], // 01:30 comes twice: the first
);

test(
  'count counts the merged series (an instant two members share counts once)',
  between,
  anyOf(
    [
      { kind: 'daily', times: ['09:00:00'], every: 1 },
      { kind: 'daily', times: ['09:00:00', '17:00:00'], every: 2 },
    ],
    { start: '2026-01-01T00:00:00', count: 5 },
  ),
  '2025-12-01T00:00:00Z',
  '2026-02-01T00:00:00Z',
  ['2026-01-01T09:00Z', '2026-01-01T17:00Z', '2026-01-02T09:00Z', '2026-01-03T09:00Z', '2026-01-03T17:00Z'],
);

test(
  'end bounds the union inclusively, by instant',
  between,
  anyOf(
    [
      { kind: 'daily', times: ['09:00:00'], every: 1 },
      { kind: 'once', at: '2026-01-02T12:00:00' },
    ],
    { start: '2026-01-01T00:00:00', end: '2026-01-02T12:00:00' },
  ),
  '2025-12-01T00:00:00Z',
  '2026-02-01T00:00:00Z',
  ['2026-01-01T09:00Z', '2026-01-02T09:00Z', '2026-01-02T12:00Z'],
);

test(
  'every-N members count from the union start; nothing before it',
  next,
  anyOf([{ kind: 'daily', times: ['09:00:00'], every: 3 }], { start: '2026-01-10T10:00:00' }),
  '2026-01-01T00:00:00Z',
  '2026-01-13T09:00Z',
);

test('a union whose count is used up has no next occurrence', (t) => {
  const s = anyOf([{ kind: 'daily', times: ['09:00:00'], every: 1 }], { count: 2 });
  t.is(nextOccurrence(s, Date.parse('2020-01-02T09:00:00Z')), null);
  t.is(nextOccurrence(s, Date.parse('2020-01-02T08:59:59Z')), Date.parse('2020-01-02T09:00:00Z'));
});

// ---- property: the union equals the merged members, cut by the union's bounds ----

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago'];
const two = (n: number): string => String(n).padStart(2, '0');
const time = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    fc.constantFrom(0, 15, 30, 59),
  )
  .map(([h, m]) => `${two(h)}:${two(m)}:00`);
const times = fc.uniqueArray(time, { minLength: 1, maxLength: 3 }).map((l) => [...l].sort());
const days = fc.subarray(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, { minLength: 1 });
const localAt = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const FROM = Date.UTC(2024, 0, 1);
const localDateTime = fc
  .integer({ min: FROM / 60_000, max: FROM / 60_000 + 3 * 365 * 1440 })
  .map((m) => localAt(m * 60_000));

const member: fc.Arbitrary<MemberSchedule> = fc.oneof(
  localDateTime.map((at): MemberSchedule => ({ kind: 'once', at })),
  fc
    .record({ times, every: fc.integer({ min: 1, max: 3 }) })
    .map((f): MemberSchedule => ({ kind: 'daily', ...f })),
  fc
    .record({ times, days: days.map((d) => [...d]), every: fc.integer({ min: 1, max: 3 }) })
    .map((f): MemberSchedule => ({ kind: 'weekly', ...f })),
  fc
    .record({
      times,
      day: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 31 })),
      ifMissing: fc.constantFrom('skip' as const, 'last_day' as const),
      every: fc.integer({ min: 1, max: 2 }),
    })
    .map((f): MemberSchedule => ({ kind: 'monthly', ...f })),
  fc
    .record({
      everySeconds: fc.constantFrom(3600, 5400, 7200, 4 * 3600),
      between: fc.option(fc.tuple(time, time), { nil: null }),
      days: fc.option(
        days.map((d) => [...d]),
        { nil: null },
      ),
    })
    .map((f): MemberSchedule => ({ kind: 'interval', ...f })),
);

const union = fc
  .record({
    schedules: fc.array(member, { minLength: 1, maxLength: 4 }),
    timezone: fc.constantFrom(...ZONES),
    start: localDateTime,
    endAfterDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    count: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
  })
  .map(({ endAfterDays, start, ...u }): AnyOfSchedule => ({
    kind: 'any_of',
    ...u,
    start,
    end: endAfterDays === null ? null : localAt(Date.parse(`${start}Z`) + endAfterDays * DAY + 5 * 3_600_000),
  }));

test('any_of occurs at the sorted, de-duplicated union of its members, cut by its start, end and count', (t) => {
  fc.assert(
    fc.property(union, fc.integer({ min: -3, max: 50 }), (u, offsetDays) => {
      const startUtc = occurrencesBetween(
        { kind: 'once', at: u.start, timezone: u.timezone, start: u.start, end: null, count: null },
        -Infinity,
        Infinity,
        1,
      )[0] as number;
      const horizon = startUtc + 75 * DAY;
      const whole = u.schedules.map(
        (m): SingleSchedule =>
          ({ ...m, timezone: u.timezone, start: u.start, end: null, count: null }) as SingleSchedule,
      );
      let expected = [...new Set(whole.flatMap((m) => occurrencesBetween(m, -Infinity, horizon, 5000)))].sort(
        (a, b) => a - b,
      );
      if (u.end !== null) {
        const endUtc = occurrencesBetween(
          { kind: 'once', at: u.end, timezone: u.timezone, start: u.end, end: null, count: null },
          -Infinity,
          Infinity,
          1,
        )[0] as number;
        expected = expected.filter((at) => at <= endUtc);
      }
      if (u.count !== null) expected = expected.slice(0, u.count);
      const from = startUtc + offsetDays * DAY;
      const to = from + 20 * DAY;
      const window = expected.filter((at) => at >= from && at < to);
      t.deepEqual(occurrencesBetween(u, from, to, 5000), window, JSON.stringify(u));
      const after = from + 7_777_777;
      const n = nextOccurrence(u, after);
      const e = expected.find((at) => at > after);
      if (e !== undefined) t.is(n, e, JSON.stringify(u));
      else t.true(n === null || n >= horizon, JSON.stringify(u));
    }),
    { numRuns: 150 },
  );
});
