import { nextOccurrence } from './nextOccurrence.js';
import type { RecurrenceSchedule } from './types.js';

/** True when the schedule has no occurrence after `now`: a rule that would never fire again. */
export function neverFiresAfter(schedule: RecurrenceSchedule, now: number): boolean {
  return nextOccurrence(schedule, now) === null;
}
