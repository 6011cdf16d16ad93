/**
 * The firing engine (the Engine contract of Engine.ts; createEngine). Rules are compact entries in ONE timer queue (a binary heap
 * keyed by dispatch instant, one clock timer for its head); a rule gets an actor (ruleMachine)
 * only when its next occurrence is within the activation horizon, and loses it once that
 * occurrence is settled. Actors are root actors on the injected clock (no parent: spawning
 * thousands of children under one parent is quadratic in XState). Claims and outcomes are group
 * committed (firingPipeline). See bench/README.md "Runtime" for the measurements behind this.
 */
import { randomUUID } from 'node:crypto';
import { createActor } from 'xstate';
import type { Logger } from '../log.js';
import type { Firing } from '../rules/Firing.js';
import { DomainError } from '../rules/errors.js';
import type { Actor, Rule } from '../rules/Rule.js';
import type { Engine, EngineStats, FiringInfo } from './Engine.js';
import { BinaryHeap } from './binaryHeap.js';
import { decideClaim } from './claimDecider.js';
import { createFiringPipeline } from './firingPipeline.js';
import type { RuntimeMetrics } from './metrics.js';
import {
  type PlannedFiring,
  indexOverrides,
  isCancelled,
  nextFiring,
  nextSentFiring,
} from './occurrenceSequence.js';
import type { Clock, Dispatcher, HistoryRecord, SchedulingEntry, Store } from './ports.js';
import { planRecovery } from './recovery.js';
import { planResume } from './resume.js';
import { type RuleEntry, entryFromRule, entryFromScheduling } from './ruleEntry.js';
import {
  type RuleActor,
  type RuleMachineContext,
  type RuleMachineEvent,
  type RuleMachineInput,
  createRuleMachine,
  stepInputs,
} from './ruleMachine.js';

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
/** Claim-ahead added per occurrence due in the same second (claim transition + row, under load). */
const CLAIM_COST_MS = 0.3;
const MAX_INSTANT = 8_640_000_000_000_000;
const iso = (t: number) => new Date(t).toISOString();

