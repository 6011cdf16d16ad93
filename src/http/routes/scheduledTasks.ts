/**
 * rmf-web's six `/scheduled_tasks` routes, answered as rmf-web's API server answers them (its
 * shapes, status codes, validation and `{"detail": …}` errors; see
 * shared/rmf/RMF_WEB_SCHEDULED_TASKS.md), over rules (runtime/rmfWebTasks.ts). Deliberate
 * differences, where rmf-web's behaviour is a bug: `order_by` orders (`id`, `-id`, …; an unknown
 * field is 422, not 500), `every` below 1 is 422 (rmf-web hangs), dates compare as instants.
 * A task whose rule was changed through /rules into something rmf-web's model cannot express is
 * 409 on GET (naming the rule and why) and left out of the list; /update, /except_date and DELETE
 * still work on it.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { scheduleProblem, type RmfWebTask, type RmfWebTaskInput } from '../../rules/RmfWebTask.js';
import type { RmfWebTaskQuery, RmfWebTasks } from '../../runtime/Scheduler.js';
import {
  parseDateTimeField,
  parseExceptDateBody,
  parseLaxInt,
  parseScheduledTaskBody,
  parseTaskId,
  PydanticErrors,
  RmfWebInvalid,
} from '../rmfWebBody.js';

export const SCHEDULED_TASKS_PREFIX = '/scheduled_tasks';

/** A date-time as pydantic writes a UTC value: `2124-03-01T00:00:05Z`, microseconds when non-zero. */
export function pydanticDateTime(at: number | null): string | null {
  if (at === null) return null;
  const iso = new Date(at).toISOString();
  const ms = at - Math.floor(at / 1000) * 1000;
  return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${String(ms).padStart(3, '0')}000Z`;
}

export function presentScheduledTask(t: RmfWebTask): Record<string, unknown> {
  return {
    id: t.id,
    task_request: t.taskRequest,
    created_by: t.createdBy,
    schedules: t.schedules.map((s) => ({ every: s.every, period: s.period, at: s.at })),
    last_ran: pydanticDateTime(t.lastRan),
    start_from: pydanticDateTime(t.startFrom),
    until: pydanticDateTime(t.until),
    except_dates: t.exceptDates,
  };
}

const ORDER_FIELDS: Record<string, RmfWebTaskQuery['orderBy'][number]['field'] | null> = {
  id: 'id',
  pk: 'id',
  start_from: 'start_from',
  until: 'until',
  last_ran: 'last_ran',
  created_by: 'created_by',
  // Fields of rmf-web's model with no useful order: accepted, like rmf-web, and not ordered by.
  task_request: null,
  except_dates: null,
};

function orderByOf(raw: string | undefined): RmfWebTaskQuery['orderBy'] {
  if (raw === undefined || raw === '') return [];
  const out: RmfWebTaskQuery['orderBy'] = [];
  for (const part of raw.split(',')) {
    const desc = part.startsWith('-');
    const name = part.replace(/^[-+]/, '').trim();
    if (!(name in ORDER_FIELDS))
      throw new RmfWebInvalid(
        `Unknown field "${name}" for model "ScheduledTask" in order_by (one of ${Object.keys(ORDER_FIELDS).join(', ')})`,
      );
    const field = ORDER_FIELDS[name];
    if (field !== null && field !== undefined) out.push({ field, desc });
  }
  return out;
}

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.at(-1) : v);

function listQuery(ctx: Context, zone: string): RmfWebTaskQuery {
  const errors = new PydanticErrors();
  const q = ctx.query;
  const bound = (name: string): number => {
    const v = single(q[name]);
    if (v === undefined) {
      errors.missing(['query', name], null);
      return 0;
    }
    return parseDateTimeField(errors, ['query', name], v, zone) ?? 0;
  };
  const startBefore = bound('start_before');
  const untilAfter = bound('until_after');
  let limit = 100;
  const rawLimit = single(q.limit);
  if (rawLimit !== undefined) {
    const n = parseLaxInt(errors, ['query', 'limit'], rawLimit);
    if (n !== undefined && n <= 0)
      errors.add('greater_than', ['query', 'limit'], 'Input should be greater than 0', rawLimit, { gt: 0 });
    else if (n !== undefined && n > 1000)
      errors.add(
        'less_than_equal',
        ['query', 'limit'],
        'Input should be less than or equal to 1000',
        rawLimit,
        {
          le: 1000,
        },
      );
    else if (n !== undefined) limit = n;
  }
  let offset = 0;
  const rawOffset = single(q.offset);
  if (rawOffset !== undefined) {
    const n = parseLaxInt(errors, ['query', 'offset'], rawOffset);
    if (n !== undefined && n < 0)
      errors.add(
        'greater_than_equal',
        ['query', 'offset'],
        'Input should be greater than or equal to 0',
        rawOffset,
        {
          ge: 0,
        },
      );
    else if (n !== undefined) offset = n;
  }
  if (errors.list.length > 0) throw new RmfWebInvalid(errors.list);
  return { startBefore, untilAfter, limit, offset, orderBy: orderByOf(single(q.order_by)) };
}

/** The routes' own refusals, after the models passed (rmf-web's `schedule_task`). */
function checkRuns(input: RmfWebTaskInput, now: number): void {
  if (input.schedules.length === 0) throw new RmfWebInvalid('Task is never going to run');
  // rmf-web answers 201 and never runs it; a refusal tells the client.
  if (input.startFrom !== null && input.until !== null && input.until < input.startFrom)
    throw new RmfWebInvalid('until is before start_from: the task would never run');
  for (const s of input.schedules) {
    const problem = scheduleProblem(s);
    if (problem !== null) throw new RmfWebInvalid(problem);
    if (input.until !== null && input.until < now)
      throw new RmfWebInvalid('Cannot schedule a job to run until a time in the past');
  }
}

/** JSON `null`, which Koa would otherwise turn into a 204. */
function nullBody(ctx: Context, status: number): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = 'null';
}

export function scheduledTasksRouter(deps: {
  tasks: RmfWebTasks;
  timezone: string;
  now: () => number;
}): Router {
  const { tasks, timezone, now } = deps;
  const router = new Router({ prefix: SCHEDULED_TASKS_PREFIX });

  router.post('/', async (ctx) => {
    const input = parseScheduledTaskBody(ctx.state.body, timezone);
    checkRuns(input, now());
    ctx.status = 201;
    ctx.body = presentScheduledTask(await tasks.create(input, ctx.state.actor ?? null));
  });

  router.get('/', async (ctx) => {
    ctx.body = (await tasks.list(listQuery(ctx, timezone))).map(presentScheduledTask);
  });

  router.get('/:task_id', async (ctx) => {
    const answer = await tasks.get(parseTaskId(ctx.params.task_id as string));
    if ('problem' in answer) {
      ctx.status = 409;
      ctx.body = { detail: answer.problem };
      return;
    }
    ctx.body = presentScheduledTask(answer.task);
  });

  router.post('/:task_id/except_date', async (ctx) => {
    const id = parseTaskId(ctx.params.task_id as string);
    const date = parseExceptDateBody(ctx.state.body, timezone);
    await tasks.addExceptDate(id, date, ctx.state.actor ?? null);
    nullBody(ctx, 201);
  });

  router.post('/:task_id/update', async (ctx) => {
    const id = parseTaskId(ctx.params.task_id as string);
    const input = parseScheduledTaskBody(ctx.state.body, timezone);
    checkRuns(input, now());
    ctx.body = presentScheduledTask(await tasks.update(id, input, ctx.state.actor ?? null));
  });

  router.delete('/:task_id', async (ctx) => {
    await tasks.delete(parseTaskId(ctx.params.task_id as string), ctx.state.actor ?? null);
    nullBody(ctx, 200);
  });

  return router;
}
