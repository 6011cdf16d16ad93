import test from 'ava';
import fc from 'fast-check';
import type { SingleSchedule as Schedule, Weekday } from '../../src/rules/Schedule.js';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../../src/recurrence/occurrencesBetween.js';
import { isOccurrenceDate, localOf, oracleInstant, oracleOccurrences } from './oracle.js';

const DAY = 86_400_000;
const ZONES = [
  'UTC',
  'Asia/Tokyo',
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'America/Santiago', // transitions at midnight
  'America/Havana', // transitions at midnight
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // −03:30 / −02:30
  'Asia/Kolkata',
];
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2035, 0, 1);

const two = (n: number): string => String(n).padStart(2, '0');
/** Times biased towards the hours where transitions happen. */
const time = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    fc.oneof(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 59 })),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 59 }) },
    ),
  )
  .map(([h, m, s]) => `${two(h)}:${two(m)}:${two(s)}`);
const times = fc.uniqueArray(time, { minLength: 1, maxLength: 4 }).map((l) => [...l].sort());
const days = fc.subarray(WEEKDAYS, { minLength: 1 });
const localAt = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const localDateTime = fc
  .integer({ min: FROM / 1000, max: TO / 1000 })
  .map((s) => localAt(Math.floor(s / 60) * 60_000));

const bounds = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    start: localDateTime,
    endAfterDays: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    count: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  })
  .map(({ timezone, start, endAfterDays, count }) => ({
    timezone,
    start,
    end: endAfterDays === null ? null : localAt(Date.parse(`${start}Z`) + endAfterDays * DAY + 3_600_000 * 7),
    count,
  }));

const calendar: fc.Arbitrary<Schedule> = fc.oneof(
  fc.record({ b: bounds, at: localDateTime }).map(({ b, at }): Schedule => ({ kind: 'once', at, ...b })),
  fc
    .record({ b: bounds, times, every: fc.integer({ min: 1, max: 5 }) })
    .map(({ b, ...f }): Schedule => ({ kind: 'daily', ...f, ...b })),
  fc
    .record({ b: bounds, times, days, every: fc.integer({ min: 1, max: 4 }) })
    .map(({ b, ...f }): Schedule => ({ kind: 'weekly', ...f, ...b })),
  fc
    .record({
      b: bounds,
      times,
      day: fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 28, max: 31 })),
      ifMissing: fc.constantFrom('skip' as const, 'last_day' as const),
      every: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ b, ...f }): Schedule => ({ kind: 'monthly', ...f, ...b })),
  fc
    .record({
      b: bounds,
      times,
      weekday: fc.constantFrom(...WEEKDAYS),
      week: fc.constantFrom(-1, 1, 2, 3, 4, 5, 5),
      ifMissing: fc.constantFrom('skip' as const, 'last_day' as const),
      every: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ b, ...f }): Schedule => ({ kind: 'monthly_weekday', ...f, ...b })),
);

const interval: fc.Arbitrary<Schedule> = fc
  .record({
    b: bounds,
    everySeconds: fc.oneof(
      fc.constantFrom(600, 900, 1800, 3600, 5400, 86_400, 90_000),
      fc.integer({ min: 600, max: 200_000 }),
    ),
    between: fc.option(fc.tuple(time, time), { nil: null }),
    days: fc.option(days, { nil: null }),
  })
  .map(({ b, ...f }): Schedule => ({ kind: 'interval', ...f, ...b }));

const anySchedule = fc.oneof(calendar, interval);
const startOf = (s: Schedule): number => oracleInstant(s.start, s.timezone);
const endOf = (s: Schedule): number => (s.end === null ? Infinity : oracleInstant(s.end, s.timezone));

test('calendar kinds agree with an independent day-by-day enumeration', (t) => {
  fc.assert(
    fc.property(calendar, fc.integer({ min: -10, max: 400 }), (s, offsetDays) => {
      const from = startOf(s) + offsetDays * DAY;
      const to = from + 45 * DAY;
      t.deepEqual(occurrencesBetween(s, from, to, 10_000), oracleOccurrences(s, from, to), JSON.stringify(s));
    }),
    { numRuns: 150 },
  );
});

