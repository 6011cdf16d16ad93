/**
 * rmf-web's scheduled tasks (its `/scheduled_tasks` routes and its `scheduledtask` tables) as
 * rules, and back. Pure. A scheduled task is one rule: each of its schedules one member of an
 * `any_of` (the schedule itself when there is one), in the server zone (the configured
 * `timezone`), starting at `start_from` (or at the task's creation), ending at `until`, its except
 * dates the schedule's except dates. The periods map as rmf-web's `schedule` library runs them:
 *
 *   weekday at HH:MM[:SS]        → weekly on that day at that time
 *   day every N at HH:MM[:SS]    → daily every N days (counted from the start date)
 *   hour every N at [MM]:SS      → interval of N hours between "00:MM:SS" and "23:59:59"
 *   minute every N at :SS        → interval of N minutes between "00:00:SS" and "23:59:59"
 *
 * A rule edited elsewhere into something rmf-web's model cannot say (a count, a monthly kind, an
 * interval that is not whole hours or minutes from its window, another zone, a robot task, a
 * disabled rule) has no rmf-web form: `taskOfRule` says why instead of showing another schedule.
 */
import { formatTimeOfDay, instantOfLocal, localDateTimeOf, parseTimeOfDay } from '../recurrence/index.js';
import type { Rule } from './Rule.js';
import type { MemberSchedule, Schedule, Weekday } from './Schedule.js';
import type { TaskRequestSpec } from './Task.js';

export const RMF_WEB_PERIODS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'day',
  'hour',
  'minute',
] as const;
export type RmfWebPeriod = (typeof RMF_WEB_PERIODS)[number];

const WEEKDAY_OF: Partial<Record<RmfWebPeriod, Weekday>> = {
  monday: 'mon',
  tuesday: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  friday: 'fri',
  saturday: 'sat',
  sunday: 'sun',
};
const PERIOD_OF: Record<Weekday, RmfWebPeriod> = {
  mon: 'monday',
  tue: 'tuesday',
  wed: 'wednesday',
  thu: 'thursday',
  fri: 'friday',
  sat: 'saturday',
  sun: 'sunday',
};

/** One of rmf-web's `ScheduledTaskSchedule`s. */
export interface RmfWebSchedule {
  /** null = 1. */
  every: number | null;
  period: RmfWebPeriod;
  at: string;
}

/** What a scheduled task is made of (rmf-web's PostScheduledTaskRequest, validated). */
export interface RmfWebTaskInput {
  /** rmf-web's TaskRequest as it came (null fields left out). */
  taskRequest: Record<string, unknown>;
  schedules: RmfWebSchedule[];
  startFrom: number | null;
  until: number | null;
  /** Local dates "YYYY-MM-DD" in the server zone. */
  exceptDates: string[];
}

/** A scheduled task as rmf-web answers it (instants as epoch ms). */
export interface RmfWebTask {
  id: number;
  ruleId: string;
  taskRequest: Record<string, unknown>;
  createdBy: string;
  schedules: RmfWebSchedule[];
  lastRan: number | null;
  startFrom: number | null;
  until: number | null;
  exceptDates: string[];
}

/** What the rule keeps of the task beyond its schedule and task (under metadata.rmf_web). */
export interface RmfWebMemo {
  /** The schedules as sent, answered verbatim while the rule's schedule is still theirs. */
  schedules: RmfWebSchedule[];
  /** The rule's start when the task had no start_from (its creation): answered as null. */
  implicit_start: string | null;
  unix_millis_earliest_start_time: unknown;
  unix_millis_request_time: unknown;
  created_by: string;
  /** Imported from an rmf-web database (the importer's second run knows its own). */
  imported?: boolean;
  /** rmf-web's own last_ran, answered until the rule fires here. */
  last_ran?: number | null;
}

