/** Firing history. */
import Router from '@koa/router';
import type { Scheduler } from '../../runtime/Scheduler.js';
import { presentFiring, presentPage } from '../presenters.js';
import { firingIdPath, firingListQuery, ruleFiringsQuery, ruleIdPath } from '../queries.js';
import type { z } from 'zod';
import { parse } from '../validate.js';

const DEFAULT_LIMIT = 50;

function listQuery(q: z.output<typeof firingListQuery>, ruleId?: string) {
  return {
    ruleId: ruleId ?? q.rule_id,
    status: q.status,
    rmfTaskId: q.rmf_task_id,
    ruleName: q.rule_name,
    from: q.from,
    to: q.to,
    order: q.order ?? ('desc' as const),
    limit: q.limit ?? DEFAULT_LIMIT,
    offset: q.offset ?? 0,
  };
}

export function firingsRouter(scheduler: Scheduler): Router {
  const router = new Router();

  router.get('/firings', async (ctx) => {
    const q = parse(firingListQuery, ctx.query);
    ctx.body = presentPage(await scheduler.listFirings(listQuery(q)), presentFiring);
  });

  router.get('/rules/:id/firings', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const q = parse(ruleFiringsQuery, ctx.query);
    ctx.body = presentPage(await scheduler.listFirings(listQuery(q, id)), presentFiring);
  });

  router.get('/firings/:id', async (ctx) => {
    const { id } = parse(firingIdPath, ctx.params);
    ctx.body = presentFiring(await scheduler.getFiring(id));
  });

  return router;
}
