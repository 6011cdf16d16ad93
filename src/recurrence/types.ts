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

/** One of the kinds that a union may hold. */
export type RecurrenceSingle =
  | RecurrenceOnce
  | RecurrenceDaily
  | RecurrenceWeekly
  | RecurrenceMonthly
  | RecurrenceMonthlyWeekday
  | RecurrenceInterval;

type WithoutBounds<T> = T extends unknown ? Omit<T, keyof Bounds> : never;

/** A member of a union: a single kind without bounds of its own (it takes the union's). */
export type RecurrenceMember = WithoutBounds<RecurrenceSingle>;

/**
 * The union of several schedules in one zone: their occurrences merged (an instant two members
 * share occurs once). Members count every-N from the union's start; end and count bound the union.
 */
export interface RecurrenceAnyOf extends Bounds {
  readonly kind: 'any_of';
  readonly schedules: readonly RecurrenceMember[];
}

export type RecurrenceSchedule = RecurrenceSingle | RecurrenceAnyOf;