/** The label every rule made from a scheduled task carries, and the one naming its id. */
export const RMF_WEB_LABEL = 'rmf_web_scheduled_task';
export const rmfWebIdLabel = (id: number): string => `rmf_web_task_id=${id}`;
export const rmfWebRuleName = (id: number, category: string): string =>
  `scheduled task ${id} — ${category}`.slice(0, 150);

const DAY_AT = /^[0-2]\d:[0-5]\d(:[0-5]\d)?$/;
const HOUR_AT = /^([0-5]\d)?:[0-5]\d$/;
const MINUTE_AT = /^:[0-5]\d$/;

/**
 * Why rmf-web's `schedule` library (or this drop-in, for `every` below 1, which hangs rmf-web)
 * refuses a schedule, in its words; null when it runs.
 */
export function scheduleProblem(s: RmfWebSchedule): string | null {
  const every = s.every ?? 1;
  if (WEEKDAY_OF[s.period] !== undefined) {
    if (every !== 1)
      return (
        `Scheduling .${s.period}() jobs is only allowed for weekly jobs. Using .${s.period}() on a ` +
        'job scheduled to run every 2 or more weeks is not supported.'
      );
  } else if (every < 1) {
    return `Invalid every: ${every} (a ${s.period} job must run every 1 or more ${s.period}s)`;
  }
  if (s.period === 'hour') {
    if (!HOUR_AT.test(s.at)) return 'Invalid time format for an hourly job (valid format is (MM)?:SS)';
    return null;
  }
  if (s.period === 'minute') {
    if (!MINUTE_AT.test(s.at)) return 'Invalid time format for a minutely job (valid format is :SS)';
    return null;
  }
  if (!DAY_AT.test(s.at)) return 'Invalid time format for a daily job (valid format is HH:MM(:SS)?)';
  const hour = Number(s.at.slice(0, 2));
  if (hour > 23) return `Invalid number of hours (${hour} is not between 0 and 23)`;
  return null;
}

/** A schedule's member (assumes scheduleProblem(s) === null), in wire form. */
export function memberWireOf(s: RmfWebSchedule): Record<string, unknown> {
  const every = s.every ?? 1;
  const weekday = WEEKDAY_OF[s.period];
  if (weekday !== undefined) return { kind: 'weekly', days: [weekday], times: [dayTime(s.at)] };
  if (s.period === 'day') return { kind: 'daily', times: [dayTime(s.at)], every };
  const [minute, second] = s.at.split(':');
  const opening = s.period === 'hour' ? `00:${minute === '' ? '00' : minute}:${second}` : `00:00:${second}`;
  return {
    kind: 'interval',
    every_seconds: every * (s.period === 'hour' ? 3600 : 60),
    between: [opening, '23:59:59'],
  };
}

const dayTime = (at: string): string => (at.length === 5 ? `${at}:00` : at);

/** Epoch ms → local date-time "YYYY-MM-DDTHH:mm:ss" in `zone`, rounded up to the second. */
const localUp = (at: number, zone: string): string => localDateTimeOf(Math.ceil(at / 1000) * 1000, zone);
const localDown = (at: number, zone: string): string => localDateTimeOf(Math.floor(at / 1000) * 1000, zone);

/**
 * The rule schedule (wire form) of a scheduled task: in `zone`, from start_from (else `createdAt`),
 * to until (inclusive), with its except dates.
 */
export function scheduleWireOf(
  input: RmfWebTaskInput,
  zone: string,
  createdAt: number,
): Record<string, unknown> {
  const members = input.schedules.map(memberWireOf);
  const bounds = {
    timezone: zone,
    start: localUp(input.startFrom ?? createdAt, zone),
    ...(input.until === null ? {} : { end: localDown(input.until, zone) }),
    ...(input.exceptDates.length === 0 ? {} : { except_dates: [...new Set(input.exceptDates)].sort() }),
  };
  if (members.length === 1) return { ...members[0], ...bounds };
  return { kind: 'any_of', schedules: members, ...bounds };
}

