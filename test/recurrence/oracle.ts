import { DateTime } from 'luxon';
import type { SingleSchedule as Schedule, Weekday } from '../../src/rules/Schedule.js';

/**
 * A slow, independent reference for the recurrence rules, written with luxon DateTimes and plain
 * date arithmetic: it enumerates every local day from the start, decides membership directly, and
 * maps local times to instants by searching the offsets around them.
 */
const HOUR = 3_600_000;
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const offsetAt = (ms: number, zone: string): number => DateTime.fromMillis(ms, { zone }).offset * 60_000;

/** Local "YYYY-MM-DDTHH:mm:ss" as milliseconds on a UTC calendar. */
const localMs = (local: string): number => Date.parse(`${local}Z`);

/** The first instant showing this local time; in a gap, the local time read with the offset before the gap. */
export function oracleInstant(local: string, zone: string): number {
  const l = localMs(local);
  // Transitions are months apart: the offsets 30 h either side are the only ones in play.
  const before = offsetAt(l - 30 * HOUR, zone);
  const after = offsetAt(l + 30 * HOUR, zone);
  const valid = [before, after].map((o) => l - o).filter((u) => u + offsetAt(u, zone) === l);
  // In a gap: the local time read with the offset before the gap.
  return valid.length > 0 ? Math.min(...valid) : l - before;
}

export const localOf = (instant: number, zone: string): string =>
  DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");

/** Whether the local date "YYYY-MM-DD" is an occurrence day of a calendar kind. */
export function isOccurrenceDate(s: Schedule, date: string): boolean {
  const start = DateTime.fromISO(s.start.slice(0, 10), { zone: 'UTC' });
  return isOccurrenceDay(s, DateTime.fromISO(date, { zone: 'UTC' }), start);
}

function isOccurrenceDay(s: Schedule, d: DateTime, start: DateTime): boolean {
  const wd = WEEKDAYS[d.weekday - 1] as Weekday;
  const months = (d.year - start.year) * 12 + d.month - start.month;
  switch (s.kind) {
    case 'once':
      return d.toISODate() === s.at.slice(0, 10);
    case 'daily':
      return Math.round(d.diff(start, 'days').days) % s.every === 0;
    case 'weekly': {
      const weeks = Math.round(d.startOf('week').diff(start.startOf('week'), 'weeks').weeks);
      return s.days.includes(wd) && weeks % s.every === 0;
    }
    case 'monthly': {
      if (months % s.every !== 0) return false;
      const len = d.daysInMonth as number;
      const target = s.day === -1 ? len : s.day <= len ? s.day : s.ifMissing === 'last_day' ? len : 0;
      return d.day === target;
    }
    case 'monthly_weekday': {
      if (months % s.every !== 0 || wd !== s.weekday) return false;
      const len = d.daysInMonth as number;
      const isLast = d.day + 7 > len;
      if (s.week === -1) return isLast;
      if (Math.ceil(d.day / 7) === s.week) return true;
      const hasFifth = ((d.day - 1) % 7) + 1 + 28 <= len;
      return s.week === 5 && s.ifMissing === 'last_day' && isLast && !hasFifth;
    }
    case 'interval':
      return false;
  }
}

/** All occurrences in [from, to), by enumeration from the start. */
export function oracleOccurrences(s: Schedule, from: number, to: number): number[] {
  const zone = s.timezone;
  const startU = oracleInstant(s.start, zone);
  const endU = s.end === null ? Infinity : oracleInstant(s.end, zone);
  const out: number[] = [];
  if (s.kind === 'interval') {
    // Window by window, day by day from two days before the start's local date.
    const step = s.everySeconds * 1000;
    const allowed = (d: DateTime): boolean =>
      s.days === null || s.days.includes(WEEKDAYS[d.weekday - 1] as Weekday);
    const close = (d: DateTime): number =>
      s.between === null
        ? oracleInstant(`${d.plus({ days: 1 }).toISODate()}T00:00:00`, zone) - 1
        : oracleInstant(
            `${(s.between[0] > s.between[1] ? d.plus({ days: 1 }) : d).toISODate()}T${s.between[1]}`,
            zone,
          );
    const first = DateTime.fromISO(localOf(startU, zone).slice(0, 10), { zone: 'UTC' }).minus({ days: 2 });
    const lastDay = DateTime.fromMillis(to, { zone: 'UTC' }).plus({ days: 2 });
    let kept = 0;
    for (let d = first; d <= lastDay; d = d.plus({ days: 1 })) {
      if (!allowed(d)) continue;
      const open = oracleInstant(`${d.toISODate()}T${s.between === null ? '00:00:00' : s.between[0]}`, zone);
      const shut = Math.min(close(d), endU);
      // The previous window keeps what it still holds.
      const previous = allowed(d.minus({ days: 1 })) ? close(d.minus({ days: 1 })) : -Infinity;
      for (let u = open; u <= shut; u += step) {
        if (u < startU || u <= previous) continue;
        kept += 1;
        if (s.count !== null && kept > s.count) return out;
        if (u >= from && u < to) out.push(u);
      }
    }
    return out;
  }
  const start = DateTime.fromISO(s.start.slice(0, 10), { zone: 'UTC' });
  const lastDay = DateTime.fromMillis(to, { zone: 'UTC' }).plus({ days: 2 }).startOf('day');
  const times = s.kind === 'once' ? [s.at.slice(11)] : s.times;
  let index = 0;
  outer: for (let d = start; d <= lastDay; d = d.plus({ days: 1 })) {
    if (!isOccurrenceDay(s, d, start)) continue;
    for (const t of times) {
      const local = `${d.toISODate()}T${t}`;
      if (local < s.start) continue;
      index += 1;
      if (s.count !== null && index > s.count) break outer;
      const u = oracleInstant(local, zone);
      if (u >= startU && u <= endU && u >= from && u < to) out.push(u);
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}
