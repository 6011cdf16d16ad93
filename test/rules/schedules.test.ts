import test from 'ava';
import { z } from 'zod';
import { isDomainError, type DomainError } from '../../src/rules/errors.js';
import type { Schedule } from '../../src/rules/Schedule.js';
import { parseSchedule, scheduleToWire, scheduleWireSchema } from '../../src/rules/schedules.js';

const now = Date.parse('2026-03-08T06:59:59.250Z'); // 01:59:59.250 EST in New York
const ctx = { defaultTimezone: 'America/New_York', now };

test('a daily wire schedule is normalized: sorted "HH:mm:ss" times, default zone, start = now (next second)', (t) => {
  t.deepEqual(parseSchedule({ kind: 'daily', times: ['14:30', '09:00'] }, ctx), {
    kind: 'daily',
    times: ['09:00:00', '14:30:00'],
    every: 1,
    timezone: 'America/New_York',
    start: '2026-03-08T03:00:00',
    end: null,
    count: null,
  });
});

test('weekly days are sorted Monday-first; end as a bare date means the end of that day', (t) => {
  const s = parseSchedule(
    {
      kind: 'weekly',
      times: ['09:00'],
      days: ['sun', 'wed', 'mon'],
      every: 2,
      timezone: 'Europe/Berlin',
      start: '2026-01-01',
      end: '2026-12-31',
      count: 10,
    },
    ctx,
  );
  t.deepEqual(s, {
    kind: 'weekly',
    times: ['09:00:00'],
    days: ['mon', 'wed', 'sun'],
    every: 2,
    timezone: 'Europe/Berlin',
    start: '2026-01-01T00:00:00',
    end: '2026-12-31T23:59:59',
    count: 10,
  });
});

test('monthly, monthly_weekday, interval and once get their defaults', (t) => {
  const base = { timezone: 'UTC', start: '2026-01-01T08:00' };
  t.like(parseSchedule({ kind: 'monthly', times: ['09:00'], day: -1, ...base }, ctx), {
    day: -1,
    ifMissing: 'skip',
    every: 1,
    start: '2026-01-01T08:00:00',
  });
  t.like(
    parseSchedule({ kind: 'monthly_weekday', times: ['09:00'], weekday: 'tue', week: 2, ...base }, ctx),
    {
      weekday: 'tue',
      week: 2,
      ifMissing: 'skip',
      every: 1,
    },
  );
  t.like(parseSchedule({ kind: 'interval', every_seconds: 1800, ...base }, ctx), {
    everySeconds: 1800,
    between: null,
    days: null,
  });
  t.like(
    parseSchedule(
      { kind: 'interval', every_seconds: 60, between: ['22:00', '06:00:30'], days: ['fri', 'mon'], ...base },
      ctx,
    ),
    { between: ['22:00:00', '06:00:30'], days: ['mon', 'fri'] },
  );
  t.like(parseSchedule({ kind: 'once', at: '2026-03-08T02:30', ...base }, ctx), {
    at: '2026-03-08T02:30:00',
  });
});

const samples: unknown[] = [
  { kind: 'once', at: '2026-03-08T02:30' },
  { kind: 'daily', times: ['09:00', '14:30'], every: 3, end: '2027-01-01T12:00', count: 5 },
  { kind: 'weekly', times: ['09:00:15'], days: ['mon', 'wed', 'fri'], every: 2, timezone: 'Asia/Tokyo' },
  { kind: 'monthly', times: ['09:00'], day: 31, if_missing: 'last_day', every: 3 },
  { kind: 'monthly_weekday', times: ['09:00'], weekday: 'fri', week: -1, start: '2026-05-01' },
  { kind: 'interval', every_seconds: 1800, between: ['08:00', '18:00'], days: ['mon', 'tue'] },
  { kind: 'interval', every_seconds: 5 },
];

for (const wire of samples) {
  test(`round trip through the wire form: ${JSON.stringify(wire)}`, (t) => {
    const s: Schedule = parseSchedule(wire, ctx);
    const back = scheduleToWire(s);
    t.true(scheduleWireSchema.safeParse(back).success);
    t.deepEqual(parseSchedule(back, { defaultTimezone: 'UTC', now: 0 }), s);
  });
}

