/**
 * The recurrence questions the facade asks, in one place: occurrences in a window, whether an
 * instant is an occurrence, the first occurrences after an instant, and why a schedule never fires.
 */
import { nextOccurrence } from '../recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../recurrence/occurrencesBetween.js';
import { instantOfLocal } from '../recurrence/localTime.js';
import type { Schedule } from '../rules/Schedule.js';

export { nextOccurrence };

/** Occurrences in [from, to), ascending, at most `limit`. */
export function instantsBetween(schedule: Schedule, from: number, to: number, limit: number): number[] {
  return occurrencesBetween(schedule, from, to, limit);
}

/** Is `at` exactly one of the schedule's occurrences? */
export function isOccurrence(schedule: Schedule, at: number): boolean {
  return nextOccurrence(schedule, at - 1) === at;
}

/** The first `count` occurrences strictly after `after` (and before `until`, when given). */
export function occurrencesAfter(
  schedule: Schedule,
  after: number,
  count: number,
  until = Infinity,
): number[] {
  const out: number[] = [];
  let cursor = after;
  while (out.length < count) {
    const next = nextOccurrence(schedule, cursor);
    if (next === null || next >= until) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/** The schedule's start as an instant (its local start read in its zone). */
export function scheduleStartInstant(schedule: Schedule): number {
  return instantOfLocal(schedule.start, schedule.timezone);
}

/** Why a schedule will never fire after `now`, or null when it will. */
export function neverFiresReason(schedule: Schedule, now: number): string | null {
  if (nextOccurrence(schedule, now) !== null) return null;
  const first = nextOccurrence(schedule, scheduleStartInstant(schedule) - 1);
  return first === null
    ? 'the schedule has no occurrence'
    : `every occurrence is in the past (the last one was before ${new Date(now).toISOString()})`;
}
