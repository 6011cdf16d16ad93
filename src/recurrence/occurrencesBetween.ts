import { nextOccurrence } from './nextOccurrence.js';
import type { RecurrenceSchedule } from './types.js';

/** Occurrences in [from, to), ascending, at most `limit`. `limit` may be Infinity only when `to` is finite. */
export function occurrencesBetween(
  schedule: RecurrenceSchedule,
  from: number,
  to: number,
  limit: number,
): number[] {
  if (limit === Infinity && !Number.isFinite(to))
    throw new RangeError('an unbounded window needs a finite limit');
  const out: number[] = [];
  let at = nextOccurrence(schedule, from - 1);
  while (at !== null && at < to && out.length < limit) {
    out.push(at);
    at = nextOccurrence(schedule, at);
  }
  return out;
}
