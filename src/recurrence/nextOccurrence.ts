import { nextCalendar } from './calendarNext.js';
import { DAY_MS, LAST_DAY } from './civil.js';
import { compile } from './compile.js';
import { nextInterval } from './interval.js';
import type { RecurrenceSchedule } from './types.js';

/** Past this instant (a day after 9999-12-31 UTC) nothing occurs. */
const END_OF_TIME = (LAST_DAY + 2) * DAY_MS;

/**
 * The first occurrence strictly after `after` (UTC epoch ms), or null when there is none (ended,
 * count used up, or past 9999-12-31). `after` may be -Infinity. Throws RangeError for NaN or for a
 * schedule that is not normalized. A schedule object is compiled once and must not be mutated.
 */
export function nextOccurrence(schedule: RecurrenceSchedule, after: number): number | null {
  if (Number.isNaN(after)) throw new RangeError('after must be an instant (epoch ms), not NaN');
  if (after >= END_OF_TIME) return null;
  const rule = compile(schedule);
  // Nothing occurs before the start: never look further back than that.
  const from = Math.max(after, rule.startUtc - 1);
  return rule.type === 'interval' ? nextInterval(rule, from) : nextCalendar(rule, from);
}