/** The task of the rule: RMF's dispatch_task_request with what rmf-web stored, minus per-run fields. */
export function taskSpecOf(taskRequest: Record<string, unknown>): {
  type: 'dispatch_task_request';
  request: TaskRequestSpec;
} {
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(taskRequest)) {
    if (value === null || key === 'unix_millis_earliest_start_time' || key === 'unix_millis_request_time')
      continue;
    request[key] = value;
  }
  return { type: 'dispatch_task_request', request: request as TaskRequestSpec };
}

export function memoOf(
  input: RmfWebTaskInput,
  zone: string,
  createdAt: number,
  createdBy: string,
): RmfWebMemo {
  return {
    schedules: input.schedules.map((s) => ({ every: s.every, period: s.period, at: s.at })),
    implicit_start: input.startFrom === null ? localUp(createdAt, zone) : null,
    unix_millis_earliest_start_time: input.taskRequest.unix_millis_earliest_start_time ?? null,
    unix_millis_request_time: input.taskRequest.unix_millis_request_time ?? null,
    created_by: createdBy,
  };
}

/**
 * The rule (in RuleInput's shape, schedule in wire form) a scheduled task is: named after its id
 * and category, labelled, in the server zone.
 */
export function rmfWebRuleInput(
  id: number,
  input: RmfWebTaskInput,
  zone: string,
  createdAt: number,
  createdBy: string,
  more: Partial<RmfWebMemo> = {},
): {
  name: string;
  description: string;
  schedule: Record<string, unknown>;
  task: ReturnType<typeof taskSpecOf>;
  taskAsGiven: true;
  labels: string[];
  metadata: Record<string, unknown>;
} {
  const category = typeof input.taskRequest.category === 'string' ? input.taskRequest.category : 'task';
  return {
    name: rmfWebRuleName(id, category),
    description: `rmf-web scheduled task ${id}`,
    schedule: scheduleWireOf(input, zone, createdAt),
    task: taskSpecOf(input.taskRequest),
    taskAsGiven: true,
    labels: [RMF_WEB_LABEL, rmfWebIdLabel(id)],
    metadata: { rmf_web: { ...memoOf(input, zone, createdAt, createdBy), ...more } },
  };
}

/** rmf-web's schedules for one member of a rule's schedule, or why there are none. */
function schedulesOfMember(m: MemberSchedule): RmfWebSchedule[] | string {
  const hhmm = (t: string): string => (t.endsWith(':00') ? t.slice(0, 5) : t);
  switch (m.kind) {
    case 'weekly':
      if (m.every !== 1) return `it runs every ${m.every} weeks`;
      return m.days.flatMap((d) => m.times.map((t) => ({ every: null, period: PERIOD_OF[d], at: hhmm(t) })));
    case 'daily':
      return m.times.map((t) => ({
        every: m.every === 1 ? null : m.every,
        period: 'day' as const,
        at: hhmm(t),
      }));
    case 'interval': {
      if (m.days !== null) return 'it is an interval on chosen weekdays';
      if (m.between === null || m.between[1] !== '23:59:59' || !m.between[0].startsWith('00:'))
        return 'it is an interval whose window is not from the first hour to 23:59:59';
      const [, mm, ss] = m.between[0].split(':') as [string, string, string];
      if (m.everySeconds % 3600 === 0)
        return [
          {
            every: m.everySeconds === 3600 ? null : m.everySeconds / 3600,
            period: 'hour',
            at: `${mm}:${ss}`,
          },
        ];
      if (m.everySeconds % 60 === 0 && mm === '00')
        return [
          { every: m.everySeconds === 60 ? null : m.everySeconds / 60, period: 'minute', at: `:${ss}` },
        ];
      return `it is an interval of ${m.everySeconds} seconds`;
    }
    default:
      return `it is a ${m.kind} schedule`;
  }
}

