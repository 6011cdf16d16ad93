/**
 * One row of rmf-web's `scheduledtask` (with its `scheduledtaskschedule` rows) as the importer
 * finds it, converted into a scheduled task input, or the reason it cannot be. Stored date-times
 * are read as instants, a value without an offset being UTC (tortoise); JSON columns may come as
 * text or parsed; except dates are the first ten characters of what is stored (the layout before
 * rmf-web 0.1.0 kept the client's own date there, duplicates possible). Pure.
 */
import { parseRmfWebDateTime } from './rmfWebDateTime.js';
import {
  RMF_WEB_PERIODS,
  scheduleProblem,
  type RmfWebPeriod,
  type RmfWebSchedule,
  type RmfWebTaskInput,
} from './RmfWebTask.js';

export interface RmfWebSourceSchedule {
  id: number;
  every: unknown;
  period: unknown;
  at: unknown;
  /** Only in the layout before rmf-web 0.1.0. */
  startFrom?: unknown;
  until?: unknown;
}

export interface RmfWebSourceTask {
  id: number;
  taskRequest: unknown;
  createdBy: unknown;
  lastRan: unknown;
  /** Undefined in the layout before rmf-web 0.1.0 (the schedules hold them). */
  startFrom: unknown;
  until: unknown;
  exceptDates: unknown;
  schedules: RmfWebSourceSchedule[];
}

export type RmfWebConversion =
  | { ok: true; input: RmfWebTaskInput; createdBy: string; lastRan: number | null }
  | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function json(v: unknown): { value: unknown } | null {
  if (typeof v !== 'string') return { value: v };
  try {
    return { value: JSON.parse(v) as unknown };
  } catch {
    return null;
  }
}

/** A stored date-time as an instant; naive = UTC. undefined = unreadable. */
function instant(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  return parseRmfWebDateTime(v, 'UTC') ?? undefined;
}

function sameInstants(values: Array<number | null>): boolean {
  return values.every((v) => v === values[0]);
}

/** The task the row is, or why it cannot be imported. `now` refuses tasks that ended. */
export function convertRmfWebTask(row: RmfWebSourceTask, now: number): RmfWebConversion {
  const fail = (reason: string): RmfWebConversion => ({ ok: false, reason });
  const request = json(row.taskRequest);
  if (request === null) return fail('task_request is not JSON');
  if (!isObject(request.value)) return fail('task_request is not a JSON object');
  const taskRequest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.value)) if (value !== null) taskRequest[key] = value;
  if (typeof taskRequest.category !== 'string') return fail('task_request has no category');
  if (!('description' in taskRequest)) return fail('task_request has no description');
  if (row.schedules.length === 0) return fail('it has no schedules (rmf-web never runs it)');

  const schedules: RmfWebSchedule[] = [];
  for (const s of row.schedules) {
    if (!(RMF_WEB_PERIODS as readonly unknown[]).includes(s.period))
      return fail(`schedule ${s.id}: period ${JSON.stringify(s.period)} is not one of rmf-web's`);
    if (s.at === null || s.at === undefined)
      return fail(`schedule ${s.id} has no at: when it runs depended on when rmf-web's API server started`);
    if (typeof s.at !== 'string') return fail(`schedule ${s.id}: at is not text`);
    const every = s.every === null || s.every === undefined ? null : Number(s.every);
    if (every !== null && !Number.isInteger(every)) return fail(`schedule ${s.id}: every is not an integer`);
    const schedule: RmfWebSchedule = { every, period: s.period as RmfWebPeriod, at: s.at };
    const problem = scheduleProblem(schedule);
    if (problem !== null) return fail(`schedule ${s.id}: ${problem}`);
    schedules.push(schedule);
  }

  // Before rmf-web 0.1.0 each schedule had its own start_from and until; a rule has one of each.
  let startFrom: number | null | undefined;
  let until: number | null | undefined;
  if (row.startFrom === undefined && row.until === undefined) {
    const starts = row.schedules.map((s) => instant(s.startFrom));
    const ends = row.schedules.map((s) => instant(s.until));
    if (starts.includes(undefined) || ends.includes(undefined))
      return fail('a start_from or until is not a date-time');
    if (!sameInstants(starts as Array<number | null>) || !sameInstants(ends as Array<number | null>))
      return fail('its schedules have different start_from or until (a rule has one start and one end)');
    startFrom = starts[0] as number | null;
    until = ends[0] as number | null;
  } else {
    startFrom = instant(row.startFrom);
    until = instant(row.until);
    if (startFrom === undefined)
      return fail(`start_from ${JSON.stringify(row.startFrom)} is not a date-time`);
    if (until === undefined) return fail(`until ${JSON.stringify(row.until)} is not a date-time`);
  }
  if (until !== null && until < now)
    return fail(`its until (${new Date(until).toISOString()}) has passed: it never runs again`);

  const lastRan = instant(row.lastRan);
  if (lastRan === undefined) return fail(`last_ran ${JSON.stringify(row.lastRan)} is not a date-time`);

  const exceptDates: string[] = [];
  if (row.exceptDates !== null && row.exceptDates !== undefined) {
    const dates = json(row.exceptDates);
    if (dates === null || !Array.isArray(dates.value)) return fail('except_dates is not a JSON list');
    for (const d of dates.value) {
      const date = typeof d === 'string' ? d.slice(0, 10) : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || parseRmfWebDateTime(date, 'UTC') === null)
        return fail(`except date ${JSON.stringify(d)} is not a date`);
      exceptDates.push(date);
    }
  }
  const createdBy = typeof row.createdBy === 'string' ? row.createdBy : '';
  return {
    ok: true,
    input: { taskRequest, schedules, startFrom, until, exceptDates: [...new Set(exceptDates)].sort() },
    createdBy,
    lastRan,
  };
}
