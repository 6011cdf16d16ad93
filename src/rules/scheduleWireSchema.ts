import { z } from 'zod';
import { isValidTimeZone, MAX_UNION_COUNT, parseLocalDateTime, parseTimeOfDay } from '../recurrence/index.js';

/**
 * The wire format of a schedule (snake_case JSON), as one discriminated union on `kind`. Field
 * checks live here; checks that relate two fields (end after start) are in parseSchedule.
 */
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const WEEKDAY_VALUES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const time = z
  .string({ error: 'must be a time of day "HH:mm" or "HH:mm:ss"' })
  .regex(TIME, { error: 'must be a time of day "HH:mm" or "HH:mm:ss"' })
  .refine((s) => !Number.isNaN(parseTimeOfDay(s)), { error: 'is not a time of day (00:00 to 23:59:59)' })
  .describe('Local time of day, "HH:mm" or "HH:mm:ss".');

const localDateTime = z
  .string({ error: 'must be a local date-time "YYYY-MM-DDTHH:mm[:ss]"' })
  .regex(LOCAL_DATE_TIME, { error: 'must be a local date-time "YYYY-MM-DDTHH:mm[:ss]" (no offset)' })
  .refine((s) => !Number.isNaN(parseLocalDateTime(s)), { error: 'is not a date-time that exists' });

const localDateOrDateTime = z
  .string({ error: 'must be a local date "YYYY-MM-DD" or date-time "YYYY-MM-DDTHH:mm[:ss]"' })
  .regex(LOCAL_DATE, {
    error: 'must be a local date "YYYY-MM-DD" or date-time "YYYY-MM-DDTHH:mm[:ss]" (no offset)',
  })
  .refine((s) => !Number.isNaN(parseLocalDateTime(s)), { error: 'is not a date that exists' });

