import { DAY_MS, dayOf, formatLocalDateTime, formatTimeOfDay } from './civil.js';
import { compile, type CalendarRule } from './compile.js';
import type { RecurrenceAnyOf, RecurrenceSchedule, RecurrenceSingle } from './types.js';
import { ZoneTable } from './ZoneTable.js';

/**
 * How an occurrence's local time met a DST change (DESIGN.md §4):
 * - `gap_shifted`: its local time did not exist that day; it fires shifted forward by the gap
 *   (02:30 in a 02:00→03:00 gap fires at 03:30);
 * - `first_of_two`: its local time occurred twice that day; it fires at the first of the two.
 */
export type DstShift = 'gap_shifted' | 'first_of_two';

export interface LocalNote {
  readonly dst: DstShift | null;
  /**
   * Two times of the day that land on one instant and so are one occurrence (a time shifted by a
   * gap onto another of the schedule's times), as the schedule's "HH:mm:ss", else null.
   */
  readonly mergedTimes: readonly string[] | null;
}

export const NO_NOTE: LocalNote = Object.freeze({ dst: null, mergedTimes: null });

const pad = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** "+hh:mm" / "-hh:mm" of an offset in ms (rounded to the minute). */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * An instant as local ISO-8601 with its offset in a zone: "2027-03-14T03:30:00-04:00"
 * (milliseconds only when there are any). Throws RangeError for an unknown zone.
 */
export function localIso(instant: number, timezone: string): string {
  const offset = ZoneTable.for(timezone).offsetAt(instant);
  const local = instant + offset;
  const ms = ((local % 1000) + 1000) % 1000;
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return `${formatLocalDateTime(local)}${fraction}${formatOffset(offset)}`;
}

/**
 * Whether an instant is close enough to a change of offset in the zone that one of a schedule's
 * occurrences there may have been moved by it (cheap: a cached lookup for most days).
 */
export function nearOffsetChange(instant: number, timezone: string): boolean {
  const zone = ZoneTable.for(timezone);
  return typeof zone.dayInfo(dayOf(zone.toLocal(instant))) !== 'number';
}

/** The calendar-kind schedules whose times make a schedule's instants (a union's members). */
const unionMembers = new WeakMap<RecurrenceAnyOf, readonly CalendarRule[]>();

function calendarRulesOf(schedule: RecurrenceSchedule): readonly CalendarRule[] {
  if (schedule.kind !== 'any_of') {
    const rule = compile(schedule);
    return rule.type === 'calendar' ? [rule] : [];
  }
  let members = unionMembers.get(schedule);
  if (members === undefined) {
    const bounds = { timezone: schedule.timezone, start: schedule.start, end: null, count: null };
    members = schedule.schedules
      .map((m) => compile({ ...m, ...bounds } as RecurrenceSingle))
      .filter((r): r is CalendarRule => r.type === 'calendar');
    unionMembers.set(schedule, members);
  }
  return members;
}

/**
 * The DST note of `instant`, an occurrence of `schedule` (callers pass only the schedule's own
 * instants). Interval schedules step in elapsed time and are never shifted: no note. In a union,
 * a time of one member shifted onto a time of another is a merged pair too.
 */
export function localNote(schedule: RecurrenceSchedule, instant: number): LocalNote {
  const zone = ZoneTable.for(schedule.timezone);
  const local = zone.toLocal(instant);
  const info = zone.dayInfo(dayOf(local));
  if (typeof info === 'number') return NO_NOTE;
  const rules = calendarRulesOf(schedule);
  if (rules.length === 0) return NO_NOTE;
  const scheduled = (l: number): boolean => {
    const day = dayOf(l);
    return rules.some((r) => r.times.includes(l - day * DAY_MS) && r.nextDay(day) === day);
  };
  for (let i = 0; i < info.at.length; i++) {
    const change = info.at[i] as number;
    const before = info.before[i] as number;
    const after = info.after[i] as number;
    if (after > before && instant >= change && instant < change + (after - before)) {
      // A local time of the gap maps with the offset before it: this instant is its image.
      const missing = instant + before;
      if (!scheduled(missing)) return NO_NOTE;
      const merged = scheduled(local)
        ? [formatTimeOfDay(missing - dayOf(missing) * DAY_MS), formatTimeOfDay(local - dayOf(local) * DAY_MS)]
        : null;
      return { dst: 'gap_shifted', mergedTimes: merged };
    }
    if (after < before && instant >= change - (before - after) && instant < change) {
      return scheduled(local) ? { dst: 'first_of_two', mergedTimes: null } : NO_NOTE;
    }
  }
  return NO_NOTE;
}
