import { DAY_MS, WEEKDAY_NAMES, dayOf, parseLocalDateTime, parseTimeOfDay, weekdayOf } from './civil.js';
import type { NextDay } from './calendar.js';
import { dailyDays, monthDay, monthWeekday, monthlyDays, onceDay, weeklyDays } from './calendar.js';
import type { RecurrenceSingle, RecurrenceWeekday } from './types.js';
import { ZoneTable } from './ZoneTable.js';

/**
 * A schedule prepared once for fast queries (cached per schedule object): parsed times, the zone
 * table, the start and end as instants, and the count turned into a bound — the local time of the
 * count-th occurrence (calendar kinds) or its instant (interval), so no query walks from start.
 */
export interface CalendarRule {
  readonly type: 'calendar';
  readonly zone: ZoneTable;
  /** Times of day in ms, ascending. */
  readonly times: readonly number[];
  readonly nextDay: NextDay;
  readonly startDay: number;
  readonly startLocal: number;
  readonly startUtc: number;
  readonly endUtc: number;
  /** Local time of the last occurrence allowed by count (Infinity when unbounded). */
  readonly lastLocal: number;
}

export interface IntervalRule {
  readonly type: 'interval';
  readonly zone: ZoneTable;
  readonly startUtc: number;
  readonly step: number;
  readonly endUtc: number;
  /** A daily window is given (`between`); without one each local day is the window. */
  readonly windowed: boolean;
  /** The window closes on the next local day (`from > to`). */
  readonly wraps: boolean;
  /** Window opening and closing in ms since local midnight (both inclusive; 0 without a window). */
  readonly from: number;
  readonly to: number;
  /** By weekday (0 = Monday) of the day a window opens on. */
  readonly allowed: readonly boolean[];
  readonly count: number | null;
  /** The last instant anything may occur: end, count and 9999-12-31 (NaN until computed). */
  limitUtc: number;
  /**
   * The window the last query answered from: its day, series anchor, first and last instant, and
   * from when on every earlier window is closed (queries after then and before its end land in it).
   */
  cacheDay: number;
  cacheFrom: number;
  cacheStart: number;
  cacheLo: number;
  cacheEnd: number;
}

export type CompiledRule = CalendarRule | IntervalRule;

const byObject = new WeakMap<object, CompiledRule>();
/** Equal schedules in new objects (e.g. re-read from the store) share one compiled form. */
const byValue = new Map<string, CompiledRule>();
const BY_VALUE_LIMIT = 10_000;

export function compile(schedule: RecurrenceSingle): CompiledRule {
  let rule = byObject.get(schedule);
  if (rule === undefined) {
    const key = JSON.stringify(schedule);
    rule = byValue.get(key);
    if (rule === undefined) {
      rule = build(schedule);
      if (byValue.size >= BY_VALUE_LIMIT) byValue.clear();
      byValue.set(key, rule);
    }
    byObject.set(schedule, rule);
  }
  return rule;
}

function local(text: string, what: string): number {
  const value = parseLocalDateTime(text);
  if (Number.isNaN(value)) throw new RangeError(`${what} "${text}" is not a local date-time`);
  return value;
}

function timesOf(list: readonly string[]): number[] {
  return list
    .map((t) => {
      const ms = parseTimeOfDay(t);
      if (Number.isNaN(ms)) throw new RangeError(`"${t}" is not a time of day`);
      return ms;
    })
    .sort((a, b) => a - b)
    .filter((t, i, all) => i === 0 || all[i - 1] !== t);
}

const weekdayIndex = (w: RecurrenceWeekday): number => WEEKDAY_NAMES.indexOf(w);

