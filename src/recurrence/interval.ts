import { DAY_MS, LAST_DAY, weekdayOf } from './civil.js';
import type { IntervalRule } from './compile.js';

/**
 * The interval kind follows the clock: the series restarts at the start of every daily window.
 * The window of local day D opens at `from` on D (a local time in a gap opens it where the schedule
 * rules put that time: shifted forward by the gap) and closes at `to` (inclusive) on D, or on D + 1
 * when it wraps past midnight; without `between` it is the whole day, D 00:00 up to the next local
 * midnight (exclusive). Its occurrences are opening + k·step in elapsed time, so a window that spans
 * a DST change keeps exact spacing and a 23-hour day simply ends sooner. A window belongs to the day
 * it opens on (`days` is tested on D). Should a window open before the previous one closed (a
 * closing time shifted out of a gap past the next opening), the earlier window keeps that stretch.
 */
const LAST_INSTANT = (LAST_DAY + 1) * DAY_MS;
/** A count is honoured over this span from the start; an interval rule still counting then ends there. */
export const INTERVAL_COUNT_SPAN_MS = 50 * 366 * DAY_MS;

// Outputs of windowOf (module scope, so the hot path allocates nothing).
let winStart = 0;
let winLo = 0;
let winEnd = 0;

/** The closing instant (inclusive) of the window opened on day d. */
function closeOf(r: IntervalRule, d: number): number {
  if (!r.windowed) return r.zone.toUtc((d + 1) * DAY_MS) - 1;
  return r.zone.toUtc((r.wraps ? d + 1 : d) * DAY_MS + r.to);
}

/**
 * Sets winStart (the series' anchor), winLo (the first instant the window owns: not before the
 * rule's start, after the previous window's close) and winEnd (its last instant) for day d.
 */
function windowOf(r: IntervalRule, d: number): void {
  winStart = r.zone.toUtc(d * DAY_MS + r.from);
  winEnd = closeOf(r, d);
  let lo = winStart > r.startUtc ? winStart : r.startUtc;
  // Without a window, days are contiguous by construction; with one, the previous close can only
  // reach past this opening when a gap shifted it.
  if (r.windowed && r.allowed[weekdayOf(d - 1)]) {
    const previous = closeOf(r, d - 1);
    if (previous >= lo) lo = previous + 1;
  }
  winLo = lo;
}

/** The first step of the current window at or after `at`. */
const stepFrom = (r: IntervalRule, at: number): number =>
  at <= winStart ? winStart : winStart + Math.ceil((at - winStart) / r.step) * r.step;

/** Instant of the count-th occurrence, or Infinity. */
function lastOf(r: IntervalRule): number {
  const count = r.count;
  if (count === null) return Infinity;
  const span = r.startUtc + INTERVAL_COUNT_SPAN_MS;
  const limit = Math.min(r.endUtc, LAST_INSTANT, span);
  let seen = 0;
  for (let d = Math.floor(r.zone.toLocal(r.startUtc) / DAY_MS) - 2; d <= LAST_DAY; d++) {
    if (!r.allowed[weekdayOf(d)]) continue;
    windowOf(r, d);
    if (winLo > limit) break;
    const end = winEnd < limit ? winEnd : limit;
    const first = stepFrom(r, winLo);
    if (first > end) continue;
    const n = Math.floor((end - first) / r.step) + 1;
    if (seen + n >= count) return first + (count - seen - 1) * r.step;
    seen += n;
  }
  return limit === span ? span : Infinity;
}

/** The first occurrence strictly after `after` (finite, not before the start minus 1 ms), or null. */
export function nextInterval(r: IntervalRule, after: number): number | null {
  // The last instant anything may occur (end, count, 9999-12-31), computed once per rule.
  let limit = r.limitUtc;
  if (limit !== limit) limit = r.limitUtc = Math.min(r.endUtc, lastOf(r), LAST_INSTANT);
  if (after >= r.cacheFrom && after < r.cacheEnd) {
    // In the window last answered from (every earlier window closes by cacheFrom): most queries.
    const open = r.cacheStart;
    const at = after + 1 > r.cacheLo ? after + 1 : r.cacheLo;
    const u = at <= open ? open : open + Math.ceil((at - open) / r.step) * r.step;
    if (u <= r.cacheEnd) return u <= limit ? u : null;
  }
  return scan(r, after, limit);
}

/** nextInterval, window by window. */
function scan(r: IntervalRule, after: number, limit: number): number | null {
  let d: number;
  /** Every window before day d holds nothing later than this (at most `after`). */
  let settled: number;
  if (after >= r.cacheFrom && after - r.cacheEnd < 3 * DAY_MS) {
    // In or just past the cached window (a night, a weekend): the windows up to it are done.
    d = r.cacheDay + 1;
    settled = r.cacheEnd < after ? r.cacheEnd : after;
  } else {
    // A window opened two days before may still be open (a wrap, a gap-shifted close).
    d = Math.floor(r.zone.toLocal(after) / DAY_MS) - 2;
    settled = after;
  }
  for (; d <= LAST_DAY; d++) {
    if (!r.allowed[weekdayOf(d)]) continue;
    windowOf(r, d);
    if (winLo > limit) return null;
    const u = winEnd <= after ? Infinity : stepFrom(r, after + 1 > winLo ? after + 1 : winLo);
    if (u > winEnd) {
      // Nothing here after `after`: done up to its close, or up to `after`.
      const done = winEnd < after ? winEnd : after;
      if (done > settled) settled = done;
      continue;
    }
    r.cacheDay = d;
    r.cacheFrom = settled;
    r.cacheStart = winStart;
    r.cacheLo = winLo;
    r.cacheEnd = winEnd;
    return u <= limit ? u : null;
  }
  return null;
}
