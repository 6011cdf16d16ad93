import test from 'ava';
import { daily, interval, monthly, once, weekly } from './factories.js';
import { between, next } from './macros.js';

// Transitions used below (2026):
//   America/New_York  Mar 8 02:00 EST → 03:00 EDT; Nov 1 02:00 EDT → 01:00 EST
//   Europe/London     Mar 29 01:00 GMT → 02:00 BST; Oct 25 02:00 BST → 01:00 GMT
//   Europe/Berlin     Mar 29 02:00 CET → 03:00 CEST; Oct 25 03:00 CEST → 02:00 CET
//   Australia/Sydney  Apr 5 03:00 AEDT → 02:00 AEST; Oct 4 02:00 AEST → 03:00 AEDT
const NY = 'America/New_York';

test(
  'New York: daily 02:30 fires once on spring-forward day, at 03:30 local',
  between,
  daily({ times: ['02:30:00'], every: 1, timezone: NY }),
  '2026-03-07T00:00-05:00',
  '2026-03-10T00:00-04:00',
  ['2026-03-07T02:30-05:00', '2026-03-08T03:30-04:00', '2026-03-09T02:30-04:00'],
);

test(
  'New York: daily 01:30 fires once on fall-back day, at the first 01:30',
  between,
  daily({ times: ['01:30:00'], every: 1, timezone: NY }),
  '2026-10-31T00:00-04:00',
  '2026-11-03T00:00-05:00',
  ['2026-10-31T01:30-04:00', '2026-11-01T01:30-04:00', '2026-11-02T01:30-05:00'],
);

test(
  'New York: after the first 01:30 of fall-back day, the next is the following day (no second 01:30)',
  next,
  daily({ times: ['01:30:00'], every: 1, timezone: NY }),
  '2026-11-01T01:30-04:00',
  '2026-11-02T01:30-05:00',
);

test(
  'New York: 01:30, 02:30 and 03:45 on spring-forward day are three increasing instants',
  between,
  daily({ times: ['01:30:00', '02:30:00', '03:45:00'], every: 1, timezone: NY }),
  '2026-03-08T00:00-05:00',
  '2026-03-08T12:00-04:00',
  ['2026-03-08T01:30-05:00', '2026-03-08T03:30-04:00', '2026-03-08T03:45-04:00'],
);

test(
  'New York: 02:30 shifted out of the gap and 03:30 meet at one instant, which fires once',
  between,
  daily({ times: ['01:30:00', '02:30:00', '03:30:00'], every: 1, timezone: NY }),
  '2026-03-08T00:00-05:00',
  '2026-03-08T12:00-04:00',
  ['2026-03-08T01:30-05:00', '2026-03-08T03:30-04:00'],
);

test(
  'New York: 02:45 shifted out of the gap lands after 03:15, and both fire in instant order',
  between,
  daily({ times: ['02:45:00', '03:15:00'], every: 1, timezone: NY }),
  '2026-03-08T00:00-05:00',
  '2026-03-08T12:00-04:00',
  ['2026-03-08T03:15-04:00', '2026-03-08T03:45-04:00'],
);

test(
  'New York: 01:00, 01:30, 02:00 on fall-back day use the first pass of the repeated hour',
  between,
  daily({ times: ['01:00:00', '01:30:00', '02:00:00'], every: 1, timezone: NY }),
  '2026-11-01T00:00-04:00',
  '2026-11-01T12:00-05:00',
  ['2026-11-01T01:00-04:00', '2026-11-01T01:30-04:00', '2026-11-01T02:00-05:00'],
);

test(
  'New York: once at 02:30 on spring-forward day fires at 03:30 local',
  next,
  once({ at: '2026-03-08T02:30:00', timezone: NY }),
  '2026-01-01T00:00Z',
  '2026-03-08T07:30:00.000Z',
);

test(
  'New York: weekly Sunday 02:30 skips nothing across both transitions',
  between,
  weekly({ times: ['02:30:00'], days: ['sun'], every: 1, timezone: NY }),
  '2026-03-01T00:00Z',
  '2026-03-16T00:00Z',
  ['2026-03-01T02:30-05:00', '2026-03-08T03:30-04:00', '2026-03-15T02:30-04:00'],
);

test(
  'New York: monthly on the 1st at 01:30 hits the repeated hour of Nov 1 once, first pass',
  between,
  monthly({ times: ['01:30:00'], day: 1, ifMissing: 'skip', every: 1, timezone: NY }),
  '2026-10-15T00:00Z',
  '2026-12-15T00:00Z',
  ['2026-11-01T01:30-04:00', '2026-12-01T01:30-05:00'],
);

