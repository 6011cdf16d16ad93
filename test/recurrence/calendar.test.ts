import test from 'ava';
import { daily, monthly, monthlyWeekday, weekly } from './factories.js';
import { between } from './macros.js';

const at9 = (dates: string[]): string[] => dates.map((d) => `${d}T09:00Z`);

test(
  'day 31, skip: only months with 31 days',
  between,
  monthly({ times: ['09:00:00'], day: 31, ifMissing: 'skip', every: 1 }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  at9(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31']),
);

test(
  'day 31, last_day: every month, on its last day',
  between,
  monthly({ times: ['09:00:00'], day: 31, ifMissing: 'last_day', every: 1 }),
  '2026-01-01T00:00Z',
  '2026-07-01T00:00Z',
  at9(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30']),
);

test(
  'day 30, skip: February is skipped',
  between,
  monthly({ times: ['09:00:00'], day: 30, ifMissing: 'skip', every: 1 }),
  '2026-01-01T00:00Z',
  '2026-04-01T00:00Z',
  at9(['2026-01-30', '2026-03-30']),
);

test(
  'day 29, skip: February 2027 is skipped, February 2028 (leap) is not',
  between,
  monthly({ times: ['09:00:00'], day: 29, ifMissing: 'skip', every: 1 }),
  '2027-01-15T00:00Z',
  '2028-03-15T00:00Z',
  at9([
    '2027-01-29',
    '2027-03-29',
    '2027-04-29',
    '2027-05-29',
    '2027-06-29',
    '2027-07-29',
    '2027-08-29',
    '2027-09-29',
    '2027-10-29',
    '2027-11-29',
    '2027-12-29',
    '2028-01-29',
    '2028-02-29',
  ]),
);

test(
  'day 29, last_day: February 28 in 2027, February 29 in 2028',
  between,
  monthly({ times: ['09:00:00'], day: 29, ifMissing: 'last_day', every: 12, start: '2027-02-01T00:00:00' }),
  '2027-01-01T00:00Z',
  '2029-12-31T00:00Z',
  at9(['2027-02-28', '2028-02-29', '2029-02-28']),
);

test(
  'day -1: the last day of each month, leap February included',
  between,
  monthly({ times: ['09:00:00'], day: -1, ifMissing: 'skip', every: 1 }),
  '2028-01-15T00:00Z',
  '2028-05-15T00:00Z',
  at9(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']),
);

test(
  '2nd Tuesday of each month',
  between,
  monthlyWeekday({ times: ['09:00:00'], weekday: 'tue', week: 2, ifMissing: 'skip', every: 1 }),
  '2026-01-01T00:00Z',
  '2026-05-01T00:00Z',
  at9(['2026-01-13', '2026-02-10', '2026-03-10', '2026-04-14']),
);

test(
  'last Friday of each month',
  between,
  monthlyWeekday({ times: ['09:00:00'], weekday: 'fri', week: -1, ifMissing: 'skip', every: 1 }),
  '2026-01-01T00:00Z',
  '2026-06-01T00:00Z',
  at9(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24', '2026-05-29']),
);

test(
  '5th Friday, skip: only months that have five Fridays',
  between,
  monthlyWeekday({ times: ['09:00:00'], weekday: 'fri', week: 5, ifMissing: 'skip', every: 1 }),
  '2026-01-01T00:00Z',
  '2027-01-01T00:00Z',
  at9(['2026-01-30', '2026-05-29', '2026-07-31', '2026-10-30']),
);

test(
  '5th Friday, last_day: the last Friday when there is no 5th',
  between,
  monthlyWeekday({ times: ['09:00:00'], weekday: 'fri', week: 5, ifMissing: 'last_day', every: 1 }),
  '2026-01-01T00:00Z',
  '2026-06-01T00:00Z',
  at9(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24', '2026-05-29']),
);

test(
  '5th Sunday of February only in a leap year that starts February on a Sunday (2032)',
  between,
  monthlyWeekday({
    times: ['09:00:00'],
    weekday: 'sun',
    week: 5,
    ifMissing: 'skip',
    every: 12,
    start: '2026-02-01T00:00:00',
  }),
  '2026-01-01T00:00Z',
  '2040-01-01T00:00Z',
  at9(['2032-02-29']),
);

test(
  'every 2 weeks from late December counts weeks from the Monday of the start week, across the year end',
  between,
  weekly({ times: ['09:00:00'], days: ['mon', 'fri'], every: 2, start: '2026-12-30T00:00:00' }),
  '2026-12-01T00:00Z',
  '2027-02-01T00:00Z',
  at9(['2027-01-01', '2027-01-11', '2027-01-15', '2027-01-25', '2027-01-29']),
);

test(
  'every 3 months from November steps into February, May, August',
  between,
  monthly({ times: ['09:00:00'], day: 20, ifMissing: 'skip', every: 3, start: '2026-11-15T00:00:00' }),
  '2026-01-01T00:00Z',
  '2027-12-31T00:00Z',
  at9(['2026-11-20', '2027-02-20', '2027-05-20', '2027-08-20', '2027-11-20']),
);

test(
  'every 3 months: a day already past in the start month waits for the next step',
  between,
  monthly({ times: ['09:00:00'], day: 10, ifMissing: 'skip', every: 3, start: '2026-11-15T00:00:00' }),
  '2026-01-01T00:00Z',
  '2027-06-01T00:00Z',
  at9(['2027-02-10', '2027-05-10']),
);

test(
  'every 2 months on the last Monday, from December',
  between,
  monthlyWeekday({
    times: ['09:00:00'],
    weekday: 'mon',
    week: -1,
    ifMissing: 'skip',
    every: 2,
    start: '2026-12-01T00:00:00',
  }),
  '2026-11-01T00:00Z',
  '2027-05-01T00:00Z',
  at9(['2026-12-28', '2027-02-22', '2027-04-26']),
);

test(
  'every 2 days counts from the start date across the year end',
  between,
  daily({ times: ['09:00:00'], every: 2, start: '2026-12-30T12:00:00' }),
  '2026-12-01T00:00Z',
  '2027-01-06T00:00Z',
  at9(['2027-01-01', '2027-01-03', '2027-01-05']),
);

test(
  'every 3 days across a leap day',
  between,
  daily({ times: ['09:00:00'], every: 3, start: '2028-02-26T00:00:00' }),
  '2028-02-01T00:00Z',
  '2028-03-07T00:00Z',
  at9(['2028-02-26', '2028-02-29', '2028-03-03', '2028-03-06']),
);

test(
  'weekly on several days at several times, in local order',
  between,
  weekly({ times: ['08:00:00', '17:30:00'], days: ['tue', 'thu'], every: 1, timezone: 'Asia/Tokyo' }),
  '2026-06-01T00:00+09:00',
  '2026-06-05T00:00+09:00',
  ['2026-06-02T08:00+09:00', '2026-06-02T17:30+09:00', '2026-06-04T08:00+09:00', '2026-06-04T17:30+09:00'],
);
