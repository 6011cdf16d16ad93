/** Occurrences (the calendar) and the schedule preview. */
import Router from '@koa/router';
import { occurrencePatchBody, previewBody, toOccurrenceChange } from '../../rules/ruleSchemas.js';
import { occurrenceId as normalisedOccurrenceId, parseOccurrenceId } from '../../rules/ids.js';
import { presentScheduleInstant } from '../../rules/scheduleInstant.js';
import { DomainError } from '../../rules/errors.js';
import type { Scheduler } from '../../runtime/Scheduler.js';
import { calendarJson } from '../calendarJson.js';
import { iso, isoOrNull, presentCancellations, presentOccurrence } from '../presenters.js';
import {
  calendarQuery,
  deleteOccurrenceQuery,
  occurrenceIdPath,
  occurrenceWindowQuery,
  ruleIdPath,
} from '../queries.js';
import { parse, singleQuery } from '../validate.js';

const DAY_MS = 86_400_000;
const DEFAULT_SPAN_MS = 7 * DAY_MS;
const MAX_SPAN_MS = 366 * DAY_MS;
const DEFAULT_LIMIT = 1000;
const DEFAULT_PREVIEW = 100;

function windowOf(q: { from?: number; to?: number }, now: number): { from: number; to: number } {
  const from = q.from ?? now;
  const to = q.to ?? from + DEFAULT_SPAN_MS;
  if (to <= from) throw DomainError.invalid({ field: 'to', message: 'must be after from' });
  if (to - from > MAX_SPAN_MS)
    throw DomainError.invalid({ field: 'to', message: 'the window is at most 366 days' });
  return { from, to };
}

/** The path's occurrence id, normalised (any valid UTC ISO instant is accepted after the `@`). */
function occurrenceId(params: unknown): { id: string; ruleId: string } {
  const { id } = parse(occurrenceIdPath, params);
  const { ruleId, originalAt } = parseOccurrenceId(id);
  return { id: normalisedOccurrenceId(ruleId, originalAt), ruleId };
}

export function occurrencesRouter(scheduler: Scheduler, now: () => number): Router {
  const router = new Router();

  router.get('/rules/:id/occurrences', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const q = parse(occurrenceWindowQuery, singleQuery(ctx.query));
    const window = windowOf(q, now());
    await scheduler.getRule(id);
    const page = await scheduler.calendar({
      ruleId: id,
      ...window,
      limit: q.limit ?? DEFAULT_LIMIT,
      after: q.cursor,
    });
    ctx.type = 'application/json';
    ctx.body = calendarJson(page, window);
  });

  router.get('/occurrences', async (ctx) => {
    const q = parse(calendarQuery, singleQuery(ctx.query));
    const window = windowOf(q, now());
    const page = await scheduler.calendar({
      ruleId: q.rule_id,
      label: q.label,
      ...window,
      limit: q.limit ?? DEFAULT_LIMIT,
      after: q.cursor,
    });
    ctx.type = 'application/json';
    ctx.body = calendarJson(page, { ...window, timezone: q.timezone });
  });

  router.get('/occurrences/:id', async (ctx) => {
    const { id } = occurrenceId(ctx.params);
    ctx.body = presentOccurrence(await scheduler.getOccurrence(id));
  });

  router.patch('/occurrences/:id', async (ctx) => {
    const { id } = occurrenceId(ctx.params);
    const body = parse(occurrencePatchBody, ctx.state.body ?? {});
    const occurrence = await scheduler.updateOccurrence(id, toOccurrenceChange(body), ctx.state.actor);
    ctx.body = {
      ...presentOccurrence(occurrence),
      ...(occurrence.cancellations.length > 0
        ? { cancellations: presentCancellations(occurrence.cancellations) }
        : {}),
    };
  });

  router.delete('/occurrences/:id', async (ctx) => {
    const { id } = occurrenceId(ctx.params);
    const q = parse(deleteOccurrenceQuery, singleQuery(ctx.query));
    const { cancellations } = await scheduler.deleteOccurrence(id, q.reason ?? null, ctx.state.actor);
    // Its task had been sent to RMF ahead of time: say what RMF answered to the cancel.
    if (cancellations.length > 0) ctx.body = { cancellations: presentCancellations(cancellations) };
    else ctx.status = 204;
  });

  router.post('/schedules/preview', async (ctx) => {
    const body = parse(previewBody, ctx.state.body ?? {});
    const from = Date.parse(body.from);
    const to = Date.parse(body.to);
    if (to <= from) throw DomainError.invalid({ field: 'to', message: 'must be after from' });
    const { schedule, instants, next } = scheduler.preview(
      body.schedule,
      from,
      to,
      body.limit ?? DEFAULT_PREVIEW,
    );
    ctx.body = {
      items: instants.map((at) => presentScheduleInstant(schedule, at)),
      timezone: schedule.timezone,
      from: iso(from),
      to: iso(to),
      truncated: next !== null,
      next_from: isoOrNull(next),
    };
  });

  return router;
}