test(
  'London: daily 01:30 on spring-forward day fires at 02:30 BST',
  between,
  daily({ times: ['01:30:00'], every: 1, timezone: 'Europe/London' }),
  '2026-03-28T12:00Z',
  '2026-03-30T12:00Z',
  ['2026-03-29T02:30+01:00', '2026-03-30T01:30+01:00'],
);

test(
  'London: daily 01:30 on fall-back day fires once, in BST',
  between,
  daily({ times: ['01:30:00'], every: 1, timezone: 'Europe/London' }),
  '2026-10-24T12:00Z',
  '2026-10-26T12:00Z',
  ['2026-10-25T01:30+01:00', '2026-10-26T01:30+00:00'],
);

test(
  'Berlin: once at the repeated 02:30 of Oct 25 is the first (CEST) instant',
  next,
  once({ at: '2026-10-25T02:30:00', timezone: 'Europe/Berlin' }),
  '2026-01-01T00:00Z',
  '2026-10-25T02:30+02:00',
);

test(
  'Berlin: daily 02:30 on spring-forward day fires at 03:30 CEST',
  next,
  daily({ times: ['02:30:00'], every: 1, timezone: 'Europe/Berlin' }),
  '2026-03-29T00:00Z',
  '2026-03-29T03:30+02:00',
);

test(
  'Sydney: daily 02:30 on the October spring-forward day fires at 03:30 AEDT',
  between,
  daily({ times: ['02:30:00'], every: 1, timezone: 'Australia/Sydney' }),
  '2026-10-02T12:00Z',
  '2026-10-04T18:00Z',
  ['2026-10-03T02:30+10:00', '2026-10-04T03:30+11:00', '2026-10-05T02:30+11:00'],
);

test(
  'Sydney: daily 02:30 on the April fall-back day fires once, at the first (AEDT) 02:30',
  between,
  daily({ times: ['02:30:00'], every: 1, timezone: 'Australia/Sydney' }),
  '2026-04-03T12:00Z',
  '2026-04-06T12:00Z',
  ['2026-04-04T02:30+11:00', '2026-04-05T02:30+11:00', '2026-04-06T02:30+10:00'],
);

test(
  'Tokyo: no DST, daily 09:00 is always 00:00 UTC',
  between,
  daily({ times: ['09:00:00'], every: 1, timezone: 'Asia/Tokyo' }),
  '2026-03-07T00:00Z',
  '2026-03-10T00:00Z',
  ['2026-03-07T00:00Z', '2026-03-08T00:00Z', '2026-03-09T00:00Z'],
);

test(
  'UTC: daily 02:30 on the US/EU transition days is 02:30 UTC',
  between,
  daily({ times: ['02:30:00'], every: 1, timezone: 'UTC' }),
  '2026-03-29T00:00Z',
  '2026-03-30T00:00Z',
  ['2026-03-29T02:30Z'],
);

test(
  'New York: hourly interval keeps exact elapsed time over spring forward',
  between,
  interval({ everySeconds: 3600, between: null, days: null, timezone: NY, start: '2026-03-07T12:00:00' }),
  '2026-03-08T00:30-05:00',
  '2026-03-08T04:30-04:00',
  ['2026-03-08T01:00-05:00', '2026-03-08T03:00-04:00', '2026-03-08T04:00-04:00'],
);

test(
  'New York: interval in a 01:00–02:00 window fires in both passes of the repeated hour',
  between,
  interval({
    everySeconds: 1800,
    between: ['01:00:00', '02:00:00'],
    days: null,
    timezone: NY,
    start: '2026-10-01T00:00:00',
  }),
  '2026-11-01T00:00-04:00',
  '2026-11-01T12:00-05:00',
  [
    '2026-11-01T01:00-04:00',
    '2026-11-01T01:30-04:00',
    '2026-11-01T01:00-05:00',
    '2026-11-01T01:30-05:00',
    '2026-11-01T02:00-05:00',
  ],
);

test(
  'New York: interval in a 02:00–03:00 window keeps only 03:00 on spring-forward day',
  between,
  interval({
    everySeconds: 900,
    between: ['02:00:00', '03:00:00'],
    days: null,
    timezone: NY,
    start: '2026-03-01T00:00:00',
  }),
  '2026-03-08T00:00-05:00',
  '2026-03-08T12:00-04:00',
  ['2026-03-08T03:00-04:00'],
);

