import { END_OF_TIME, nextSingle } from './nextSingle.js';
import type { RecurrenceSchedule } from './types.js';
import { nextUnion } from './union.js';

/**
 * The first occurrence strictly after `after` (UTC epoch ms), or null when there is none (ended,
 * count used up, or past 9999-12-31). `after` may be -Infinity. Throws RangeError for NaN or for a
 * schedule that is not normalized. A schedule object is compiled once and must not be mutated.
 */
export function nextOccurrence(schedule: RecurrenceSchedule, after: number): number | null {
  if (Number.isNaN(after)) throw new RangeError('after must be an instant (epoch ms), not NaN');
  if (after >= END_OF_TIME) return null;
  return schedule.kind === 'any_of' ? nextUnion(schedule, after) : nextSingle(schedule, after);
}