type RuleActorRef = RuleActor;

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
  });

  const entries = new Map<string, RuleEntry>();
  const queue = new BinaryHeap<RuleEntry>((a, b) => a.dispatchAt < b.dispatchAt);
  /** Entries due within the horizon, waiting for their actor. */
  let activations: RuleEntry[] = [];
  let activating = false;
  /** Running actors → their rule (scheduled, in flight, manual, re-sent). */
  const running = new Map<RuleActorRef, string>();
  const manual = new Map<RuleActorRef, { resolve: (f: Firing) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(firing: Firing, info: FiringInfo) => void>();
  let timer: unknown = null;
  let timerAt = Infinity;
  let stopped = false;
  /** Actors of armed occurrences not yet settled (waiting or claiming). */
  const scheduled = new Set<RuleActorRef>();
  const idle = new Set<() => void>();

  /** Run one I/O step of an actor and report its result back to it (if it still runs). */
  function step<O>(
    actor: RuleActorRef,
    work: () => Promise<O>,
    done: (output: O) => RuleMachineEvent,
    failed: (error: unknown) => RuleMachineEvent,
  ): void {
    const report = (event: RuleMachineEvent) => {
      if (actor.getSnapshot().status === 'active') actor.send(event);
    };
    let promise: Promise<O>;
    try {
      promise = work();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (output) => report(done(output)),
      (error: unknown) => report(failed(error)),
    );
  }

  const machine = createRuleMachine({ clock, lateToleranceMs: tolerance, claimAheadMs }).provide({
    actions: {
      claim: ({ context, self }) =>
        step(
          self as RuleActorRef,
          () => pipeline.claim(stepInputs.claim(context)),
          (output) => ({ type: 'claim.done', output }),
          (error) => ({ type: 'claim.failed', error }),
        ),
      dispatch: ({ context, self }) =>
        step(
          self as RuleActorRef,
          () => pipeline.dispatch(stepInputs.dispatch(context)),
          (output) => ({ type: 'dispatch.done', output }),
          (error) => ({ type: 'dispatch.failed', error }),
        ),
      record: ({ context, self }) =>
        step(
          self as RuleActorRef,
          () => pipeline.record(stepInputs.record(context)),
          (output) => ({ type: 'record.done', output }),
          (error) => ({ type: 'record.failed', error }),
        ),
      recordMissed: ({ context, self }) =>
        step(
          self as RuleActorRef,
          () => pipeline.recordMissed(stepInputs.recordMissed(context, clock.now())),
          () => ({ type: 'missed.done' }),
          (error) => ({ type: 'missed.failed', error }),
        ),
      released: ({ context, self }) => onReleased(self as RuleActorRef, context),
      report: ({ context, self }) => onReport(self as RuleActorRef, context),
    },
  });

  // -------------------------------------------------------------------------------------------
  // Timer queue and activation

  function rearmTimer(): void {
    if (stopped) return;
    const head = queue.peek();
    if (head === undefined) {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
      return;
    }
    const wakeAt = head.dispatchAt - horizon;
    if (timer !== null && timerAt <= wakeAt) return;
    if (timer !== null) clock.clearTimeout(timer);
    timerAt = wakeAt;
    timer = clock.setTimeout(onTimer, Math.max(0, wakeAt - clock.now()));
  }

  function onTimer(): void {
    timer = null;
    timerAt = Infinity;
    const limit = clock.now() + horizon;
    const popped: RuleEntry[] = [];
    for (let head = queue.peek(); head !== undefined && head.dispatchAt <= limit; head = queue.peek()) {
      queue.pop();
      popped.push(head);
    }
    spreadClaimsAhead(popped);
    for (const entry of popped) activations.push(entry);
    scheduleActivation();
    rearmTimer();
  }

  /**
   * Occurrences that fall due together are claimed earlier the more of them there are, so that
   * their claim transitions and the claim transaction are done by the instant (≈ 0.3 ms each
   * under load, see bench/README.md). `entries` is in dispatch order.
   */
  function spreadClaimsAhead(entries: RuleEntry[]): void {
    for (let i = 0; i < entries.length;) {
      const first = (entries[i] as RuleEntry).dispatchAt;
      let j = i;
      while (j < entries.length && (entries[j] as RuleEntry).dispatchAt < first + 1_000) j++;
      const ahead = Math.min(claimAheadMs + (j - i) * CLAIM_COST_MS, maxClaimAheadMs);
      for (let k = i; k < j; k++) (entries[k] as RuleEntry).claimAheadMs = ahead;
      i = j;
    }
  }

  function scheduleActivation(): void {
    if (activating || activations.length === 0 || stopped) return;
    activating = true;
    setImmediate(activateChunk);
  }

  function activateChunk(): void {
    activating = false;
    const batch = activations.length <= chunk ? activations : activations.slice(0, chunk);
    activations = activations.length <= chunk ? [] : activations.slice(chunk);
    for (const entry of batch) activate(entry);
    scheduleActivation();
  }

  function activate(entry: RuleEntry): void {
    entry.queued = false;
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

  function startActor(input: RuleMachineInput): RuleActorRef | null {
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

  /** Put the entry where its next firing belongs: timer queue, activation, or its actor. */
  function arm(entry: RuleEntry): void {
    queue.remove(entry);
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
    if (entry.dispatchAt - horizon <= clock.now()) {
      if (!entry.queued) {
        entry.queued = true;
        activations.push(entry);
        scheduleActivation();
      }
    } else {
      queue.push(entry);
      rearmTimer();
    }
  }

  /**
   * Compute the entry's next firing from its cursor. Firings already late beyond the tolerance
   * follow the misfire policy: `missed` rows (returned, to be written), or one fired late.
   */
  function plan(entry: RuleEntry, now: number): HistoryRecord[] {
    entry.lateAccepted = false;
    if (!entry.enabled) {
      entry.next = null;
      return [];
    }
    const seq = (after: number) => nextFiring(entry.schedule, entry.overrides, after);
    const resume = planResume(seq, entry.cursor, now, entry.misfire);
    const missed = resume.missed.map((m) => missedRecord(entry.id, m, now));
    if (resume.notListed > 0) {
      logger.warn('many occurrences missed; only the first ones get a history row each', {
        ruleId: entry.id,
        recorded: resume.missed.length,
        notListed: resume.notListed,
      });
    }
    const last = resume.missed[resume.missed.length - 1];
    if (last !== undefined) entry.cursor = Math.max(entry.cursor, last.fireAt);
    if (resume.fireNow !== null) {
      entry.next = resume.fireNow;
      entry.lateAccepted = true;
    } else {
      entry.next = resume.next;
    }
    return missed;
  }

  function missedRecord(ruleId: string, m: PlannedFiring, now: number): HistoryRecord {
    return {
      ruleId,
      dueAt: m.dueAt,
      fireAt: m.fireAt,
      trigger: 'schedule',
      status: 'missed',
      error: `missed: the scheduler was not running (or not awake) at ${iso(m.fireAt)}; the misfire policy did not fire it`,
      replicaId: config.replicaId,
      recordedAt: now,
    };
  }

  /** Re-plan while running: only lateness beyond the tolerance counts as missed. */
  function replan(entry: RuleEntry): void {
    const missed = plan(entry, clock.now() - tolerance);
    if (missed.length > 0) {
      pipeline.history(missed).catch((error: unknown) => {
        logger.error('could not record missed occurrences', { ruleId: entry.id, error: String(error) });
      });
    }
    arm(entry);
  }

  // -------------------------------------------------------------------------------------------
  // What actors tell the engine

  function onReleased(actor: RuleActorRef, context: RuleMachineContext): void {
    if (!scheduled.delete(actor)) return;
    const entry = entries.get(context.ruleId);
    if (entry === undefined || entry.actor !== actor) return;
    entry.actor = null;
    if (context.result !== 'cancelled' && context.result !== 'disabled') {
      entry.cursor = Math.max(entry.cursor, context.fireAt);
    }
    replan(entry);
  }

  function onReport(actor: RuleActorRef, context: RuleMachineContext): void {
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

  function announce(firing: Firing, info: FiringInfo): void {
    metrics.firing(firing.status, firing.trigger);
    if (info.latenessMs !== null) metrics.lateness(info.latenessMs);
    if (firing.publishedAt !== null && firing.respondedAt !== null)
      metrics.dispatchLatency(firing.respondedAt - firing.publishedAt);
    logger.info('firing recorded', {
      ruleId: firing.ruleId,
      dueAt: iso(firing.dueAt),
      fireAt: iso(firing.fireAt),
      trigger: firing.trigger,
      latenessMs: info.latenessMs,
      outcome: firing.status,
      requestId: firing.requestId,
      rmfTaskId: firing.rmfTaskId,
      attempts: firing.attempts,
      transport: dispatcher.kind,
      ...(firing.error !== null ? { error: firing.error } : {}),
    });
    for (const listener of listeners) {
      try {
        listener(firing, info);
      } catch (error) {
        logger.error('firing listener failed', { error: String(error) });
      }
    }
  }

  function settleIdle(): void {
    if (running.size - scheduled.size > 0) return;
    for (const done of idle) done();
  }

  // -------------------------------------------------------------------------------------------
  // Engine

  async function loadEntries(now: number): Promise<HistoryRecord[]> {
    const rows = await store.rules.loadSchedulingEntries();
    const from = rows.reduce((min, r) => (r.enabled ? Math.min(min, startCursor(r)) : min), now - tolerance);
    const overrides = await store.overrides.listInWindow(Math.max(from, now - 366 * DAY), MAX_INSTANT);
    const byRule = new Map<string, typeof overrides>();
    for (const o of overrides) {
      const list = byRule.get(o.ruleId);
      if (list === undefined) byRule.set(o.ruleId, [o]);
      else list.push(o);
    }
    const missed: HistoryRecord[] = [];
    for (const row of rows) {
      const entry = entryFromScheduling(row, indexOverrides(byRule.get(row.id) ?? []), startCursor(row));
      entries.set(entry.id, entry);
      for (const record of plan(entry, now)) missed.push(record);
    }
    return missed;
  }

  async function writeHistory(records: HistoryRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 5_000) {
      await store.firings.recordHistory(records.slice(i, i + 5_000));
    }
    for (const r of records) metrics.firing(r.status, r.trigger);
  }

  const engine: Engine = {
    async start() {
      stopped = false;
      const unresolved = await store.firings.listUnresolved();
      const recovery = await planRecovery({
        unresolved,
        store,
        dispatcher,
        now: () => clock.now(),
        recoverWaitMs: config.recoverWaitMs ?? 1_000,
        logger,
      });
      for (let i = 0; i < recovery.outcomes.length; i += 5_000) {
        await store.firings.recordOutcomes(recovery.outcomes.slice(i, i + 5_000));
      }
      const byKey = new Map(unresolved.map((f) => [`${f.ruleId}|${f.dueAt}|${f.trigger}`, f]));
      for (const outcome of recovery.outcomes) {
        const before = byKey.get(`${outcome.ruleId}|${outcome.dueAt}|${outcome.trigger}`);
        if (before !== undefined) announce({ ...before, ...outcome }, { ruleName: null, latenessMs: null });
      }
      const now = clock.now();
      const missed = await loadEntries(now);
      await writeHistory(missed);
      for (const { firing, rule } of recovery.resend) {
        logger.warn('re-sending a firing claimed before the restart, with its original request id', {
          ruleId: firing.ruleId,
          dueAt: iso(firing.dueAt),
          requestId: firing.requestId,
        });
        startActor({
          ruleId: rule.id,
          version: rule.version,
          dueAt: firing.dueAt,
          fireAt: firing.fireAt,
          dispatchAt: Math.max(now, firing.fireAt - rule.leadTimeMs),
          trigger: firing.trigger,
          misfire: rule.misfire,
          lateAccepted: true,
          resumed: { firing, rule },
        });
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
        recovered: recovery.outcomes.length,
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
      cancelClaimedIfNoLonger(rule, entry);
      if (entry.actor !== null && !entry.actor.getSnapshot().matches('waiting')) return; // re-planned when released
      replan(entry);
      updateGauges();
    },

    remove(ruleId: string) {
      const entry = entries.get(ruleId);
      entries.delete(ruleId);
      if (entry !== undefined) {
        queue.remove(entry);
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

    async trigger(ruleId: string, by: Actor) {
      const rule = await store.rules.find(ruleId);
      if (rule === null) throw new DomainError('RULE_NOT_FOUND', `rule ${ruleId} not found`, { id: ruleId });
      if (stopped) throw new DomainError('INTERNAL', 'the scheduler is stopping');
      const now = clock.now();
      logger.info('manual trigger', { ruleId, by });
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
      if (!isCancelled(entry.overrides, entry.next)) return entry.next.fireAt;
      return nextSentFiring(entry.schedule, entry.overrides, entry.next.fireAt)?.fireAt ?? null;
    },

    stats(): EngineStats {
      return {
        armed: queue.size + activations.length + scheduled.size,
        active: running.size,
        inFlight: pipeline.inFlight(),
      };
    },

    onFiring(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      queue.clear();
      activations = [];
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
          const handle = clock.setTimeout(done, config.dispatchTimeoutMs + 2_000);
          idle.add(done);
          settleIdle();
        });
      }
      for (const actor of running.keys()) actor.stop();
      running.clear();
      for (const waiter of manual.values())
        waiter.reject(new DomainError('INTERNAL', 'the scheduler stopped before the firing was recorded'));
      manual.clear();
    },
  };

  /** Occurrences claimed ahead of their instant that the changed rule no longer sends. */
  function cancelClaimedIfNoLonger(rule: Rule, entry: RuleEntry): void {
    for (const [actor, id] of running) {
      if (id !== rule.id || !actor.getSnapshot().matches('claimed')) continue;
      const { dueAt, fireAt, trigger, firing } = actor.getSnapshot().context;
      if (trigger !== 'schedule') continue;
      const decision = decideClaim(
        {
          ruleId: rule.id,
          dueAt,
          fireAt,
          trigger,
          requestId: firing?.requestId ?? '',
          claimedAt: clock.now(),
          replicaId: config.replicaId,
        },
        rule,
        entry.overrides.byOccurrence.get(dueAt) ?? null,
        undefined,
      );
      if (decision.action === 'skip') actor.send({ type: 'firing.cancel', reason: decision.reason });
    }
  }

  function updateGauges(): void {
    const s = engine.stats();
    metrics.rules(s.armed, s.active);
  }

  /** Firings up to here are settled: the newest fired (or missed) one, or the rule's creation. */
  function startCursor(row: SchedulingEntry): number {
    const created = Number.isFinite(row.createdAt) ? row.createdAt - 1 : null;
    if (created === null) return row.lastDueAt ?? clock.now() - 1;
    return Math.max(row.lastDueAt ?? -Infinity, created);
  }

  return engine;
}
