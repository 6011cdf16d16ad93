/**
 * rmf-web's request models for `/scheduled_tasks` (PostScheduledTaskRequest, AddExceptDateRequest,
 * the list's query), validated as its pydantic models do: unknown fields ignored, integers in lax
 * mode ("2" and 2.0 pass, 1.5 does not), any description. Errors are pydantic's, as FastAPI
 * writes them under `detail`: `{type, loc, msg, input}`.
 */
import {
  RMF_WEB_PERIODS,
  type RmfWebPeriod,
  type RmfWebSchedule,
  type RmfWebTaskInput,
} from '../rules/RmfWebTask.js';
import { parseRmfWebDateTime } from '../rules/rmfWebDateTime.js';
import { localDateTimeOf } from '../recurrence/index.js';

export interface PydanticError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** A 422 whose `detail` is a list of pydantic errors (or a message, for the routes' own refusals). */
export class RmfWebInvalid extends Error {
  constructor(readonly detail: PydanticError[] | string) {
    super(typeof detail === 'string' ? detail : detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; '));
    this.name = 'RmfWebInvalid';
  }
}

type Loc = Array<string | number>;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class Errors {
  readonly list: PydanticError[] = [];
  missing(loc: Loc, parent: unknown): void {
    this.list.push({ type: 'missing', loc, msg: 'Field required', input: parent });
  }
  add(type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): void {
    this.list.push({ type, loc, msg, input, ...(ctx ? { ctx } : {}) });
  }
}

/** Lax int: ints, integral floats, integer strings. */
function laxInt(errors: Errors, loc: Loc, v: unknown): number | undefined {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
    if (Number.isFinite(v))
      errors.add(
        'int_from_float',
        loc,
        'Input should be a valid integer, got a number with a fractional part',
        v,
      );
    else errors.add('finite_number', loc, 'Input should be a finite number', v);
    return undefined;
  }
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v.trim());
  if (typeof v === 'string') {
    errors.add(
      'int_parsing',
      loc,
      'Input should be a valid integer, unable to parse string as an integer',
      v,
    );
    return undefined;
  }
  errors.add('int_type', loc, 'Input should be a valid integer', v);
  return undefined;
}

function str(errors: Errors, loc: Loc, v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  errors.add('string_type', loc, 'Input should be a valid string', v);
  return undefined;
}

function dateTime(errors: Errors, loc: Loc, v: unknown, zone: string): number | undefined {
  const at = parseRmfWebDateTime(v, zone);
  if (at !== null) return at;
  if (typeof v === 'string' || typeof v === 'number')
    errors.add(
      'datetime_from_date_parsing',
      loc,
      'Input should be a valid datetime or date, invalid character',
      v,
    );
  else errors.add('datetime_type', loc, 'Input should be a valid datetime', v);
  return undefined;
}

const periodList = RMF_WEB_PERIODS.map((p) => `'${p}'`);
const PERIOD_MESSAGE = `Input should be ${periodList.slice(0, -1).join(', ')} or ${periodList.at(-1)}`;

function taskRequest(errors: Errors, body: Record<string, unknown>): Record<string, unknown> | undefined {
  const loc = ['body', 'task_request'];
  if (!('task_request' in body)) {
    errors.missing(loc, body);
    return undefined;
  }
  const v = body.task_request;
  if (!isObject(v)) {
    errors.add('model_type', loc, 'Input should be a valid dictionary or instance of TaskRequest', v, {
      class_name: 'TaskRequest',
    });
    return undefined;
  }
  const out: Record<string, unknown> = {};
  if (v.category === undefined) errors.missing([...loc, 'category'], v);
  else out.category = str(errors, [...loc, 'category'], v.category);
  if (!('description' in v)) errors.missing([...loc, 'description'], v);
  else out.description = v.description;
  for (const key of ['unix_millis_earliest_start_time', 'unix_millis_request_time'] as const) {
    if (v[key] !== undefined && v[key] !== null) out[key] = laxInt(errors, [...loc, key], v[key]);
  }
  if (v.priority !== undefined && v.priority !== null) {
    if (isObject(v.priority)) out.priority = v.priority;
    else errors.add('dict_type', [...loc, 'priority'], 'Input should be a valid dictionary', v.priority);
  }
  if (v.labels !== undefined && v.labels !== null) {
    if (!Array.isArray(v.labels))
      errors.add('list_type', [...loc, 'labels'], 'Input should be a valid list', v.labels);
    else out.labels = v.labels.map((l, i) => str(errors, [...loc, 'labels', i], l));
  }
  for (const key of ['requester', 'fleet_name'] as const) {
    if (v[key] !== undefined && v[key] !== null) out[key] = str(errors, [...loc, key], v[key]);
  }
  return out;
}

