/**
 * Start-up: firings a previous process left `claimed` (it died between claim and outcome).
 * First ask the transport for answers RMF already gave (its responses are replayed to a new
 * subscriber): those are recorded as they are, without publishing again. The rest follow the
 * rule's misfire policy (or, when their instant has not come yet, are simply sent on time):
 * re-sent ONCE with the same request id (RMF's dispatcher de-duplicates
 * by request id), said in the log; or recorded `failed` as interrupted. Never published twice
 * silently.
 */
import type { Logger } from '../log.js';
import { readAnswer } from '../rmf/readResponse.js';
import type { Firing } from '../rules/Firing.js';
import type { Rule } from '../rules/Rule.js';
import type { Dispatcher, FiringOutcome, Store } from './ports.js';

export interface RecoveryPlan {
  /** Outcomes to record now (answers found, or interrupted). */
  outcomes: FiringOutcome[];
  /** Claimed firings to re-send with their own request id. */
  resend: Array<{ firing: Firing; rule: Rule }>;
}

export async function planRecovery(args: {
  unresolved: Firing[];
  store: Store;
  dispatcher: Dispatcher;
  now: () => number;
  recoverWaitMs: number;
  logger: Logger;
}): Promise<RecoveryPlan> {
  const { unresolved, store, dispatcher, logger } = args;
  if (unresolved.length === 0) return { outcomes: [], resend: [] };
  const ids = unresolved.map((f) => f.requestId).filter((id): id is string => id !== null);
  const answers = dispatcher.recover ? await dispatcher.recover(ids, args.recoverWaitMs) : new Map();
  const rules = new Map(
    (await store.rules.getMany([...new Set(unresolved.map((f) => f.ruleId))])).map((r) => [r.id, r]),
  );
  const now = args.now();
  const outcomes: FiringOutcome[] = [];
  const resend: RecoveryPlan['resend'] = [];
  for (const firing of unresolved) {
    const answer = firing.requestId === null ? undefined : answers.get(firing.requestId);
    const base = {
      ruleId: firing.ruleId,
      dueAt: firing.dueAt,
      trigger: firing.trigger,
      requestId: firing.requestId,
      request: firing.request,
      attempts: Math.max(1, firing.attempts),
      publishedAt: firing.publishedAt,
    };
    if (answer !== undefined) {
      const reading = readAnswer(answer);
      outcomes.push({
        ...base,
        status: reading.status,
        response: reading.response,
        rmfTaskId: reading.rmfTaskId,
        error: reading.error,
        respondedAt: answer.kind === 'responded' ? answer.respondedAt : null,
      });
      logger.info('answer to a firing claimed before the restart recovered; not published again', {
        ruleId: firing.ruleId,
        dueAt: new Date(firing.dueAt).toISOString(),
        requestId: firing.requestId,
        outcome: reading.status,
      });
      continue;
    }
    const rule = rules.get(firing.ruleId);
    const late = now - firing.fireAt;
    // Claimed ahead of its instant and the instant has not come: simply send it on time.
    const notYetDue = rule !== undefined && now < firing.fireAt - rule.leadTimeMs;
    const resendable =
      rule !== undefined &&
      rule.enabled &&
      firing.trigger === 'schedule' &&
      firing.requestId !== null &&
      (notYetDue || (rule.misfire.policy === 'fire_once' && late <= rule.misfire.graceMs));
    if (resendable) {
      resend.push({ firing, rule });
      continue;
    }
    const why =
      rule === undefined
        ? 'the rule was deleted'
        : !rule.enabled
          ? 'the rule is disabled'
          : firing.trigger === 'manual'
            ? 'manual triggers are not repeated'
            : rule.misfire.policy === 'skip'
              ? 'the misfire policy is skip'
              : `it is ${Math.round(late / 1000)} s late, beyond the misfire grace of ${Math.round(rule.misfire.graceMs / 1000)} s`;
    outcomes.push({
      ...base,
      status: 'failed',
      response: null,
      rmfTaskId: null,
      error: `interrupted: the scheduler stopped after claiming this occurrence and no answer from RMF was found after the restart; not re-sent because ${why}. It may or may not have reached RMF (request id ${firing.requestId ?? 'none'}).`,
      respondedAt: null,
    });
    logger.warn('firing interrupted by a restart recorded as failed', {
      ruleId: firing.ruleId,
      dueAt: new Date(firing.dueAt).toISOString(),
      requestId: firing.requestId,
      reason: why,
    });
  }
  return { outcomes, resend };
}

/**
 * List what a previous process left claimed, plan its recovery and record the outcomes found
 * (in chunks of 5,000 per transaction). Returns the firings recorded (for the log and listeners)
 * and those to re-send.
 */
export async function recoverUnresolved(args: {
  store: Store;
  dispatcher: Dispatcher;
  now: () => number;
  recoverWaitMs: number;
  logger: Logger;
}): Promise<{ recorded: Firing[]; resend: RecoveryPlan['resend'] }> {
  const unresolved = await args.store.firings.listUnresolved();
  const plan = await planRecovery({ ...args, unresolved });
  for (let i = 0; i < plan.outcomes.length; i += 5_000) {
    await args.store.firings.recordOutcomes(plan.outcomes.slice(i, i + 5_000));
  }
  const key = (f: { ruleId: string; dueAt: number; trigger: string }) =>
    `${f.ruleId}|${f.dueAt}|${f.trigger}`;
  const byKey = new Map(unresolved.map((f) => [key(f), f]));
  const recorded: Firing[] = [];
  for (const outcome of plan.outcomes) {
    const before = byKey.get(key(outcome));
    if (before !== undefined) recorded.push({ ...before, ...outcome });
  }
  return { recorded, resend: plan.resend };
}