function build(s: RecurrenceSingle): CompiledRule {
  const zone = ZoneTable.for(s.timezone);
  const startLocal = local(s.start, 'start');
  const startUtc = zone.toUtc(startLocal);
  const endUtc = s.end === null ? Infinity : zone.toUtc(local(s.end, 'end'));
  if (s.kind === 'interval') return buildInterval(s, zone, startUtc, endUtc);

  const startDay = dayOf(startLocal);
  let times: number[];
  let nextDay: NextDay;
  switch (s.kind) {
    case 'once': {
      const at = local(s.at, 'at');
      times = [at - dayOf(at) * DAY_MS];
      nextDay = onceDay(dayOf(at));
      break;
    }
    case 'daily':
      times = timesOf(s.times);
      nextDay = dailyDays(startDay, s.every);
      break;
    case 'weekly':
      times = timesOf(s.times);
      nextDay = weeklyDays(
        startDay,
        s.every,
        [...new Set(s.days.map(weekdayIndex))].sort((a, b) => a - b),
      );
      break;
    case 'monthly':
      times = timesOf(s.times);
      nextDay = monthlyDays(startDay, s.every, monthDay(s.day, s.ifMissing));
      break;
    case 'monthly_weekday':
      times = timesOf(s.times);
      nextDay = monthlyDays(startDay, s.every, monthWeekday(weekdayIndex(s.weekday), s.week, s.ifMissing));
      break;
  }
  if (times.length === 0) throw new RangeError('a schedule needs at least one time');
  const base = { type: 'calendar' as const, zone, times, nextDay, startDay, startLocal, startUtc, endUtc };
  return { ...base, lastLocal: s.count === null ? Infinity : lastLocal(s, base, s.count) };
}

interface Base {
  times: readonly number[];
  nextDay: NextDay;
  startDay: number;
  startLocal: number;
}

/** Local time of the count-th occurrence: closed form for daily and weekly, a walk over months otherwise. */
function lastLocal(s: RecurrenceSingle, b: Base, count: number): number {
  const n = b.times.length;
  const startTod = b.startLocal - b.startDay * DAY_MS;
  const before = b.times.filter((t) => t < startTod).length;
  if (s.kind === 'daily') {
    const r = count - 1 + before;
    return (b.startDay + Math.floor(r / n) * s.every) * DAY_MS + (b.times[r % n] as number);
  }
  if (s.kind === 'weekly') {
    const days = [...new Set(s.days.map(weekdayIndex))].sort((x, y) => x - y);
    const week0 = b.startDay - weekdayOf(b.startDay);
    let skipped = 0;
    for (const wd of days) {
      if (week0 + wd < b.startDay) skipped += n;
      else if (week0 + wd === b.startDay) skipped += before;
    }
    const perWeek = days.length * n;
    const r = count - 1 + skipped;
    const rem = r % perWeek;
    const day = week0 + 7 * s.every * Math.floor(r / perWeek) + (days[Math.floor(rem / n)] as number);
    return day * DAY_MS + (b.times[rem % n] as number);
  }
  let remaining = count;
  for (let d = b.nextDay(b.startDay); d !== null; d = b.nextDay(d + 1)) {
    for (const t of b.times) {
      const at = d * DAY_MS + t;
      if (at >= b.startLocal && --remaining === 0) return at;
    }
  }
  return Infinity;
}

function buildInterval(
  s: Extract<RecurrenceSingle, { kind: 'interval' }>,
  zone: ZoneTable,
  startUtc: number,
  endUtc: number,
): IntervalRule {
  const allowed = new Array<boolean>(7).fill(s.days === null);
  for (const d of s.days ?? []) allowed[weekdayIndex(d)] = true;
  const from = s.between === null ? 0 : parseTimeOfDay(s.between[0]);
  const to = s.between === null ? 0 : parseTimeOfDay(s.between[1]);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('between holds a malformed time');
  if (!(s.everySeconds >= 1)) throw new RangeError('everySeconds must be at least 1');
  return {
    type: 'interval',
    zone,
    startUtc,
    step: s.everySeconds * 1000,
    endUtc,
    windowed: s.between !== null,
    wraps: from > to,
    from,
    to,
    allowed,
    count: s.count,
    limitUtc: NaN,
    cacheDay: NaN,
    cacheFrom: NaN,
    cacheStart: NaN,
    cacheLo: NaN,
    cacheEnd: NaN,
  };
}
