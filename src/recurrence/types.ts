/**
 * The schedule shape the engine reads. It mirrors the domain `Schedule` (rules/Schedule.ts) field
 * for field, so a domain schedule can be passed as is, without this layer importing the domain.
 */
export type RecurrenceWeekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

interface Bounds {
  readonly timezone: string;
  /** Local "YYYY-MM-DDTHH:mm:ss". */
  readonly start: string;
  /** Local "YYYY-MM-DDTHH:mm:ss", inclusive, or null. */
  readonly end: string | null;
  readonly count: number | null;
}

export interface RecurrenceOnce extends Bounds {
  readonly kind: 'once';
  readonly at: string;
}

export interface RecurrenceDaily extends Bounds {
  readonly kind: 'daily';
  readonly times: readonly string[];
  readonly every: number;
}

export interface RecurrenceWeekly extends Bounds {
  readonly kind: 'weekly';
  readonly times: readonly string[];
  readonly days: readonly RecurrenceWeekday[];
  readonly every: number;
}

export interface RecurrenceMonthly extends Bounds {
  readonly kind: 'monthly';
  readonly times: readonly string[];
  readonly day: number;
  readonly ifMissing: 'skip' | 'last_day';
  readonly every: number;
}

export interface RecurrenceMonthlyWeekday extends Bounds {
  readonly kind: 'monthly_weekday';
  readonly times: readonly string[];
  readonly weekday: RecurrenceWeekday;
  readonly week: number;
  readonly ifMissing: 'skip' | 'last_day';
  readonly every: number;
}

export interface RecurrenceInterval extends Bounds {
  readonly kind: 'interval';
  readonly everySeconds: number;
  readonly between: readonly [string, string] | null;
  readonly days: readonly RecurrenceWeekday[] | null;
}

export type RecurrenceSchedule =
  | RecurrenceOnce
  | RecurrenceDaily
  | RecurrenceWeekly
  | RecurrenceMonthly
  | RecurrenceMonthlyWeekday
  | RecurrenceInterval;
