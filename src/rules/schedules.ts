import type { z } from 'zod';
import {
  formatLocalDateTime,
  formatTimeOfDay,
  isValidTimeZone,
  localDateTimeOf,
  parseLocalDateTime,
  parseTimeOfDay,
} from '../recurrence/index.js';
import { DomainError, type FieldIssue } from './errors.js';
import {
  WEEKDAYS,
  type MemberSchedule,
  type Schedule,
  type ScheduleBounds,
  type SingleSchedule,
  type Weekday,
} from './Schedule.js';
import {
  scheduleWireSchema,
  unknownScheduleKey,
  type ScheduleMemberWire,
  type ScheduleWire,
} from './scheduleWireSchema.js';

/**
 * Schedules at the edge: the wire format (snake_case JSON, see scheduleWireSchema.ts) parsed into
 * the normalized domain `Schedule`, and back.
 */
export { scheduleWireSchema, type ScheduleWire };

export interface ParseScheduleContext {
  /** Zone used when the schedule names none. */
  defaultTimezone: string;
  /** Now (epoch ms); the default start is now read in the schedule's zone. */
  now: number;
  /** Prefix of field paths in errors. Default "schedule". */
  path?: string;
}

function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path)
    v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function issuesOf(error: z.ZodError, input: unknown, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath(prefix, [...issue.path, key]),
        message: unknownScheduleKey(issue.path, key) ?? 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
      return [{ field: fieldPath(prefix, issue.path), message: 'is required' }];
    }
    if (issue.code === 'invalid_type' && issue.path.length === 0) {
      return [{ field: prefix, message: 'must be an object' }];
    }
    return [{ field: fieldPath(prefix, issue.path), message: issue.message }];
  });
}

const normTime = (t: string): string => formatTimeOfDay(parseTimeOfDay(t));
const normTimes = (list: readonly string[]): string[] => list.map(normTime).sort();
const normDays = (list: readonly Weekday[]): Weekday[] => WEEKDAYS.filter((d) => list.includes(d));
const normDateTime = (s: string): string => formatLocalDateTime(parseLocalDateTime(s));
/** A bare date as an end means the end of that day. */
const normEnd = (s: string): string => (s.length === 10 ? `${s}T23:59:59` : normDateTime(s));

/**
 * Validates a wire-form schedule and normalizes it: times "HH:mm:ss" sorted, days Monday-first,
 * start/end "YYYY-MM-DDTHH:mm:ss", zone set (default `ctx.defaultTimezone`), start defaulting to
 * now read in the zone (rounded up to the second). Throws DomainError INVALID_INPUT naming fields.
 */
export function parseSchedule(input: unknown, ctx: ParseScheduleContext): Schedule {
  const prefix = ctx.path ?? 'schedule';
  const parsed = scheduleWireSchema.safeParse(input);
  if (!parsed.success) throw DomainError.invalid(issuesOf(parsed.error, input, prefix));
  const w = parsed.data;
  const timezone = w.timezone ?? ctx.defaultTimezone;
  if (!isValidTimeZone(timezone)) {
    throw DomainError.invalid({
      field: `${prefix}.timezone`,
      message: `"${timezone}" is not a known IANA time zone`,
    });
  }
  const start =
    w.start === undefined
      ? localDateTimeOf(Math.ceil(ctx.now / 1000) * 1000, timezone)
      : normDateTime(w.start);
  const end = w.end === undefined ? null : normEnd(w.end);
  if (end !== null && end < start) {
    throw DomainError.invalid({ field: `${prefix}.end`, message: `is before the start (${start})` });
  }
  const exceptDates = [...new Set(w.except_dates ?? [])].sort();
  const b: ScheduleBounds = {
    timezone,
    start,
    end,
    count: w.count ?? null,
    ...(exceptDates.length === 0 ? {} : { exceptDates }),
  };
  if (w.kind !== 'any_of') return { ...memberOf(w), ...b } as SingleSchedule;
  return { kind: 'any_of', schedules: w.schedules.map(memberOf), ...b };
}

/** The kind's own fields of a wire schedule, normalized (its bounds are the caller's). */
function memberOf(w: ScheduleMemberWire): MemberSchedule {
  switch (w.kind) {
    case 'once':
      return { kind: 'once', at: normDateTime(w.at) };
    case 'daily':
      return { kind: 'daily', times: normTimes(w.times), every: w.every ?? 1 };
    case 'weekly':
      return { kind: 'weekly', times: normTimes(w.times), days: normDays(w.days), every: w.every ?? 1 };
    case 'monthly':
      return {
        kind: 'monthly',
        times: normTimes(w.times),
        day: w.day,
        ifMissing: w.if_missing ?? 'skip',
        every: w.every ?? 1,
      };
    case 'monthly_weekday':
      return {
        kind: 'monthly_weekday',
        times: normTimes(w.times),
        weekday: w.weekday,
        week: w.week,
        ifMissing: w.if_missing ?? 'skip',
        every: w.every ?? 1,
      };
    case 'interval':
      return {
        kind: 'interval',
        everySeconds: w.every_seconds,
        between: w.between === undefined ? null : [normTime(w.between[0]), normTime(w.between[1])],
        days: w.days === undefined ? null : normDays(w.days),
      };
  }
}

/** The wire form of a normalized schedule; parseSchedule(scheduleToWire(s), …) deep-equals s. */
export function scheduleToWire(s: Schedule): ScheduleWire {
  const bounds = {
    timezone: s.timezone,
    start: s.start,
    ...(s.end === null ? {} : { end: s.end }),
    ...(s.count === null ? {} : { count: s.count }),
    ...(s.exceptDates === undefined || s.exceptDates.length === 0
      ? {}
      : { except_dates: [...s.exceptDates] }),
  };
  if (s.kind === 'any_of') return { kind: 'any_of', schedules: s.schedules.map(memberToWire), ...bounds };
  return { ...memberToWire(s), ...bounds } as ScheduleWire;
}

/** The wire form of a schedule's own fields (a member of a union, or a single kind without bounds). */
export function memberToWire(s: MemberSchedule): ScheduleMemberWire {
  switch (s.kind) {
    case 'once':
      return { kind: 'once', at: s.at };
    case 'daily':
      return { kind: 'daily', times: [...s.times], every: s.every };
    case 'weekly':
      return { kind: 'weekly', times: [...s.times], days: [...s.days], every: s.every };
    case 'monthly':
      return { kind: 'monthly', times: [...s.times], day: s.day, if_missing: s.ifMissing, every: s.every };
    case 'monthly_weekday':
      return {
        kind: 'monthly_weekday',
        times: [...s.times],
        weekday: s.weekday,
        week: s.week,
        if_missing: s.ifMissing,
        every: s.every,
      };
    case 'interval':
      return {
        kind: 'interval',
        every_seconds: s.everySeconds,
        ...(s.between === null ? {} : { between: [s.between[0], s.between[1]] as [string, string] }),
        ...(s.days === null ? {} : { days: [...s.days] }),
      };
  }
}
