/**
 * The firing engine (the Engine contract of Engine.ts; createEngine). Rules are compact entries
 * in ONE timer queue (activationQueue: a binary heap keyed by dispatch instant, one clock timer
 * for its head); a rule gets an actor (ruleMachine, wired in ruleActors) only when its next
 * occurrence is within the activation horizon, and loses it once that occurrence is settled.
 * Actors are root actors on the injected clock (no parent: spawning thousands of children under
 * one parent is quadratic in XState). Claims and outcomes are group committed (firingPipeline);
 * every request due at an instant is published in one loop (launchPad). See bench/README.md
 * "Runtime" for the measurements behind this.
 */
import { randomUUID } from 'node:crypto';
import { createActor } from 'xstate';
import type { Logger } from '../log.js';
import type { Firing } from '../rules/Firing.js';
import { DomainError } from '../rules/errors.js';
import type { Actor, Rule } from '../rules/Rule.js';
import type { Engine, EngineOverview, EngineStats, TriggerOptions } from './Engine.js';
import { createActivationQueue } from './activationQueue.js';
import { reasonToCancel } from './claimDecider.js';
import { createEntryPlanner, loadRuleEntries } from './entryPlanner.js';
import { createFiringAnnouncer } from './firingAnnouncer.js';
import { createFiringPipeline } from './firingPipeline.js';
import type { RuntimeMetrics } from './metrics.js';
import { indexOverrides, isCancelled, nextSentFiring } from './occurrenceSequence.js';
import type { Clock, Dispatcher, HistoryRecord, Store } from './ports.js';
import { recoverUnresolved } from './recovery.js';
import { createRuleActors } from './ruleActors.js';
import { type RuleEntry, entryFromRule } from './ruleEntry.js';
import type { RuleActor, RuleMachineContext, RuleMachineInput } from './ruleMachine.js';

export interface EngineConfig {
  dispatchTimeoutMs: number;
  requester: string;
  replicaId: string;
  /** Start a rule's actor this long before its dispatch instant (default 10 s). */
  activationHorizonMs?: number;
  /**
   * Claim this long before the dispatch instant (default 1 s): the claim's commit is then done
   * when the occurrence is due, and publishing is not delayed by it. A change in that window
   * (rule disabled or deleted, occurrence disabled or moved) still cancels the occurrence, which
   * is recorded `skipped`. Must be below activationHorizonMs.
   */
  claimAheadMs?: number;
  /** Late by up to this much (load, a short clock step): fire, never count as missed (default 5 s). */
  lateToleranceMs?: number;
  /** At start-up, wait up to this long for RMF's replayed answers (default 1 s). */
  recoverWaitMs?: number;
  /** Actors started per event-loop turn when many fall due together (default 500). */
  activationChunk?: number;
  /**
   * stop() waits at most this long for in-flight firings to be answered and recorded (default
   * 4 s: ros2 launch kills a node 10 s after Ctrl-C); the rest stay claimed, as after a crash, for
   * the next start (or a live replica) to settle.
   */
  stopGraceMs?: number;
}

