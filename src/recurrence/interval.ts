import { DAY_MS, LAST_DAY, weekdayOf } from './civil.js';
import type { IntervalRule } from './compile.js';

/**
 * The interval kind: instants start + k·step, kept when their local time of day is inside the
 * window and their local weekday is allowed. Elapsed time is exact across DST changes; only the
 * window test reads local time. Queries jump from one allowed stretch of time to the next, so a
 * narrow window costs no more than a wide one.
 */
const LAST_INSTANT = (LAST_DAY + 1) * DAY_MS;
/**
 * How far past `after` a search for the next kept step goes before giving up: a rule whose steps
 * stay out of its window for longer (e.g. every 86,401 s in a 10-minute window) counts as ended.
 */
export const INTERVAL_SEARCH_MS = 5 * 366 * DAY_MS;
/** A count is honoured over this span from the start; an interval rule still counting then ends there. */
export const INTERVAL_COUNT_SPAN_MS = 50 * 366 * DAY_MS;

// Outputs of allowedLocal / allowedRange (kept in module scope so the hot path allocates nothing).
let localFrom = 0;
let localTo = 0;
let rangeFrom = 0;
let rangeTo = 0;

/** Smallest step instant strictly after `after`. */
function stepAfter(r: IntervalRule, after: number): number {
  if (after < r.startUtc) return r.startUtc;
  return r.startUtc + (Math.floor((after - r.startUtc) / r.step) + 1) * r.step;
}

/** Smallest step instant at or after `at`. */
function stepAtOrAfter(r: IntervalRule, at: number): number {
  if (at <= r.startUtc) return r.startUtc;
  return r.startUtc + Math.ceil((at - r.startUtc) / r.step) * r.step;
}

/** The first allowed local stretch [localFrom, localTo] (inclusive) ending at or after `local`, clipped to start there. */
function allowedLocal(r: IntervalRule, local: number): boolean {
  const first = Math.floor(local / DAY_MS);
  for (let d = first; d <= first + 7; d++) {
    if (!r.allowed[weekdayOf(d)]) continue;
    const base = d * DAY_MS;
    if (r.from <= r.to) {
      if (base + r.to >= local) return set(Math.max(local, base + r.from), base + r.to);
    } else {
      if (base + r.to >= local) return set(Math.max(local, base), base + r.to);
      if (base + DAY_MS - 1 >= local) return set(Math.max(local, base + r.from), base + DAY_MS - 1);
    }
  }
  return false;
}

function set(from: number, to: number): true {
  localFrom = from;
  localTo = to;
  return true;
}

/**
 * The first stretch of instants [rangeFrom, rangeTo] at or after `at` whose local time is allowed,
 * within one constant-offset stretch of the zone. False when none starts by `limit`.
 */
function allowedRange(r: IntervalRule, at: number, limit: number): boolean {
  const zone = r.zone;
  let x = at;
  while (x <= limit) {
    zone.segmentAt(x);
    const offset = zone.segOffset;
    const end = zone.segEnd;
    if (!allowedLocal(r, x + offset)) return false;
    const from = localFrom - offset;
    if (from >= end) {
      x = end;
      continue;
    }
    rangeFrom = from;
    rangeTo = Math.min(localTo - offset, end - 1);
    return rangeFrom <= limit;
  }
  return false;
}

/** Instant of the count-th kept step, or Infinity. */
function lastUtc(r: IntervalRule): number {
  if (!Number.isNaN(r.lastUtc)) return r.lastUtc;
  const count = r.count ?? Infinity;
  let result = Infinity;
  if (r.always) {
    result = (count - 1) * r.step > LAST_INSTANT - r.startUtc ? Infinity : r.startUtc + (count - 1) * r.step;
  } else {
    const limit = Math.min(r.endUtc, LAST_INSTANT, r.startUtc + INTERVAL_COUNT_SPAN_MS);
    if (limit === r.startUtc + INTERVAL_COUNT_SPAN_MS) result = limit;
    let seen = 0;
    let x = r.startUtc;
    while (allowedRange(r, x, limit)) {
      const g = stepAtOrAfter(r, rangeFrom);
      if (g <= rangeTo) {
        const n = Math.floor((rangeTo - r.startUtc) / r.step) - (g - r.startUtc) / r.step + 1;
        if (seen + n >= count) {
          result = g + (count - seen - 1) * r.step;
          break;
        }
        seen += n;
      }
      x = rangeTo + 1;
    }
  }
  r.lastUtc = result;
  return result;
}

export function nextInterval(r: IntervalRule, after: number): number | null {
  const limit = Math.min(r.endUtc, lastUtc(r), after + INTERVAL_SEARCH_MS, LAST_INSTANT);
  let u = stepAfter(r, after);
  while (u <= limit) {
    if (r.always) return u;
    if (!allowedRange(r, u, limit)) return null;
    const g = stepAtOrAfter(r, rangeFrom);
    if (g <= rangeTo) return g <= limit ? g : null;
    u = g;
  }
  return null;
}
