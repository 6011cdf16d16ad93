import { nextCalendar } from './calendarNext.js';
import { DAY_MS, LAST_DAY } from './civil.js';
import { compile } from './compile.js';
import { nextInterval } from './interval.js';
import type { RecurrenceSingle } from './types.js';

/** Past this instant (a day after 9999-12-31 UTC) nothing occurs. */
export const END_OF_TIME = (LAST_DAY + 2) * DAY_MS;

/** nextOccurrence for one of the single kinds (`after` already checked). */
export function nextSingle(schedule: RecurrenceSingle, after: number): number | null {
  const rule = compile(schedule);
  // Nothing occurs before the start: never look further back than that.
  const from = Math.max(after, rule.startUtc - 1);
  return rule.type === 'interval' ? nextInterval(rule, from) : nextCalendar(rule, from);
}