const refused = test.macro((t, input: unknown, field: string, messagePart: RegExp) => {
  const err = t.throws(() => parseSchedule(input, { ...ctx, path: 'rule.schedule' })) as DomainError;
  t.true(isDomainError(err, 'INVALID_INPUT'));
  const details = err.details as { field: string; issues: { field: string; message: string }[] };
  t.is(details.field, field);
  t.regex(details.issues[0]?.message ?? '', messagePart);
});

const d = { kind: 'daily', times: ['09:00'] };
test(
  'refuses an unknown zone',
  refused,
  { ...d, timezone: 'Mars/Olympus' },
  'rule.schedule.timezone',
  /time zone/,
);
test(
  'refuses 25:00',
  refused,
  { kind: 'daily', times: ['09:00', '25:00'] },
  'rule.schedule.times[1]',
  /time of day/,
);
test('refuses 12:60', refused, { kind: 'daily', times: ['12:60'] }, 'rule.schedule.times[0]', /time of day/);
test('refuses "9:00"', refused, { kind: 'daily', times: ['9:00'] }, 'rule.schedule.times[0]', /HH:mm/);
test('refuses day 0', refused, { kind: 'monthly', times: ['09:00'], day: 0 }, 'rule.schedule.day', /1\.\.31/);
test(
  'refuses day 32',
  refused,
  { kind: 'monthly', times: ['09:00'], day: 32 },
  'rule.schedule.day',
  /1\.\.31/,
);
test(
  'refuses week 6',
  refused,
  { kind: 'monthly_weekday', times: ['09:00'], weekday: 'tue', week: 6 },
  'rule.schedule.week',
  /1\.\.5/,
);
test(
  'refuses week 0',
  refused,
  { kind: 'monthly_weekday', times: ['09:00'], weekday: 'tue', week: 0 },
  'rule.schedule.week',
  /1\.\.5/,
);
test('refuses every 0', refused, { ...d, every: 0 }, 'rule.schedule.every', /at least 1/);
test('refuses every 1.5', refused, { ...d, every: 1.5 }, 'rule.schedule.every', /integer/);
test(
  'refuses an end before the start',
  refused,
  { ...d, start: '2026-05-01T10:00', end: '2026-05-01T09:59' },
  'rule.schedule.end',
  /before the start/,
);
test('refuses empty times', refused, { kind: 'daily', times: [] }, 'rule.schedule.times', /at least one/);
test(
  'refuses empty days',
  refused,
  { kind: 'weekly', times: ['09:00'], days: [] },
  'rule.schedule.days',
  /at least one/,
);
test(
  'refuses empty interval days',
  refused,
  { kind: 'interval', every_seconds: 60, days: [] },
  'rule.schedule.days',
  /at least one/,
);
test(
  'refuses duplicate times, even written differently',
  refused,
  { kind: 'daily', times: ['09:00', '10:00', '09:00:00'] },
  'rule.schedule.times[2]',
  /repeats/,
);
test(
  'refuses duplicate days',
  refused,
  { kind: 'weekly', times: ['09:00'], days: ['mon', 'tue', 'mon'] },
  'rule.schedule.days[2]',
  /repeats/,
);
test(
  'refuses an unknown weekday',
  refused,
  { kind: 'weekly', times: ['09:00'], days: ['monday'] },
  'rule.schedule.days[0]',
  /mon, tue/,
);
test(
  'refuses an unknown kind',
  refused,
  { kind: 'hourly', times: ['09:00'] },
  'rule.schedule.kind',
  /one of once/,
);
test('refuses a missing kind', refused, { times: ['09:00'] }, 'rule.schedule.kind', /one of once/);
test(
  'refuses every_seconds 0',
  refused,
  { kind: 'interval', every_seconds: 0 },
  'rule.schedule.every_seconds',
  /at least 1/,
);
test(
  'refuses a missing every_seconds',
  refused,
  { kind: 'interval' },
  'rule.schedule.every_seconds',
  /required/,
);
test('refuses February 30', refused, { ...d, start: '2026-02-30' }, 'rule.schedule.start', /exists/);
test(
  'refuses a start with an offset',
  refused,
  { ...d, start: '2026-02-03T10:00Z' },
  'rule.schedule.start',
  /no offset/,
);
test(
  'refuses a malformed once date-time',
  refused,
  { kind: 'once', at: '2026-13-01T10:00' },
  'rule.schedule.at',
  /exists/,
);
test(
  'refuses a bare date for once',
  refused,
  { kind: 'once', at: '2026-03-01' },
  'rule.schedule.at',
  /date-time/,
);
test('refuses count 0', refused, { ...d, count: 0 }, 'rule.schedule.count', /at least 1/);
test('refuses an unknown field', refused, { ...d, color: 'red' }, 'rule.schedule.color', /not a known field/);
test('refuses a field of another kind', refused, { ...d, day: 3 }, 'rule.schedule.day', /not a known field/);
test(
  'refuses a bad if_missing',
  refused,
  { kind: 'monthly', times: ['09:00'], day: 31, if_missing: 'wrap' },
  'rule.schedule.if_missing',
  /skip/,
);
test(
  'refuses a between with one time',
  refused,
  { kind: 'interval', every_seconds: 60, between: ['08:00'] },
  'rule.schedule.between',
  /two times|Too small|too small/,
);
test('refuses a schedule that is not an object', refused, 'daily at 9', 'rule.schedule', /object/);

