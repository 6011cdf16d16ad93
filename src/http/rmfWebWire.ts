/**
 * rmf-web's `/scheduled_tasks` routes as the OpenAPI document describes them (routes/scheduledTasks.ts
 * validates them as rmf-web's pydantic models do: rmfWebBody.ts). Their errors are FastAPI's
 * `{"detail": …}`, not the service's own.
 */
import { z } from 'zod';
import { RMF_WEB_PERIODS } from '../rules/RmfWebTask.js';
import type { Route } from './openapiRoutes.js';

const dateTime = z.union([z.string(), z.number()]).meta({
  description:
    'A date-time as pydantic reads it: ISO 8601 (`T` or space, offset optional: naive = the server zone), a bare date, or unix seconds/milliseconds',
});

const scheduleItem = z
  .looseObject({
    every: z
      .union([z.number().int(), z.null()])
      .optional()
      .meta({ description: 'Every N periods; null = 1 (weekdays: 1 only)' }),
    period: z.enum(RMF_WEB_PERIODS),
    at: z.string().meta({
      description: 'day and weekdays: "HH:MM[:SS]" in the server zone; hour: "[MM]:SS"; minute: ":SS"',
    }),
  })
  .meta({ id: 'ScheduledTaskSchedule' });

const taskRequest = z
  .looseObject({
    category: z.string(),
    description: z.unknown().meta({ description: 'Any value (not checked against RMF’s schemas)' }),
    unix_millis_earliest_start_time: z.number().int().nullable().optional(),
    unix_millis_request_time: z.number().int().nullable().optional(),
    priority: z.record(z.string(), z.unknown()).nullable().optional(),
    labels: z.array(z.string()).nullable().optional(),
    requester: z.string().nullable().optional(),
    fleet_name: z.string().nullable().optional(),
  })
  .meta({ id: 'RmfWebTaskRequest', description: "rmf-web's TaskRequest, stored as sent" });

export const postScheduledTaskBody = z
  .looseObject({
    task_request: taskRequest,
    schedules: z
      .array(scheduleItem)
      .meta({ description: 'At least one (else 422 "Task is never going to run")' }),
    start_from: dateTime.nullable().optional(),
    until: dateTime.nullable().optional(),
    except_dates: z
      .array(dateTime)
      .optional()
      .meta({ description: 'Dates in the server zone (the time is only used to find it)' }),
  })
  .meta({ id: 'PostScheduledTaskRequest' });

const instantOrNull = z.string().nullable().meta({ description: 'ISO 8601 UTC ("…Z"), or null' });

export const scheduledTaskWire = z
  .object({
    id: z.number().int(),
    task_request: taskRequest,
    created_by: z.string(),
    schedules: z.array(
      z.object({ every: z.number().int().nullable(), period: z.enum(RMF_WEB_PERIODS), at: z.string() }),
    ),
    last_ran: instantOrNull.meta({ description: 'When the last run was published to RMF, or null' }),
    start_from: instantOrNull,
    until: instantOrNull,
    except_dates: z.array(z.string()).meta({ description: '"YYYY-MM-DD" in the server zone' }),
  })
  .meta({ id: 'ScheduledTask' });

export const fastApiErrorWire = z
  .object({
    detail: z.union([
      z.string(),
      z.array(
        z.looseObject({
          type: z.string(),
          loc: z.array(z.union([z.string(), z.number()])),
          msg: z.string(),
          input: z.unknown(),
        }),
      ),
    ]),
  })
  .meta({ id: 'FastApiError', description: 'A message, or pydantic’s list of errors' });

const taskIdPath = z.object({ task_id: z.string().meta({ description: 'The integer id' }) });

const listQuery = z.object({
  start_before: dateTime.meta({ description: 'Tasks with start_from <= this (or none); inclusive' }),
  until_after: dateTime.meta({ description: 'Tasks with until >= this (or none); inclusive' }),
  limit: z.string().optional().meta({ description: '1 to 1000, default 100' }),
  offset: z.string().optional().meta({ description: '>= 0, default 0' }),
  order_by: z.string().optional().meta({
    description:
      'Comma-separated, "-" for descending: id, start_from, until, last_ran, created_by (default id)',
  }),
});

const TAG = 'rmf-web scheduled tasks';
const detail = {
  errorSchema: fastApiErrorWire,
  errorText: {
    401: 'Not authenticated (no or an invalid Bearer token)',
    404: 'Not Found: no task has this id',
    409: "The task's rule was changed into what rmf-web's model cannot express (detail says why)",
    422: 'Invalid input (pydantic errors, or the route refuses the schedule: detail says why)',
  },
};

export const RMF_WEB_ROUTES: Route[] = [
  {
    method: 'post',
    path: '/scheduled_tasks',
    summary: "Create a scheduled task (rmf-web's contract; one rule)",
    tag: TAG,
    body: postScheduledTaskBody,
    ok: { status: 201, schema: scheduledTaskWire, description: 'The task' },
    errors: [422],
    ...detail,
  },
  {
    method: 'get',
    path: '/scheduled_tasks',
    summary: "The scheduled tasks rmf-web's model can express, filtered and paged",
    tag: TAG,
    query: listQuery,
    ok: { status: 200, schema: z.array(scheduledTaskWire), description: 'The tasks' },
    errors: [422],
    ...detail,
  },
  {
    method: 'get',
    path: '/scheduled_tasks/{task_id}',
    summary: 'One scheduled task (409 when its rule was changed into what rmf-web cannot express)',
    tag: TAG,
    params: taskIdPath,
    ok: { status: 200, schema: scheduledTaskWire, description: 'The task' },
    errors: [404, 409, 422],
    ...detail,
  },
  {
    method: 'post',
    path: '/scheduled_tasks/{task_id}/except_date',
    summary: 'Add an except date (its date in the server zone)',
    tag: TAG,
    params: taskIdPath,
    body: z.object({ except_date: dateTime }),
    ok: { status: 201, schema: z.null(), description: 'null' },
    errors: [404, 422],
    ...detail,
  },
  {
    method: 'post',
    path: '/scheduled_tasks/{task_id}/update',
    summary: 'Replace a scheduled task (except dates, start_from and until included)',
    tag: TAG,
    params: taskIdPath,
    body: postScheduledTaskBody,
    ok: { status: 200, schema: scheduledTaskWire, description: 'The task' },
    errors: [404, 422],
    ...detail,
  },
  {
    method: 'delete',
    path: '/scheduled_tasks/{task_id}',
    summary: 'Delete a scheduled task and its rule',
    tag: TAG,
    params: taskIdPath,
    ok: { status: 200, schema: z.null(), description: 'null' },
    errors: [404, 422],
    ...detail,
  },
];
