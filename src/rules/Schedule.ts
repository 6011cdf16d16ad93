/**
 * The schedule of a rule, as the domain holds it: validated and normalized (see schedules.ts for
 * the wire format and the parser). All local date-times are ISO strings without offset, read in
 * `timezone`; all times of day are "HH:mm:ss". Instants elsewhere are UTC epoch milliseconds.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** What to do with "day 31" in a 30-day month, or a "5th Tuesday" in a month with four. */
export type IfMissing = 'skip' | 'last_day';

export interface ScheduleBounds {
  /** IANA zone name, e.g. "Europe/Berlin". Always set once normalized. */
  timezone: string;
  /** Local date-time "YYYY-MM-DDTHH:mm:ss" from which the schedule counts (and before which nothing fires). */
  start: string;
  /** Local date-time "YYYY-MM-DDTHH:mm:ss", inclusive; null = no end. */
  end: string | null;
  /** Maximum number of occurrences of the recurrence (RFC 5545 COUNT); null = unbounded. */
  count: number | null;
  /**
   * Local dates "YYYY-MM-DD" (sorted, unique) on which every occurrence is disabled: it stays in
   * the series (and counts), shows as disabled with the date as its reason, and is never sent.
   * Absent = none.
   */
  exceptDates?: string[];
}

export interface OnceSchedule extends ScheduleBounds {
  kind: 'once';
  /** Local date-time "YYYY-MM-DDTHH:mm:ss". */
  at: string;
}

export interface DailySchedule extends ScheduleBounds {
  kind: 'daily';
  /** Sorted, unique "HH:mm:ss". */
  times: string[];
  /** Every N days counted from the start date. */
  every: number;
}

export interface WeeklySchedule extends ScheduleBounds {
  kind: 'weekly';
  times: string[];
  /** Sorted Monday-first, unique. */
  days: Weekday[];
  /** Every N weeks counted from the Monday-starting week that contains the start date. */
  every: number;
}

export interface MonthlySchedule extends ScheduleBounds {
  kind: 'monthly';
  times: string[];
  /** 1..31, or -1 = the last day of the month. */
  day: number;
  ifMissing: IfMissing;
  /** Every N months counted from the start month. */
  every: number;
}

export interface MonthlyWeekdaySchedule extends ScheduleBounds {
  kind: 'monthly_weekday';
  times: string[];
  weekday: Weekday;
  /** 1..5, or -1 = the last such weekday of the month. */
  week: number;
  /** Only matters for week 5: skip the month, or use the last such weekday. */
  ifMissing: IfMissing;
  every: number;
}

export interface IntervalSchedule extends ScheduleBounds {
  kind: 'interval';
  /** Steps in elapsed time from the opening of each daily window (see recurrence/interval.ts). */
  everySeconds: number;
  /**
   * Daily local window ["HH:mm:ss", "HH:mm:ss"], both ends inclusive; a window whose opening is
   * after its closing wraps past midnight and belongs to the day it opens on. null = each local day
   * from midnight to the next midnight (exclusive).
   */
  between: [string, string] | null;
  /** Weekdays on which a window opens; null = every day. */
  days: Weekday[] | null;
}

/** One of the kinds a rule's schedule, or a member of a union, may be. */
export type SingleSchedule =
  OnceSchedule | DailySchedule | WeeklySchedule | MonthlySchedule | MonthlyWeekdaySchedule | IntervalSchedule;

type WithoutBounds<T> = T extends unknown ? Omit<T, keyof ScheduleBounds> : never;

/** A member of a union: a single kind with no bounds of its own. */
export type MemberSchedule = WithoutBounds<SingleSchedule>;

export interface AnyOfSchedule extends ScheduleBounds {
  kind: 'any_of';
  /**
   * The schedules merged, at least one: their occurrences in one series, an instant two of them
   * share occurring once. Each reads its times in the union's zone and counts every-N from the
   * union's start; the union's end and count bound the merged series.
   */
  schedules: MemberSchedule[];
}

export type Schedule = SingleSchedule | AnyOfSchedule;

export type ScheduleKind = Schedule['kind'];