test(
  'Sydney: every 90 minutes stays 90 minutes apart across the April fall back, and restarts at midnight',
  between,
  interval({
    everySeconds: 5400,
    between: null,
    days: null,
    timezone: 'Australia/Sydney',
    start: '2026-04-04T21:00:00',
  }),
  '2026-04-04T21:00+11:00',
  '2026-04-06T01:00+10:00',
  [
    '2026-04-04T21:00+11:00',
    '2026-04-04T22:30+11:00',
    // April 5 (25 hours): from its midnight in elapsed time, through both passes of 02:00–03:00.
    '2026-04-05T00:00+11:00',
    '2026-04-05T01:30+11:00',
    '2026-04-05T02:00+10:00',
    '2026-04-05T03:30+10:00',
    ...['05:00', '06:30', '08:00', '09:30', '11:00', '12:30', '14:00', '15:30', '17:00', '18:30'].map(
      (t) => `2026-04-05T${t}+10:00`,
    ),
    '2026-04-05T20:00+10:00',
    '2026-04-05T21:30+10:00',
    '2026-04-05T23:00+10:00',
    '2026-04-06T00:00+10:00',
  ],
);

test(
  'Berlin: every 2 hours on the 23-hour spring-forward day is elapsed time from midnight, and the day ends sooner',
  between,
  interval({
    everySeconds: 7200,
    between: null,
    days: null,
    timezone: 'Europe/Berlin',
    start: '2026-03-01T00:00:00',
  }),
  '2026-03-29T00:00+01:00',
  '2026-03-30T03:00+02:00',
  [
    '2026-03-29T00:00+01:00',
    '2026-03-29T03:00+02:00', // two hours after midnight: 02:00 does not exist
    ...['05:00', '07:00', '09:00', '11:00', '13:00', '15:00', '17:00', '19:00', '21:00', '23:00'].map(
      (t) => `2026-03-29T${t}+02:00`,
    ),
    '2026-03-30T00:00+02:00',
    '2026-03-30T02:00+02:00',
  ],
);

test(
  'Berlin: a window across the spring-forward change keeps elapsed time inside it',
  between,
  interval({
    everySeconds: 2700,
    between: ['01:00:00', '05:00:00'],
    days: null,
    timezone: 'Europe/Berlin',
    start: '2026-03-01T00:00:00',
  }),
  '2026-03-29T00:00+01:00',
  '2026-03-29T12:00+02:00',
  // 01:00 CET, then every 45 elapsed minutes until 05:00 CEST (three elapsed hours later).
  [
    '2026-03-29T01:00+01:00',
    '2026-03-29T01:45+01:00',
    '2026-03-29T03:30+02:00',
    '2026-03-29T04:15+02:00',
    '2026-03-29T05:00+02:00',
  ],
);

test(
  'Berlin: a window opening in the spring-forward gap opens where RFC 5545 puts 02:30, at 03:30',
  between,
  interval({
    everySeconds: 1200,
    between: ['02:30:00', '04:30:00'],
    days: null,
    timezone: 'Europe/Berlin',
    start: '2026-03-01T00:00:00',
  }),
  '2026-03-28T00:00+01:00',
  '2026-03-30T00:00+02:00',
  [
    ...['02:30', '02:50', '03:10', '03:30', '03:50', '04:10', '04:30'].map((t) => `2026-03-28T${t}+01:00`),
    '2026-03-29T03:30+02:00',
    '2026-03-29T03:50+02:00',
    '2026-03-29T04:10+02:00',
    '2026-03-29T04:30+02:00',
  ],
);

test(
  'New York: a window across midnight into the fall-back night runs on elapsed time',
  between,
  interval({
    everySeconds: 3600,
    between: ['23:30:00', '02:30:00'],
    days: ['sat'],
    timezone: NY,
    start: '2026-10-01T00:00:00',
  }),
  '2026-10-31T12:00-04:00', // Saturday
  '2026-11-01T12:00-05:00',
  [
    '2026-10-31T23:30-04:00',
    '2026-11-01T00:30-04:00',
    '2026-11-01T01:30-04:00',
    '2026-11-01T01:30-05:00',
    '2026-11-01T02:30-05:00',
  ],
);

test(
  'Lord Howe (30-minute DST): 02:15 in the half-hour gap fires at 02:45 local',
  next,
  daily({ times: ['02:15:00'], every: 1, timezone: 'Australia/Lord_Howe' }),
  '2026-10-03T12:00Z',
  '2026-10-04T02:45+11:00',
);

test(
  'Lord Howe (30-minute DST): the repeated 01:45 fires once, at the first instant',
  between,
  daily({ times: ['01:45:00'], every: 1, timezone: 'Australia/Lord_Howe' }),
  '2026-04-04T00:00Z',
  '2026-04-05T12:00Z',
  ['2026-04-05T01:45+11:00'],
);

test(
  'count counts local times: two that meet at one instant after a gap use two of the count',
  between,
  daily({
    times: ['01:30:00', '02:30:00', '03:30:00'],
    every: 1,
    timezone: NY,
    start: '2026-03-08T00:00:00',
    count: 4,
  }),
  '2026-03-01T00:00Z',
  '2026-04-01T00:00Z',
  ['2026-03-08T01:30-05:00', '2026-03-08T03:30-04:00', '2026-03-09T01:30-04:00'],
);