const localDate = z
  .string({ error: 'must be a local date "YYYY-MM-DD"' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a local date "YYYY-MM-DD"' })
  .refine((s) => !Number.isNaN(parseLocalDateTime(s)), { error: 'is not a date that exists' });

/** The most except dates one schedule holds. */
export const MAX_EXCEPT_DATES = 10_000;

const weekday = z
  .enum(WEEKDAY_VALUES, { error: 'must be one of mon, tue, wed, thu, fri, sat, sun' })
  .describe('Day of the week.');

function uniqueBy<T>(key: (v: T) => string | number, what: string) {
  return (list: readonly T[], ctx: z.core.$RefinementCtx<readonly T[]>): void => {
    const seen = new Set<string | number>();
    list.forEach((v, i) => {
      const k = key(v);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${what} ${String(v)}` });
      seen.add(k);
    });
  };
}

const times = z
  .array(time, { error: 'must be a list of times of day' })
  .min(1, { error: 'must hold at least one time' })
  .superRefine(uniqueBy((t: string) => parseTimeOfDay(t), 'the time'))
  .describe('Local times of day at which the rule fires, each "HH:mm" or "HH:mm:ss"; no repeats.');

const days = z
  .array(weekday, { error: 'must be a list of weekdays' })
  .min(1, { error: 'must hold at least one weekday' })
  .superRefine(uniqueBy((d: string) => d, 'the day'));

const every = z
  .number({ error: 'must be an integer of at least 1' })
  .int({ error: 'must be an integer of at least 1' })
  .min(1, { error: 'must be at least 1' });

const ifMissing = z.enum(['skip', 'last_day'], { error: 'must be "skip" or "last_day"' });

const bounds = {
  timezone: z
    .string({ error: 'must be an IANA time zone name' })
    .refine(isValidTimeZone, { error: 'is not a known IANA time zone' })
    .optional()
    .describe(
      'IANA time zone the local times are read in, e.g. "Europe/Berlin". Default: the service\'s zone.',
    ),
  start: localDateOrDateTime
    .optional()
    .describe(
      'Local date or date-time from which the rule counts (every-N phase, count); nothing fires before ' +
        "it. Default: the rule's creation instant in its zone; an edit that gives none keeps the stored one.",
    ),
  end: localDateOrDateTime
    .optional()
    .describe(
      'Local date or date-time, inclusive, after which nothing fires; a bare date means the end of that day.',
    ),
  count: z
    .number({ error: 'must be an integer of at least 1' })
    .int({ error: 'must be an integer of at least 1' })
    .min(1, { error: 'must be at least 1' })
    .optional()
    .describe('Maximum number of occurrences, counted from start.'),
  except_dates: z
    .array(localDate, { error: 'must be a list of local dates "YYYY-MM-DD"' })
    .max(MAX_EXCEPT_DATES, { error: `must hold at most ${MAX_EXCEPT_DATES} dates` })
    .optional()
    .describe(
      'Local dates "YYYY-MM-DD" on which every occurrence is disabled (it still counts, shows as ' +
        'disabled with the date as its reason, and is never sent). Repeats are kept once.',
    ),
};

const once = z
  .strictObject({
    kind: z.literal('once'),
    at: localDateTime.describe('Local date-time of the single occurrence, "YYYY-MM-DDTHH:mm[:ss]".'),
  })
  .describe('Once, at a local date-time.');

const daily = z
  .strictObject({
    kind: z.literal('daily'),
    times,
    every: every.optional().describe('Every N days, counted from the start date. Default 1.'),
  })
  .describe('Every day (or every N days) at one or more local times.');

const weekly = z
  .strictObject({
    kind: z.literal('weekly'),
    times,
    days: days.describe('Weekdays on which the rule fires; no repeats.'),
    every: every
      .optional()
      .describe('Every N weeks, counted from the Monday-starting week containing the start date. Default 1.'),
  })
  .describe('On chosen weekdays (optionally every N weeks) at one or more local times.');

const monthly = z
  .strictObject({
    kind: z.literal('monthly'),
    times,
    day: z
      .number({ error: 'must be a day of the month 1..31, or -1 for the last day' })
      .int({ error: 'must be a day of the month 1..31, or -1 for the last day' })
      .refine((d) => d === -1 || (d >= 1 && d <= 31), {
        error: 'must be a day of the month 1..31, or -1 for the last day',
      })
      .describe('Day of the month 1..31, or -1 for the last day.'),
    if_missing: ifMissing
      .optional()
      .describe('When the month has no such day: "skip" the month (default) or use its "last_day".'),
    every: every.optional().describe('Every N months, counted from the start month. Default 1.'),
  })
  .describe('On a day of the month (optionally every N months) at one or more local times.');

const monthlyWeekday = z
  .strictObject({
    kind: z.literal('monthly_weekday'),
    times,
    weekday: weekday.describe('The weekday, e.g. "tue".'),
    week: z
      .number({ error: 'must be a week 1..5, or -1 for the last' })
      .int({ error: 'must be a week 1..5, or -1 for the last' })
      .refine((w) => w === -1 || (w >= 1 && w <= 5), { error: 'must be a week 1..5, or -1 for the last' })
      .describe('Which one of the month: 1..5, or -1 for the last.'),
    if_missing: ifMissing
      .optional()
      .describe('When the month has no 5th such weekday: "skip" the month (default) or use the last one.'),
    every: every.optional().describe('Every N months, counted from the start month. Default 1.'),
  })
  .describe('On the Nth weekday of the month ("2nd Tuesday", "last Friday") at one or more local times.');

const interval = z
  .strictObject({
    kind: z.literal('interval'),
    every_seconds: z
      .number({ error: 'must be an integer number of seconds, at least 1' })
      .int({ error: 'must be an integer number of seconds, at least 1' })
      .min(1, { error: 'must be at least 1' })
      .describe(
        'Elapsed seconds between occurrences, counted from the opening of each daily window ' +
          '(without `between`: from each local midnight).',
      ),
    between: z
      .tuple([time, time], { error: 'must be two times of day ["HH:mm[:ss]", "HH:mm[:ss]"]' })
      .optional()
      .describe(
        'Daily local window ["HH:mm[:ss]", "HH:mm[:ss]"], both ends inclusive. Every window restarts the ' +
          'series at its opening: every 50 minutes between 08:00 and 10:00 is 08:00, 08:50, 09:40 every day. ' +
          'A window whose opening is after its closing wraps past midnight and belongs to the day it opens ' +
          'on. Default: each whole local day, from midnight to the next midnight (exclusive).',
      ),
    days: days
      .optional()
      .describe(
        'Weekdays on which a window opens (a wrapping window: the day it starts). Default: every day.',
      ),
  })
  .describe(
    'Every N seconds inside a daily window, following the clock: each window (or local day) restarts the ' +
      'series at its opening and steps in elapsed time, so a window across a DST change keeps exact ' +
      'spacing. Only occurrences at or after start fire or count.',
  );

const SINGLE_KINDS = 'once, daily, weekly, monthly, monthly_weekday, interval';

/** A member of a union: one of the single kinds, with no bounds of its own. */
export const scheduleMemberWireSchema = z
  .discriminatedUnion('kind', [once, daily, weekly, monthly, monthlyWeekday, interval], {
    error: `must be one of ${SINGLE_KINDS} (a member of any_of has no timezone, start, end or count)`,
  })
  .describe("One schedule of a union; it takes the union's zone and start, and has no bounds of its own.");

/** The most schedules one union holds. */
export const MAX_UNION_MEMBERS = 50;

const anyOf = z
  .strictObject({
    kind: z.literal('any_of'),
    schedules: z
      .array(scheduleMemberWireSchema, { error: 'must be a list of schedules' })
      .min(1, { error: 'must hold at least one schedule' })
      .max(MAX_UNION_MEMBERS, { error: `must hold at most ${MAX_UNION_MEMBERS} schedules` })
      .describe(
        'The schedules merged, each of a single kind without timezone, start, end or count: every one ' +
          "reads its times in the union's zone and counts every-N from the union's start.",
      ),
    ...bounds,
    count: bounds.count
      .refine((n) => n === undefined || n <= MAX_UNION_COUNT, {
        error: `must be at most ${MAX_UNION_COUNT} for an any_of`,
      })
      .describe('Maximum number of occurrences of the merged series, counted from start.'),
  })
  .describe(
    'The union of several schedules in one zone ("Mon-Fri 09:00 and Sat 11:00"): their occurrences in ' +
      'one series, an instant two of them share occurring once; start, end and count bound the union.',
  );

export const scheduleWireSchema = z
  .discriminatedUnion(
    'kind',
    [
      once.extend(bounds).describe(once.description ?? ''),
      daily.extend(bounds).describe(daily.description ?? ''),
      weekly.extend(bounds).describe(weekly.description ?? ''),
      monthly.extend(bounds).describe(monthly.description ?? ''),
      monthlyWeekday.extend(bounds).describe(monthlyWeekday.description ?? ''),
      interval.extend(bounds).describe(interval.description ?? ''),
      anyOf,
    ],
    { error: `must be one of ${SINGLE_KINDS}, any_of` },
  )
  .describe('When a rule fires.');

export type ScheduleWire = z.input<typeof scheduleWireSchema>;

const BOUND_KEYS = new Set(['timezone', 'start', 'end', 'count', 'except_dates']);

/**
 * What to say of an unknown key at `path` (relative to a schedule, or to any body holding one at
 * `schedule`): a bound written on a member of a union is told where it belongs.
 */
export function unknownScheduleKey(path: readonly PropertyKey[], key: string): string | null {
  const at = path.length >= 2 ? path.slice(-2) : [];
  const member = at[0] === 'schedules' && typeof at[1] === 'number';
  return member && BOUND_KEYS.has(key)
    ? 'belongs to the any_of, not to one of its schedules (they share its zone and bounds)'
    : null;
}
export type ScheduleMemberWire = z.input<typeof scheduleMemberWireSchema>;
