import { nextCalendar } from './calendarNext.js';
import { compile } from './compile.js';
import { nextInterval } from './interval.js';
import type { RecurrenceSchedule } from './types.js';

/**
 * The first occurrence strictly after `after` (UTC epoch ms), or null when there is none (ended,
 * count used up, or past 9999-12-31). Throws RangeError for a schedule that is not normalized.
 */
export function nextOccurrence(schedule: RecurrenceSchedule, after: number): number | null {
  const rule = compile(schedule);
  return rule.type === 'interval' ? nextInterval(rule, after) : nextCalendar(rule, after);
}