function schedules(errors: Errors, body: Record<string, unknown>): RmfWebSchedule[] {
  const loc = ['body', 'schedules'];
  if (!('schedules' in body)) {
    errors.missing(loc, body);
    return [];
  }
  const v = body.schedules;
  if (!Array.isArray(v)) {
    errors.add('list_type', loc, 'Input should be a valid list', v);
    return [];
  }
  const out: RmfWebSchedule[] = [];
  v.forEach((item, i) => {
    const at = [...loc, i];
    if (!isObject(item)) {
      errors.add(
        'model_type',
        at,
        'Input should be a valid dictionary or instance of ScheduledTaskSchedule',
        item,
        {
          class_name: 'ScheduledTaskSchedule',
        },
      );
      return;
    }
    const every =
      item.every === undefined || item.every === null ? null : laxInt(errors, [...at, 'every'], item.every);
    let period: RmfWebPeriod | undefined;
    if (item.period === undefined) errors.missing([...at, 'period'], item);
    else if ((RMF_WEB_PERIODS as readonly unknown[]).includes(item.period))
      period = item.period as RmfWebPeriod;
    else
      errors.add('enum', [...at, 'period'], PERIOD_MESSAGE, item.period, {
        expected: periodList.slice(0, -1).join(', ') + ` or ${periodList.at(-1)}`,
      });
    const atValue =
      item.at === undefined
        ? (errors.missing([...at, 'at'], item), undefined)
        : str(errors, [...at, 'at'], item.at);
    if (every !== undefined && period !== undefined && atValue !== undefined)
      out.push({ every, period, at: atValue });
  });
  return out;
}

/** The local date (server zone) of an except date; naive values are read in the server zone. */
export function exceptDateOf(at: number, zone: string): string {
  return localDateTimeOf(at, zone).slice(0, 10);
}

/** The body as an object, else FastAPI's 422 for a missing body or one that is no object. */
function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined)
    throw new RmfWebInvalid([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  if (!isObject(body))
    throw new RmfWebInvalid([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  return body;
}

/** PostScheduledTaskRequest → a validated task input (the routes' own checks are the caller's). */
export function parseScheduledTaskBody(input: unknown, zone: string): RmfWebTaskInput {
  const errors = new Errors();
  const body = bodyObject(input);
  const request = taskRequest(errors, body);
  const list = schedules(errors, body);
  const bound = (key: 'start_from' | 'until'): number | null => {
    const v = body[key];
    if (v === undefined || v === null) return null;
    return dateTime(errors, ['body', key], v, zone) ?? null;
  };
  const startFrom = bound('start_from');
  const until = bound('until');
  const exceptDates: string[] = [];
  const raw = body.except_dates;
  if (raw !== undefined) {
    if (!Array.isArray(raw))
      errors.add('list_type', ['body', 'except_dates'], 'Input should be a valid list', raw);
    else
      raw.forEach((v, i) => {
        const at = dateTime(errors, ['body', 'except_dates', i], v, zone);
        if (at !== undefined) exceptDates.push(exceptDateOf(at, zone));
      });
  }
  if (errors.list.length > 0) throw new RmfWebInvalid(errors.list);
  return { taskRequest: request ?? {}, schedules: list, startFrom, until, exceptDates };
}

/** AddExceptDateRequest → the local date of the server zone it names. */
export function parseExceptDateBody(input: unknown, zone: string): string {
  const errors = new Errors();
  const body = bodyObject(input);
  if (!('except_date' in body)) errors.missing(['body', 'except_date'], body);
  const at =
    'except_date' in body ? dateTime(errors, ['body', 'except_date'], body.except_date, zone) : undefined;
  if (errors.list.length > 0 || at === undefined) throw new RmfWebInvalid(errors.list);
  return exceptDateOf(at, zone);
}

/** The `task_id` path parameter: an integer (lax), else 422. */
export function parseTaskId(raw: string): number {
  const errors = new Errors();
  const id = laxInt(errors, ['path', 'task_id'], raw);
  if (id === undefined) throw new RmfWebInvalid(errors.list);
  return id;
}

export { Errors as PydanticErrors, dateTime as parseDateTimeField, laxInt as parseLaxInt };