test('without a path, fields are named from "schedule"', (t) => {
  const err = t.throws(() => parseSchedule({ kind: 'daily', times: ['24:00'] }, ctx)) as DomainError;
  t.is((err.details as { field: string }).field, 'schedule.times[0]');
});

test('a bad default zone is reported on the timezone field', (t) => {
  const err = t.throws(() => parseSchedule(d, { defaultTimezone: 'Nowhere/Land', now })) as DomainError;
  t.is((err.details as { field: string }).field, 'schedule.timezone');
});

test('the wire schema converts to JSON Schema: one strict, described object per kind', (t) => {
  const json = z.toJSONSchema(scheduleWireSchema, { io: 'input' }) as unknown as {
    oneOf: { properties: { kind: { const: string } }; additionalProperties: boolean; description: string }[];
  };
  t.deepEqual(
    json.oneOf.map((o) => o.properties.kind.const),
    ['once', 'daily', 'weekly', 'monthly', 'monthly_weekday', 'interval', 'any_of'],
  );
  for (const o of json.oneOf) {
    t.false(o.additionalProperties);
    t.true(o.description.length > 0);
  }
  const anyOf = json.oneOf[6] as unknown as {
    properties: { schedules: { items: { oneOf: { properties: Record<string, unknown> }[] } } };
  };
  const members = anyOf.properties.schedules.items.oneOf;
  t.is(members.length, 6);
  for (const m of members)
    for (const bound of ['timezone', 'start', 'end', 'count']) t.false(bound in m.properties);
});

test('an any_of is normalized member by member, shares its zone and bounds, and round-trips', (t) => {
  const wire = {
    kind: 'any_of',
    timezone: 'Europe/Berlin',
    start: '2026-01-01',
    end: '2026-12-31',
    count: 100,
    schedules: [
      { kind: 'weekly', times: ['09:00'], days: ['fri', 'mon'] },
      { kind: 'interval', every_seconds: 3600, between: ['08:00', '12:00'] },
      { kind: 'once', at: '2026-02-01T10:00' },
    ],
  };
  const s = parseSchedule(wire, ctx);
  t.deepEqual(s, {
    kind: 'any_of',
    timezone: 'Europe/Berlin',
    start: '2026-01-01T00:00:00',
    end: '2026-12-31T23:59:59',
    count: 100,
    schedules: [
      { kind: 'weekly', times: ['09:00:00'], days: ['mon', 'fri'], every: 1 },
      { kind: 'interval', everySeconds: 3600, between: ['08:00:00', '12:00:00'], days: null },
      { kind: 'once', at: '2026-02-01T10:00:00' },
    ],
  });
  t.deepEqual(parseSchedule(scheduleToWire(s), ctx), s);
});
