/**
 * Except dates: local dates of a schedule on which every occurrence is disabled (see
 * ScheduleBounds.exceptDates). Pure.
 */
import { localDateTimeOf } from '../recurrence/index.js';
import type { Schedule } from './Schedule.js';

const sets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The except date an occurrence at `at` falls on (its local date in the schedule's zone), or null. */
export function exceptDateOf(schedule: Schedule, at: number): string | null {
  const dates = schedule.exceptDates;
  if (dates === undefined || dates.length === 0) return null;
  let set = sets.get(dates);
  if (set === undefined) {
    set = new Set(dates);
    sets.set(dates, set);
  }
  const date = localDateTimeOf(at, schedule.timezone).slice(0, 10);
  return set.has(date) ? date : null;
}

/** Why an occurrence on an except date is disabled. */
export const exceptDateReason = (date: string): string => `${date} is an except date of the schedule`;

/** The reason an occurrence at `at` is disabled by an except date, or null when it is not. */
export function exceptedReason(schedule: Schedule, at: number): string | null {
  const date = exceptDateOf(schedule, at);
  return date === null ? null : exceptDateReason(date);
}