export interface EngineDeps {
  clock: Clock;
  store: Store;
  dispatcher: Dispatcher;
  logger: Logger;
  metrics: RuntimeMetrics;
  config: EngineConfig;
  newId?: () => string;
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();

export function createEngine(deps: EngineDeps): Engine {
  const { clock, store, dispatcher, logger, metrics, config } = deps;
  const horizon = config.activationHorizonMs ?? 10_000;
  const tolerance = config.lateToleranceMs ?? 5_000;
  const chunk = config.activationChunk ?? 500;
  const maxClaimAheadMs = Math.max(0, horizon - 1_000);
  const claimAheadMs = Math.min(config.claimAheadMs ?? 1_000, maxClaimAheadMs);
  const pipeline = createFiringPipeline({
    clock,
    store,
    dispatcher,
    dispatchTimeoutMs: config.dispatchTimeoutMs,
    requester: config.requester,
    replicaId: config.replicaId,
    newId: deps.newId ?? randomUUID,
    logger,
  });

  const entries = new Map<string, RuleEntry>();
  /** Running actors → their rule (scheduled, in flight, manual, re-sent). */
  const running = new Map<RuleActor, string>();
  const manual = new Map<RuleActor, { resolve: (f: Firing) => void; reject: (e: unknown) => void }>();
  const announcer = createFiringAnnouncer({ logger, metrics, transport: dispatcher.kind });
  const announce = announcer.announce;
  let stopped = false;
  /** Actors of armed occurrences not yet settled (waiting or claiming). */
  const scheduled = new Set<RuleActor>();
  const idle = new Set<() => void>();

  const { machine, launchPad } = createRuleActors({
    clock,
    pipeline,
    logger,
    lateToleranceMs: tolerance,
    claimAheadMs,
    onReleased,
    onReport,
  });
  const planner = createEntryPlanner({ logger, replicaId: config.replicaId });

  // -------------------------------------------------------------------------------------------
  // Activation

  /** Rules between occurrences: entries in one timer queue, activated near their instant. */
  const waiting = createActivationQueue({
    clock,
    horizonMs: horizon,
    claimAheadMs,
    maxClaimAheadMs,
    chunk,
    activate,
  });

  function activate(entry: RuleEntry): void {
    if (stopped || entry.actor !== null || entry.next === null || !entry.enabled) return;
    if (entries.get(entry.id) !== entry) return;
    const actor = startActor({
      ruleId: entry.id,
      version: entry.version,
      dueAt: entry.next.dueAt,
      fireAt: entry.next.fireAt,
      dispatchAt: entry.dispatchAt,
      trigger: 'schedule',
      misfire: entry.misfire,
      lateAccepted: entry.lateAccepted,
      claimAheadMs: entry.claimAheadMs ?? claimAheadMs,
    });
    entry.claimAheadMs = null;
    if (actor !== null && actor.getSnapshot().status === 'active') {
      entry.actor = actor;
      scheduled.add(actor);
    }
  }

  function startActor(input: RuleMachineInput): RuleActor | null {
    const actor = createActor(machine, { clock, input });
    running.set(actor, input.ruleId);
    actor.subscribe({
      error: (error) => {
        running.delete(actor);
        logger.error('rule actor failed', { ruleId: input.ruleId, error: String(error) });
        settleIdle();
      },
    });
    actor.start();
    return actor;
  }

  /** A claimed firing sent (again) with its request id, lead time before its instant (or now). */
  function resume(firing: Firing, rule: Rule): void {
    startActor({
      ruleId: rule.id,
      version: rule.version,
      dueAt: firing.dueAt,
      fireAt: firing.fireAt,
      dispatchAt: Math.max(clock.now(), firing.fireAt - rule.leadTimeMs),
      trigger: firing.trigger,
      misfire: rule.misfire,
      lateAccepted: true,
      resumed: { firing, rule },
    });
  }

  /** Put the entry where its next firing belongs: timer queue, activation, or its actor. */
  function arm(entry: RuleEntry): void {
    waiting.remove(entry);
    if (stopped) return;
    const next = entry.enabled ? entry.next : null;
    if (entry.actor !== null) {
      const snapshot = entry.actor.getSnapshot();
      if (snapshot.matches('waiting')) {
        entry.actor.send({
          type: 'rule.changed',
          version: entry.version,
          enabled: entry.enabled,
          misfire: entry.misfire,
          next: next === null ? null : { ...next, dispatchAt: next.fireAt - entry.leadTimeMs },
        });
      }
      return; // past waiting: re-armed when released
    }
    if (next === null) return;
    entry.dispatchAt = next.fireAt - entry.leadTimeMs;
    waiting.schedule(entry);
  }

  /** Re-plan while running: only lateness beyond the tolerance counts as missed. */
  function replan(entry: RuleEntry): void {
    const missed = planner.plan(entry, clock.now() - tolerance);
    if (missed.length > 0) {
      pipeline.history(missed).catch((error: unknown) => {
        logger.error('could not record missed occurrences', { ruleId: entry.id, error: String(error) });
      });
    }
    arm(entry);
  }

  // -------------------------------------------------------------------------------------------
  // What actors tell the engine

  function onReleased(actor: RuleActor, context: RuleMachineContext): void {
    if (!scheduled.delete(actor)) return;
    const entry = entries.get(context.ruleId);
    if (entry === undefined || entry.actor !== actor) return;
    entry.actor = null;
    if (context.result !== 'cancelled' && context.result !== 'disabled') {
      entry.cursor = Math.max(entry.cursor, context.fireAt);
    }
    replan(entry);
  }

  function onReport(actor: RuleActor, context: RuleMachineContext): void {
    running.delete(actor);
    const firing = context.recorded;
    const latenessMs =
      context.last?.publishedAt != null
        ? context.last.publishedAt - (context.fireAt - (context.rule?.leadTimeMs ?? 0))
        : null;
    if (firing !== null) announce(firing, { ruleName: context.rule?.name ?? null, latenessMs });
    else if (context.result === 'missed') metrics.firing('missed', 'schedule');
    const lost = context.result === 'claim_failed' || context.result === 'record_failed';
    if (lost || (context.result === 'missed' && context.error !== null)) {
      logger.error('firing not recorded', {
        ruleId: context.ruleId,
        dueAt: iso(context.dueAt),
        result: context.result,
        error: context.error,
      });
    }
    const waiter = manual.get(actor);
    if (waiter !== undefined) {
      manual.delete(actor);
      if (firing !== null) waiter.resolve(firing);
      else if (context.result === 'already_claimed')
        waiter.reject(new DomainError('ALREADY_CLAIMED', 'the rule was already triggered at this instant'));
      else waiter.reject(new DomainError('INTERNAL', `the manual firing was not recorded: ${context.error}`));
    }
    updateGauges();
    settleIdle();
  }

  function settleIdle(): void {
    if (running.size - scheduled.size > 0) return;
    for (const done of idle) done();
  }

  // -------------------------------------------------------------------------------------------
  // Engine

  async function writeHistory(records: HistoryRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 5_000) {
      await store.firings.recordHistory(records.slice(i, i + 5_000));
    }
    for (const r of records) metrics.firing(r.status, r.trigger);
  }

