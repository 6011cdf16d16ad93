/** /rules: create, list, read, replace, patch, delete, enable/disable, trigger. */
import Router from '@koa/router';
import { z } from 'zod';
import {
  createRuleBody,
  patchRuleBody,
  replaceRuleBody,
  toRuleInput,
  toRulePatch,
} from '../../rules/ruleSchemas.js';
import type { Scheduler } from '../../runtime/Scheduler.js';
import {
  presentCancellations,
  presentFiring,
  presentOccurrence,
  presentPage,
  presentRule,
  presentRuleEdit,
} from '../presenters.js';
import { presentHistoryEntry } from '../presentHistory.js';
import { ruleEditQuery, ruleGetQuery, ruleHistoryQuery, ruleIdPath, ruleListQuery } from '../queries.js';
import { expectedVersion, parse } from '../validate.js';

export const enableBody = z.strictObject({ version: z.number().int().min(1).optional() });
export const disableBody = z.strictObject({
  reason: z.string().max(1000).nullable().optional(),
  version: z.number().int().min(1).optional(),
});

export const triggerBody = z.strictObject({
  force: z.boolean().optional().meta({
    description:
      'Fire even though the rule is disabled (without it, a disabled rule is refused: 409 RULE_DISABLED)',
  }),
  reason: z.string().max(1000).nullable().optional().meta({ description: "Why, for the rule's history" }),
});

export const labelSwitchBody = z.strictObject({
  label: z.string().min(1).max(255).meta({ description: 'Every rule carrying this label (exact match)' }),
  reason: z.string().max(1000).nullable().optional().meta({
    description: "Why, recorded in each rule's history (and, on disable, as its disabled_reason)",
  }),
});

const DEFAULT_UPCOMING = 5;

export function rulesRouter(scheduler: Scheduler): Router {
  const router = new Router();

  router.post('/rules', async (ctx) => {
    const body = parse(createRuleBody, ctx.state.body);
    const rule = await scheduler.createRule(toRuleInput(body), ctx.state.actor);
    ctx.status = 201;
    ctx.set('Location', `/rules/${rule.id}`);
    ctx.set('ETag', `"${rule.version}"`);
    ctx.body = presentRule(rule);
  });

  router.get('/rules', async (ctx) => {
    const q = parse(ruleListQuery, ctx.query);
    const page = await scheduler.listRules({
      enabled: q.enabled,
      state: q.state,
      label: q.label,
      nameContains: q.name,
      nextDueBefore: q.next_due_before,
      nextDueAfter: q.next_due_after,
      sort: q.sort,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    ctx.body = presentPage(page, presentRule);
  });

  router.get('/rules/:id', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const q = parse(ruleGetQuery, ctx.query);
    const { rule, upcoming } = await scheduler.getRuleWithUpcoming(id, q.upcoming ?? DEFAULT_UPCOMING);
    ctx.set('ETag', `"${rule.version}"`);
    ctx.body = { ...presentRule(rule), upcoming: upcoming.map((o) => presentOccurrence(o)) };
  });

  router.get('/rules/:id/history', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const q = parse(ruleHistoryQuery, ctx.query);
    const page = await scheduler.ruleHistory(id, q.limit ?? 50, q.offset ?? 0);
    ctx.body = presentPage(page, presentHistoryEntry);
  });

  router.put('/rules/:id', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const dryRun = parse(ruleEditQuery, ctx.query).dry_run ?? false;
    const body = parse(replaceRuleBody, ctx.state.body);
    const version = expectedVersion(ctx.get('if-match'), body.version);
    const edit = await scheduler.replaceRule(id, toRuleInput(body), version, ctx.state.actor, { dryRun });
    if (!dryRun) ctx.set('ETag', `"${edit.version}"`);
    ctx.body = presentRuleEdit(edit, dryRun);
  });

  router.patch('/rules/:id', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const dryRun = parse(ruleEditQuery, ctx.query).dry_run ?? false;
    const body = parse(patchRuleBody, ctx.state.body ?? {});
    const version = expectedVersion(ctx.get('if-match'), body.version);
    const edit = await scheduler.updateRule(id, toRulePatch(body), version, ctx.state.actor, { dryRun });
    if (!dryRun) ctx.set('ETag', `"${edit.version}"`);
    ctx.body = presentRuleEdit(edit, dryRun);
  });

  router.delete('/rules/:id', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const { cancellations } = await scheduler.deleteRule(
      id,
      expectedVersion(ctx.get('if-match'), undefined),
      ctx.state.actor,
    );
    // Tasks it had sent to RMF ahead of time: say what RMF answered to their cancels.
    if (cancellations.length > 0) ctx.body = { cancellations: presentCancellations(cancellations) };
    else ctx.status = 204;
  });

  for (const [path, enabled] of [
    ['/rules/enable', true],
    ['/rules/disable', false],
  ] as const) {
    router.post(path, async (ctx) => {
      const body = parse(labelSwitchBody, ctx.state.body ?? {});
      const result = await scheduler.setLabelEnabled(
        body.label,
        enabled,
        body.reason ?? null,
        ctx.state.actor,
      );
      ctx.body = {
        label: body.label,
        items: result.changed.map(presentRule),
        skipped: result.skipped.map((s) => ({ id: s.id, code: s.error.code, message: s.error.message })),
      };
    });
  }

  router.post('/rules/:id/enable', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const body = parse(enableBody, ctx.state.body ?? {});
    const version = expectedVersion(ctx.get('if-match'), body.version);
    const rule = await scheduler.setRuleEnabled(id, true, null, version, ctx.state.actor);
    ctx.set('ETag', `"${rule.version}"`);
    ctx.body = presentRule(rule);
  });

  router.post('/rules/:id/disable', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const body = parse(disableBody, ctx.state.body ?? {});
    const version = expectedVersion(ctx.get('if-match'), body.version);
    const rule = await scheduler.setRuleEnabled(id, false, body.reason ?? null, version, ctx.state.actor);
    ctx.set('ETag', `"${rule.version}"`);
    ctx.body = presentRule(rule);
  });

  router.post('/rules/:id/trigger', async (ctx) => {
    const { id } = parse(ruleIdPath, ctx.params);
    const body = parse(triggerBody, ctx.state.body ?? {});
    const firing = await scheduler.triggerRule(id, ctx.state.actor, {
      force: body.force === true,
      reason: body.reason ?? null,
    });
    ctx.status = 201;
    ctx.set('Location', `/firings/${firing.id}`);
    ctx.body = presentFiring(firing);
  });

  return router;
}
