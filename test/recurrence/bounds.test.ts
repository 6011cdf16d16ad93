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
  'interval window that wraps past midnight',
  between,
  interval({
    everySeconds: 3600,
    between: ['22:00:00', '02:00:00'],
    days: null,
    start: '2026-06-01T00:30:00',
  }),
  '2026-06-01T12:00Z',
  '2026-06-02T12:00Z',
  ['2026-06-01T22:30Z', '2026-06-01T23:30Z', '2026-06-02T00:30Z', '2026-06-02T01:30Z'],
);

test(
  'interval steps count from the start instant, not from midnight',
  between,
  interval({ everySeconds: 7 * 60, between: null, days: null, start: '2026-06-01T00:03:00' }),
  '2026-06-01T00:00Z',
  '2026-06-01T00:20Z',
  ['2026-06-01T00:03Z', '2026-06-01T00:10Z', '2026-06-01T00:17Z'],
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
