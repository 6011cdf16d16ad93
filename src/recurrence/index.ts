/**
 * The recurrence engine: pure functions of (schedule, instant), luxon only.
 *
 * Semantics (DESIGN.md §4, RFC 5545): occurrences are generated as local date-times in the rule's
 * zone, then mapped to instants. A local time in a gap is read with the offset before the gap
 * (02:30 in a 02:00→03:00 gap fires at 03:30); a repeated local time maps to its first instant.
 * Two local times that meet at one instant (02:30 shifted by the gap and 03:30) fire once.
 * `start` bounds by local time and by instant; `end` (inclusive) by instant. `count` counts local
 * occurrences from start in local order. The interval kind follows the clock: every daily window
 * (or, without one, every local day from midnight) restarts the series at its opening and steps in
 * elapsed time inside it; `count` counts its occurrences from start. Limits: nothing after
 * 9999-12-31; an interval count is honoured over 50 years from start (a rule still counting then
 * ends there). A union (`any_of`) merges its members' occurrences (an instant shared by two occurs
 * once); its members take the union's zone and start (every-N counts from it), and its end and
 * count bound the merged series.
 */
export type {
  RecurrenceSchedule,
  RecurrenceWeekday,
  RecurrenceOnce,
  RecurrenceDaily,
  RecurrenceWeekly,
  RecurrenceMonthly,
  RecurrenceMonthlyWeekday,
  RecurrenceInterval,
  RecurrenceSingle,
  RecurrenceMember,
  RecurrenceAnyOf,
} from './types.js';
export { MAX_UNION_COUNT } from './union.js';
export { nextOccurrence } from './nextOccurrence.js';
export { occurrencesBetween } from './occurrencesBetween.js';
export { neverFiresAfter } from './neverFiresAfter.js';
export { isValidTimeZone, localDateTimeOf, instantOfLocal } from './localTime.js';
export { localIso, localNote, nearOffsetChange, formatOffset, NO_NOTE } from './localNote.js';
export type { DstShift, LocalNote } from './localNote.js';
export { parseLocalDateTime, parseTimeOfDay, formatLocalDateTime, formatTimeOfDay } from './civil.js';