  const engine: Engine = {
    async start() {
      stopped = false;
      const recovery = await recoverUnresolved({
        store,
        dispatcher,
        now: () => clock.now(),
        recoverWaitMs: config.recoverWaitMs ?? 1_000,
        logger,
      });
      for (const firing of recovery.recorded) announce(firing, { ruleName: null, latenessMs: null });
      const now = clock.now();
      const loaded = await loadRuleEntries(store, planner, now, tolerance);
      for (const entry of loaded.entries) entries.set(entry.id, entry);
      const { missed } = loaded;
      await writeHistory(missed);
      for (const { firing, rule } of recovery.resend) {
        logger.warn('re-sending a firing claimed before the restart, with its original request id', {
          ruleId: firing.ruleId,
          dueAt: iso(firing.dueAt),
          requestId: firing.requestId,
        });
        resume(firing, rule);
      }
      let armed = 0;
      let late = 0;
      for (const entry of entries.values()) {
        if (entry.next === null) continue;
        armed++;
        if (entry.lateAccepted) late++;
        arm(entry);
      }
      logger.info('engine started', {
        rules: entries.size,
        armed,
        missed: missed.length,
        firingLate: late,
        recovered: recovery.recorded.length,
        resent: recovery.resend.length,
        transport: dispatcher.kind,
      });
      updateGauges();
    },

    async refresh(ruleOrId: Rule | string) {
      const rule = typeof ruleOrId === 'string' ? await store.rules.find(ruleOrId) : ruleOrId;
      if (rule === null) {
        engine.remove(ruleOrId as string);
        return;
      }
      const now = clock.now();
      const before = entries.get(rule.id);
      const overridesFrom = Math.max(Math.min(before?.cursor ?? now, now - tolerance), now - 366 * DAY);
      const overrides = indexOverrides(await store.overrides.listForRule(rule.id, overridesFrom));
      if (stopped) return;
      const entry = entries.get(rule.id) ?? entryFromRule(rule, overrides, rule.createdAt - 1);
      const wasEnabled = entries.has(rule.id) && entry.enabled;
      Object.assign(entry, {
        version: rule.version,
        enabled: rule.enabled,
        schedule: rule.schedule,
        leadTimeMs: rule.leadTimeMs,
        misfire: rule.misfire,
        overrides,
      });
      entries.set(rule.id, entry);
      // Newly created or re-enabled: what fell due while it did not exist or was disabled was
      // never meant to fire. A rule that stayed enabled keeps its cursor (nothing is lost).
      if (!wasEnabled) entry.cursor = Math.max(entry.cursor, now - 1);
      reviewClaimed(rule, entry);
      if (entry.actor !== null && !entry.actor.getSnapshot().matches('waiting')) return; // re-planned when released
      replan(entry);
      updateGauges();
    },

    remove(ruleId: string) {
      const entry = entries.get(ruleId);
      entries.delete(ruleId);
      if (entry !== undefined) {
        waiting.remove(entry);
        entry.enabled = false;
        entry.next = null;
      }
      for (const [actor, id] of running) {
        if (id !== ruleId) continue;
        actor.send({ type: 'firing.cancel', reason: 'the rule was deleted' });
        actor.send({ type: 'rule.removed' });
      }
      updateGauges();
    },

    resend(firing: Firing, rule: Rule) {
      if (stopped) return;
      logger.info('sending a moved occurrence again for its new time', {
        ruleId: rule.id,
        dueAt: iso(firing.dueAt),
        fireAt: iso(firing.fireAt),
        requestId: firing.requestId,
      });
      resume(firing, rule);
    },

    async trigger(ruleId: string, by: Actor, options: TriggerOptions = {}) {
      const rule = await store.rules.find(ruleId);
      if (rule === null) throw new DomainError('RULE_NOT_FOUND', `rule ${ruleId} not found`, { id: ruleId });
      if (stopped) throw new DomainError('INTERNAL', 'the scheduler is stopping');
      const now = clock.now();
      const request = { by, forced: options.force === true, reason: options.reason ?? null };
      return new Promise<Firing>((resolve, reject) => {
        const actor = createActor(machine, {
          clock,
          input: {
            ruleId,
            version: rule.version,
            dueAt: now,
            fireAt: now,
            dispatchAt: now,
            trigger: 'manual',
            misfire: rule.misfire,
            manual: request,
          },
        });
        running.set(actor, ruleId);
        manual.set(actor, { resolve, reject });
        actor.start();
      });
    },

    nextDueAt(ruleId: string) {
      const entry = entries.get(ruleId);
      if (!entry?.enabled || entry.next === null) return null;
      // A disabled or deleted occurrence stays armed (its skip is recorded) but is not "next".
      if (!isCancelled(entry.schedule, entry.overrides, entry.next)) return entry.next.fireAt;
      return nextSentFiring(entry.schedule, entry.overrides, entry.next.fireAt)?.fireAt ?? null;
    },

    stats(): EngineStats {
      return {
        armed: waiting.size + scheduled.size,
        active: running.size,
        inFlight: pipeline.inFlight(),
        pendingClaims: pipeline.pendingClaims(),
        unwrittenOutcomes: pipeline.unwrittenOutcomes(),
      };
    },

    overview(): EngineOverview {
      const rulesByState: Record<string, number> = { enabled: 0, disabled: 0 };
      let nextDueAt: number | null = null;
      for (const [id, entry] of entries) {
        const state = entry.enabled ? 'enabled' : 'disabled';
        rulesByState[state] = (rulesByState[state] ?? 0) + 1;
        const due = entry.enabled ? engine.nextDueAt(id) : null;
        if (due !== null && (nextDueAt === null || due < nextDueAt)) nextDueAt = due;
      }
      return { rulesByState, nextDueAt };
    },

    onFiring: (listener) => announcer.listen(listener),

    async stop() {
      stopped = true;
      waiting.stop();
      for (const entry of entries.values()) {
        const actor = entry.actor;
        if (actor !== null && actor.getSnapshot().matches('waiting')) {
          actor.stop();
          running.delete(actor);
          entry.actor = null;
          scheduled.delete(actor);
        }
      }
      if (running.size > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            idle.delete(done);
            clock.clearTimeout(handle);
            resolve();
          };
          const handle = clock.setTimeout(done, config.stopGraceMs ?? 4_000);
          idle.add(done);
          settleIdle();
        });
      }
      if (running.size > 0) {
        logger.warn('stopped with firings in flight: they stay claimed for the next start to settle', {
          inFlight: [...running.values()],
        });
      }
      for (const actor of running.keys()) actor.stop();
      running.clear();
      pipeline.stop();
      launchPad.stop();
      for (const waiter of manual.values())
        waiter.reject(new DomainError('INTERNAL', 'the scheduler stopped before the firing was recorded'));
      manual.clear();
    },
  };

  /**
   * Occurrences claimed ahead of their instant, after a change to their rule: cancelled if the
   * rule no longer sends them, otherwise sent as the rule now is (an edited task goes out edited).
   */
  function reviewClaimed(rule: Rule, entry: RuleEntry): void {
    for (const [actor, id] of running) {
      if (id !== rule.id || !actor.getSnapshot().matches('claimed')) continue;
      const claimed = actor.getSnapshot().context;
      const reason = reasonToCancel(rule, entry.overrides.byOccurrence.get(claimed.dueAt) ?? null, claimed);
      if (reason !== null) {
        actor.send({ type: 'firing.cancel', reason });
      } else if (claimed.rule !== null && claimed.rule.version !== rule.version) {
        actor.send({ type: 'firing.ruleEdited', rule });
      }
    }
  }

  function updateGauges(): void {
    const s = engine.stats();
    metrics.rules(s.armed, s.active);
  }

  return engine;
}
