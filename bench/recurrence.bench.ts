/**
 * Recurrence engine throughput: nextOccurrence calls per second for every kind (warm, one core,
 * `after` walking through a year), and occurrencesBetween over a year of a daily rule.
 */
import { nextOccurrence } from '../src/recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../src/recurrence/occurrencesBetween.js';
import type { RecurrenceSchedule } from '../src/recurrence/types.js';

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const AFTERS = 100_003; // spread over the year, not a divisor of any period
const MIN_MS = 1000;

const bounds = (timezone: string) => ({ timezone, start: '2025-12-15T00:00:00', end: null, count: null });

function schedules(zone: string): [string, RecurrenceSchedule][] {
  const b = bounds(zone);
  return [
    ['once', { kind: 'once', at: '2026-07-01T09:00:00', ...b }],
    ['daily (3 times)', { kind: 'daily', times: ['02:30:00', '09:00:00', '17:45:00'], every: 1, ...b }],
    ['daily every 3 days', { kind: 'daily', times: ['09:00:00'], every: 3, ...b }],
    [
      'weekly mon/wed/fri every 2',
      { kind: 'weekly', times: ['09:00:00'], days: ['mon', 'wed', 'fri'], every: 2, ...b },
    ],
    [
      'monthly day 31 skip',
      { kind: 'monthly', times: ['09:00:00'], day: 31, ifMissing: 'skip', every: 1, ...b },
    ],
    [
      'monthly last day, count 500',
      { kind: 'monthly', times: ['09:00:00'], day: -1, ifMissing: 'skip', every: 1, ...b, count: 500 },
    ],
    [
      'monthly_weekday 2nd tue',
      {
        kind: 'monthly_weekday',
        times: ['09:00:00'],
        weekday: 'tue',
        week: 2,
        ifMissing: 'skip',
        every: 1,
        ...b,
      },
    ],
    ['interval 30 min', { kind: 'interval', everySeconds: 1800, between: null, days: null, ...b }],
    [
      'interval 30 min 08-18 mon-fri',
      {
        kind: 'interval',
        everySeconds: 1800,
        between: ['08:00:00', '18:00:00'],
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        ...b,
      },
    ],
    [
      'interval 7 min, count 100000',
      {
        kind: 'interval',
        everySeconds: 420,
        between: ['22:00:00', '06:00:00'],
        days: null,
        ...b,
        count: 100_000,
      },
    ],
  ];
}

function time(fn: () => number): { calls: number; ms: number; sink: number } {
  let calls = 0;
  let sink = 0;
  const t0 = performance.now();
  let ms = 0;
  while (ms < MIN_MS) {
    sink += fn();
    calls += 1;
    ms = performance.now() - t0;
  }
  return { calls, ms, sink };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const afters = Array.from({ length: AFTERS }, (_, i) => YEAR_START + Math.floor((i * YEAR_MS) / AFTERS));
  const rows: string[][] = [];
  for (const zone of ['Europe/Berlin', 'America/New_York']) {
    for (const [name, s] of schedules(zone)) {
      const pass = (): number => {
        let acc = 0;
        for (const a of afters) acc += nextOccurrence(s, a) ?? 0;
        return acc;
      };
      pass(); // warm: zone tables, compiled schedule, JIT
      const r = time(pass);
      rows.push([zone, name, fmt((r.calls * AFTERS) / (r.ms / 1000))]);
    }
  }
  // A schedule object seen for the first time is compiled (then cached per object): the cost of
  // reading rules fresh from the store for each query.
  const fresh = schedules('Europe/Berlin')[1]?.[1] as RecurrenceSchedule;
  const uncached = (): number => {
    let acc = 0;
    for (let i = 0; i < 10_000; i++) acc += nextOccurrence({ ...fresh }, afters[i] as number) ?? 0;
    return acc;
  };
  uncached();
  const u = time(uncached);
  rows.push([
    'Europe/Berlin',
    'daily (3 times), new object each call',
    fmt((u.calls * 10_000) / (u.ms / 1000)),
  ]);

  console.log('| zone | schedule | nextOccurrence calls/s |');
  console.log('| --- | --- | ---: |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);

  console.log('\n| zone | occurrencesBetween, daily 09:00 + 17:45, one year | calls/s | occurrences/s |');
  console.log('| --- | --- | ---: | ---: |');
  for (const zone of ['Europe/Berlin', 'America/New_York']) {
    const s: RecurrenceSchedule = {
      kind: 'daily',
      times: ['09:00:00', '17:45:00'],
      every: 1,
      ...bounds(zone),
    };
    const year = (): number => occurrencesBetween(s, YEAR_START, YEAR_START + YEAR_MS, Infinity).length;
    const perCall = year();
    year();
    const r = time(year);
    const callsPerS = r.calls / (r.ms / 1000);
    console.log(
      `| ${zone} | ${perCall} occurrences per call | ${fmt(callsPerS)} | ${fmt(callsPerS * perCall)} |`,
    );
  }
}
