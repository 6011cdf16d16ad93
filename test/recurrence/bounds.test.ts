import test from 'ava';
import { neverFiresAfter } from '../../src/recurrence/neverFiresAfter.js';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../../src/recurrence/occurrencesBetween.js';
import { daily, interval, monthly, once, weekly } from './factories.js';
import { between, next } from './macros.js';

test(
  'an occurrence equal to the start counts',
  next,
  daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T09:00:00' }),
  '2026-01-01T00:00Z',
  '2026-03-10T09:00Z',
);

test(
  'nothing fires before the start',
  next,
  daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T09:00:01' }),
  '2026-01-01T00:00Z',
  '2026-03-11T09:00Z',
);

test(
  'the end is inclusive',
  between,
  daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T00:00:00', end: '2026-03-12T09:00:00' }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  ['2026-03-10T09:00Z', '2026-03-11T09:00Z', '2026-03-12T09:00Z'],
);

test(
  'nothing fires after the end',
  next,
  daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T00:00:00', end: '2026-03-12T08:59:59' }),
  '2026-03-11T09:00Z',
  null,
);

test(
  'count counts occurrences from the start, not those before it',
  between,
  daily({ times: ['09:00:00', '18:00:00'], every: 1, start: '2026-03-10T10:00:00', count: 3 }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  ['2026-03-10T18:00Z', '2026-03-11T09:00Z', '2026-03-11T18:00Z'],
);

test(
  'count on a weekly rule started mid-week',
  between,
  weekly({
    times: ['09:00:00'],
    days: ['mon', 'wed', 'fri'],
    every: 2,
    start: '2026-03-04T12:00:00',
    count: 4,
  }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  ['2026-03-06T09:00Z', '2026-03-16T09:00Z', '2026-03-18T09:00Z', '2026-03-20T09:00Z'],
);

test(
  'count on a monthly rule counts only months that have the day',
  between,
  monthly({
    times: ['09:00:00'],
    day: 31,
    ifMissing: 'skip',
    every: 1,
    start: '2026-01-01T00:00:00',
    count: 3,
  }),
  '2026-01-01T00:00Z',
  '2030-01-01T00:00Z',
  ['2026-01-31T09:00Z', '2026-03-31T09:00Z', '2026-05-31T09:00Z'],
);

test(
  'count on an interval counts only kept occurrences',
  between,
  interval({
    everySeconds: 1800,
    between: ['08:00:00', '09:00:00'],
    days: null,
    start: '2026-03-10T00:00:00',
    count: 5,
  }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  ['2026-03-10T08:00Z', '2026-03-10T08:30Z', '2026-03-10T09:00Z', '2026-03-11T08:00Z', '2026-03-11T08:30Z'],
);

test(
  'when count is used up, nextOccurrence is null far later too',
  next,
  daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T00:00:00', count: 2 }),
  '2026-03-11T09:00Z',
  null,
);

test('once fires at its instant and never again', (t) => {
  const s = once({ at: '2026-05-01T12:00:00', timezone: 'Europe/Berlin' });
  t.is(nextOccurrence(s, Date.parse('2026-01-01T00:00Z')), Date.parse('2026-05-01T10:00Z'));
  t.is(nextOccurrence(s, Date.parse('2026-05-01T10:00Z')), null);
});

test('once before its start never fires', (t) => {
  const s = once({ at: '2026-05-01T12:00:00', start: '2026-06-01T00:00:00' });
  t.true(neverFiresAfter(s, Date.parse('2020-01-01T00:00Z')));
});

test('a rule whose end has passed never fires again; one still running does', (t) => {
  const s = daily({ times: ['09:00:00'], every: 1, end: '2026-03-12T23:59:59' });
  t.false(neverFiresAfter(s, Date.parse('2026-03-12T08:00Z')));
  t.true(neverFiresAfter(s, Date.parse('2026-03-12T09:00Z')));
});

test('a monthly rule on day 31 every 12 months from February never fires', (t) => {
  const s = monthly({
    times: ['09:00:00'],
    day: 31,
    ifMissing: 'skip',
    every: 12,
    start: '2026-02-01T00:00:00',
  });
  t.true(neverFiresAfter(s, Date.parse('2026-01-01T00:00Z')));
});

test('occurrencesBetween stops at the limit and excludes `to`', (t) => {
  const s = daily({ times: ['09:00:00'], every: 1 });
  t.is(
    occurrencesBetween(s, Date.parse('2026-01-01T00:00Z'), Date.parse('2027-01-01T00:00Z'), 10).length,
    10,
  );
  t.deepEqual(
    occurrencesBetween(s, Date.parse('2026-01-01T09:00Z'), Date.parse('2026-01-02T09:00Z'), Infinity),
    [Date.parse('2026-01-01T09:00Z')],
  );
  t.throws(() => occurrencesBetween(s, 0, Infinity, Infinity), { instanceOf: RangeError });
});

test(
  'interval keeps weekdays and its window, and waits over the weekend',
  between,
  interval({
    everySeconds: 3600,
    between: ['08:00:00', '10:00:00'],
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    timezone: 'Asia/Tokyo',
    start: '2026-06-01T00:00:00',
  }),
  '2026-06-05T09:30+09:00',
  '2026-06-08T23:00+09:00',
  ['2026-06-05T10:00+09:00', '2026-06-08T08:00+09:00', '2026-06-08T09:00+09:00', '2026-06-08T10:00+09:00'],
);

test(
  'interval window that wraps past midnight restarts at its opening each evening',
  between,
  interval({
    everySeconds: 3600,
    between: ['22:00:00', '02:00:00'],
    days: null,
    start: '2026-06-01T00:30:00',
  }),
  '2026-06-01T00:00Z',
  '2026-06-02T12:00Z',
  [
    // The window opened on May 31 (before the start) still holds 01:00 and 02:00.
    '2026-06-01T01:00Z',
    '2026-06-01T02:00Z',
    '2026-06-01T22:00Z',
    '2026-06-01T23:00Z',
    '2026-06-02T00:00Z',
    '2026-06-02T01:00Z',
    '2026-06-02T02:00Z',
  ],
);

test(
  'a wrapping window on Fridays is Friday night: Friday 22:00 to Saturday 06:00',
  between,
  interval({
    everySeconds: 2 * 3600,
    between: ['22:00:00', '06:00:00'],
    days: ['fri'],
    start: '2026-06-01T00:00:00',
  }),
  '2026-06-05T00:00Z', // Friday
  '2026-06-13T00:00Z',
  [
    '2026-06-05T22:00Z',
    '2026-06-06T00:00Z',
    '2026-06-06T02:00Z',
    '2026-06-06T04:00Z',
    '2026-06-06T06:00Z',
    '2026-06-12T22:00Z',
  ],
);

test(
  'interval steps follow the clock, not the creation second: every 30 minutes between 08:00 and 18:00',
  between,
  interval({
    everySeconds: 1800,
    between: ['08:00:00', '18:00:00'],
    days: null,
    start: '2026-06-01T08:50:01',
  }),
  '2026-06-01T00:00Z',
  '2026-06-02T09:01Z',
  [
    ...['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '12:30', '13:00', '13:30'],
    ...['14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00', '17:30', '18:00'],
  ]
    .map((t) => `2026-06-01T${t}Z`)
    .concat(['2026-06-02T08:00Z', '2026-06-02T08:30Z', '2026-06-02T09:00Z']),
);

test(
  'every 50 minutes between 08:00 and 10:00 is 08:00, 08:50, 09:40 every day (no drift)',
  between,
  interval({
    everySeconds: 3000,
    between: ['08:00:00', '10:00:00'],
    days: null,
    start: '2026-06-01T00:00:00',
  }),
  '2026-06-01T00:00Z',
  '2026-06-04T00:00Z',
  ['01', '02', '03'].flatMap((d) => ['08:00', '08:50', '09:40'].map((t) => `2026-06-${d}T${t}Z`)),
);

test(
  'without a window the series restarts at every local midnight: every 7 hours is 00, 07, 14, 21',
  between,
  interval({ everySeconds: 7 * 3600, between: null, days: null, start: '2026-06-01T00:03:00' }),
  '2026-06-01T00:00Z',
  '2026-06-03T00:00Z',
  [
    '2026-06-01T07:00Z',
    '2026-06-01T14:00Z',
    '2026-06-01T21:00Z',
    '2026-06-02T00:00Z',
    '2026-06-02T07:00Z',
  ].concat(['2026-06-02T14:00Z', '2026-06-02T21:00Z']),
);

test(
  'between takes seconds: every 15 minutes from 00:15:30 to 23:59:59',
  between,
  interval({
    everySeconds: 900,
    between: ['00:15:30', '23:59:59'],
    days: null,
    start: '2026-06-01T00:00:00',
  }),
  '2026-06-01T00:00Z',
  '2026-06-01T01:00Z',
  ['2026-06-01T00:15:30Z', '2026-06-01T00:30:30Z', '2026-06-01T00:45:30Z'],
);

test(
  'only occurrences from the start count: count 3 created at 08:50:01 is 09:00, 09:30, 10:00',
  between,
  interval({
    everySeconds: 1800,
    between: ['08:00:00', '18:00:00'],
    days: null,
    start: '2026-06-01T08:50:01',
    count: 3,
  }),
  '2026-06-01T00:00Z',
  '2026-06-09T00:00Z',
  ['2026-06-01T09:00Z', '2026-06-01T09:30Z', '2026-06-01T10:00Z'],
);

test(
  'a step longer than its window fires once per window, at the opening',
  between,
  interval({
    everySeconds: 86_401,
    between: ['10:00:00', '10:10:00'],
    days: null,
    start: '2026-06-01T00:00:00',
  }),
  '2026-06-01T00:00Z',
  '2026-06-04T00:00Z',
  ['2026-06-01T10:00Z', '2026-06-02T10:00Z', '2026-06-03T10:00Z'],
);

test('nextOccurrence from the far past or -Infinity is the first occurrence; NaN is refused', (t) => {
  const s = daily({ times: ['09:00:00'], every: 1, start: '2026-03-10T00:00:00', timezone: 'Europe/Berlin' });
  t.is(nextOccurrence(s, -Infinity), Date.parse('2026-03-10T08:00Z'));
  t.is(nextOccurrence(s, Date.parse('1900-01-01T00:00Z')), Date.parse('2026-03-10T08:00Z'));
  t.deepEqual(occurrencesBetween(s, -Infinity, Date.parse('2026-03-12T00:00Z'), 10), [
    Date.parse('2026-03-10T08:00Z'),
    Date.parse('2026-03-11T08:00Z'),
  ]);
  t.throws(() => nextOccurrence(s, NaN), { instanceOf: RangeError });
});

test('nothing occurs after 9999-12-31', (t) => {
  const s = daily({ times: ['09:00:00'], every: 1 });
  t.is(nextOccurrence(s, Date.parse('9999-12-31T09:00Z')), null);
  t.is(nextOccurrence(s, Date.parse('9999-12-30T09:00Z')), Date.parse('9999-12-31T09:00Z'));
  t.is(nextOccurrence(s, 8.64e15), null);
});