/** A schedule's canonical key: equal keys run at the same times. */
const keyOf = (s: RmfWebSchedule): string => {
  const every = s.every ?? 1;
  if (s.period === 'hour' || s.period === 'minute') {
    const [mm, ss] = s.at.split(':') as [string, string];
    return `${s.period}/${every}/${mm === '' ? '00' : mm}:${ss}`;
  }
  return `${s.period}/${WEEKDAY_OF[s.period] ? 1 : every}/${formatTimeOfDay(parseTimeOfDay(s.at))}`;
};
const sameSchedules = (a: RmfWebSchedule[], b: RmfWebSchedule[]): boolean => {
  const ka = [...new Set(a.map(keyOf))].sort();
  const kb = [...new Set(b.map(keyOf))].sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
};

/** The rule's schedule as rmf-web's, or why it cannot be. */
function rmfWebScheduleOf(
  schedule: Schedule,
  zone: string,
): { schedules: RmfWebSchedule[]; startFrom: number; until: number | null } | string {
  if (schedule.timezone !== zone) return `its time zone is ${schedule.timezone}, not the server's ${zone}`;
  if (schedule.count !== null) return `it ends after ${schedule.count} occurrences`;
  const members = schedule.kind === 'any_of' ? schedule.schedules : [schedule];
  const schedules: RmfWebSchedule[] = [];
  for (const member of members) {
    const out = schedulesOfMember(member);
    if (typeof out === 'string') return out;
    schedules.push(...out);
  }
  return {
    schedules,
    startFrom: instantOfLocal(schedule.start, zone),
    until: schedule.end === null ? null : instantOfLocal(schedule.end, zone),
  };
}

/** Every field of rmf-web's TaskRequest, null where unset. */
const TASK_REQUEST_FIELDS = [
  'category',
  'description',
  'unix_millis_earliest_start_time',
  'unix_millis_request_time',
  'priority',
  'labels',
  'requester',
  'fleet_name',
] as const;

export type RmfWebAnswer = { task: RmfWebTask } | { problem: string };

/**
 * The scheduled task a rule is, as rmf-web would answer it, or why rmf-web's model cannot express
 * the rule any more (it was changed through /rules).
 */
export function taskOfRule(id: number, rule: Rule, zone: string, lastRan: number | null): RmfWebAnswer {
  const problem = (why: string): RmfWebAnswer => ({
    problem: `scheduled task ${id} is the rule "${rule.name}" (${rule.id}), which rmf-web's model cannot express: ${why}; see GET /rules/${rule.id}`,
  });
  if (!rule.enabled) return problem('the rule is disabled');
  if (rule.task.type !== 'dispatch_task_request') return problem(`its task is a ${rule.task.type}`);
  const derived = rmfWebScheduleOf(rule.schedule, zone);
  if (typeof derived === 'string') return problem(derived);
  const memo = memoFrom(rule.metadata);
  const schedules =
    memo !== null && sameSchedules(memo.schedules, derived.schedules) ? memo.schedules : derived.schedules;
  const request = rule.task.request as Record<string, unknown>;
  const taskRequest: Record<string, unknown> = {};
  for (const field of TASK_REQUEST_FIELDS) taskRequest[field] = request[field] ?? null;
  taskRequest.unix_millis_earliest_start_time = memo?.unix_millis_earliest_start_time ?? null;
  taskRequest.unix_millis_request_time = memo?.unix_millis_request_time ?? null;
  return {
    task: {
      id,
      ruleId: rule.id,
      taskRequest,
      createdBy: memo?.created_by ?? rule.createdBy ?? '',
      schedules: schedules.map((s) => ({ every: s.every, period: s.period, at: s.at })),
      lastRan: lastRan ?? memo?.last_ran ?? null,
      startFrom: memo?.implicit_start === rule.schedule.start ? null : derived.startFrom,
      until: derived.until,
      exceptDates: [...(rule.schedule.exceptDates ?? [])],
    },
  };
}

export function memoFrom(metadata: Record<string, unknown>): RmfWebMemo | null {
  const memo = metadata.rmf_web as RmfWebMemo | undefined;
  if (typeof memo !== 'object' || memo === null || !Array.isArray(memo.schedules)) return null;
  return memo;
}
