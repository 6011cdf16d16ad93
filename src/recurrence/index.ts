export type {
  RecurrenceSchedule,
  RecurrenceWeekday,
  RecurrenceOnce,
  RecurrenceDaily,
  RecurrenceWeekly,
  RecurrenceMonthly,
  RecurrenceMonthlyWeekday,
  RecurrenceInterval,
} from './types.js';
export { nextOccurrence } from './nextOccurrence.js';
export { occurrencesBetween } from './occurrencesBetween.js';
export { neverFiresAfter } from './neverFiresAfter.js';
export { isValidTimeZone, localDateTimeOf, instantOfLocal } from './localTime.js';
export { parseLocalDateTime, parseTimeOfDay, formatLocalDateTime, formatTimeOfDay } from './civil.js';