test('interval agrees with an independent window-by-window enumeration', (t) => {
  fc.assert(
    fc.property(interval, fc.integer({ min: -2, max: 20 }), (s, offsetDays) => {
      const from = startOf(s) + offsetDays * DAY;
      const to = from + 10 * DAY;
      t.deepEqual(occurrencesBetween(s, from, to, 10_000), oracleOccurrences(s, from, to), JSON.stringify(s));
    }),
    { numRuns: 60 },
  );
});

test('occurrences strictly increase, stay within start and end, and number at most count', (t) => {
  fc.assert(
    fc.property(anySchedule, (s) => {
      const start = startOf(s);
      const end = endOf(s);
      const list = occurrencesBetween(s, start - 2 * DAY, start + 3 * 366 * DAY, 2000);
      for (let i = 0; i < list.length; i++) {
        const u = list[i] as number;
        if (i > 0 && !(u > (list[i - 1] as number))) return false;
        if (u < start || u > end) return false;
      }
      return s.count === null || list.length <= s.count;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('nextOccurrence(s, t) is the first of occurrencesBetween(s, t + 1, t + 400 days)', (t) => {
  fc.assert(
    fc.property(anySchedule, fc.integer({ min: FROM, max: TO }), (s, after) => {
      const next = nextOccurrence(s, after);
      const first = occurrencesBetween(s, after + 1, after + 400 * DAY, 1)[0] ?? null;
      return next === null || next >= after + 400 * DAY ? first === null : first === next;
    }),
    { numRuns: 500 },
  );
  t.pass();
});

test('every occurrence read back in its zone is on an occurrence day at a configured time (or that time moved out of a gap)', (t) => {
  fc.assert(
    fc.property(calendar, fc.integer({ min: FROM, max: TO }), (s, from) => {
      const times = s.kind === 'once' ? [s.at.slice(11)] : s.kind === 'interval' ? [] : s.times;
      for (const u of occurrencesBetween(s, from, from + 60 * DAY, 200)) {
        const local = localOf(u, s.timezone);
        // A time moved out of a gap can land on the next local day.
        const dates = [local.slice(0, 10), localAt(Date.parse(`${local.slice(0, 10)}Z`) - DAY).slice(0, 10)];
        const matches = dates.some(
          (d) => isOccurrenceDate(s, d) && times.some((tm) => oracleInstant(`${d}T${tm}`, s.timezone) === u),
        );
        if (!matches) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('every interval occurrence lies in the window of an allowed day, on its grid from the opening', (t) => {
  fc.assert(
    fc.property(interval, fc.integer({ min: FROM, max: TO }), (s, from) => {
      if (s.kind !== 'interval') return false;
      const step = s.everySeconds * 1000;
      for (const u of occurrencesBetween(s, from, from + 30 * DAY, 300)) {
        const date = localOf(u, s.timezone).slice(0, 10);
        // The window opened on the occurrence's local date or one of the two before it.
        const found = [0, 1, 2].some((back) => {
          const d = localAt(Date.parse(`${date}T00:00:00Z`) - back * DAY).slice(0, 10);
          const weekday = WEEKDAYS[(new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7] as Weekday;
          if (s.days !== null && !s.days.includes(weekday)) return false;
          const next = localAt(Date.parse(`${d}T00:00:00Z`) + DAY).slice(0, 10);
          const open = oracleInstant(`${d}T${s.between?.[0] ?? '00:00:00'}`, s.timezone);
          const close =
            s.between === null
              ? oracleInstant(`${next}T00:00:00`, s.timezone) - 1
              : oracleInstant(`${s.between[0] > s.between[1] ? next : d}T${s.between[1]}`, s.timezone);
          return u >= open && u <= close && (u - open) % step === 0;
        });
        if (!found) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('interval answers do not depend on the queries asked before (the window cache)', (t) => {
  fc.assert(
    fc.property(
      interval,
      fc.array(fc.integer({ min: -3 * DAY, max: 30 * DAY }), { minLength: 2, maxLength: 30 }),
      (s, offsets) => {
        const start = startOf(s);
        // One schedule object asked in random order, against the enumeration from scratch.
        return offsets.every((o) => {
          const after = start + o;
          const next = nextOccurrence(s, after);
          const expected = oracleOccurrences(s, after + 1, after + 10 * DAY)[0];
          return expected === undefined ? next === null || next >= after + 10 * DAY : next === expected;
        });
      },
    ),
    { numRuns: 100 },
  );
  t.pass();
});
