/**
 * A small recording Engine for facade tests: it remembers every refresh / remove / trigger, keeps
 * a next due instant per rule (the schedule's next occurrence after the clock's now, ignoring
 * overrides), and records manual triggers as real firings when given a store.
 */
import { randomUUID } from 'node:crypto';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';
import type { Engine, EngineStats, FiringInfo } from '../../src/runtime/Engine.js';
import type { Clock, Store } from '../../src/runtime/ports.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { Actor, Rule } from '../../src/rules/Rule.js';

export interface FakeEngine extends Engine {
  /** Ids of every refresh, in order (a Rule argument is recorded by its id). */
  readonly refreshed: string[];
  readonly removed: string[];
  readonly triggered: Array<{ ruleId: string; actor: Actor }>;
  /** Firings handed to resend(), in order. */
  readonly resent: Firing[];
  readonly started: boolean;
  readonly stopped: boolean;
  /** Pretend the engine recorded a firing (what a real engine does after each outcome). */
  emitFiring(firing: Firing, info?: Partial<FiringInfo>): void;
}

export function createFakeEngine(opts: { clock: Clock; store?: Store; replicaId?: string }): FakeEngine {
  const { clock, store } = opts;
  const due = new Map<string, number | null>();
  const listeners = new Set<(firing: Firing, info: FiringInfo) => void>();
  const refreshed: string[] = [];
  const removed: string[] = [];
  const triggered: FakeEngine['triggered'] = [];
  const resent: Firing[] = [];
  let started = false;
  let stopped = false;

  const arm = (rule: Rule): void => {
    due.set(rule.id, rule.enabled ? nextOccurrence(rule.schedule, clock.now()) : null);
  };

  return {
    refreshed,
    removed,
    triggered,
    resent,
    resend(firing) {
      resent.push(firing);
    },
    get started() {
      return started;
    },
    get stopped() {
      return stopped;
    },
    async start() {
      started = true;
      if (!store) return;
      const page = await store.rules.list({ limit: 100_000, offset: 0 });
      page.items.forEach(arm);
    },
    async refresh(rule) {
      const id = typeof rule === 'string' ? rule : rule.id;
      refreshed.push(id);
      if (typeof rule !== 'string') return arm(rule);
      const found = store ? await store.rules.find(id) : null;
      if (found) arm(found);
      else due.delete(id);
    },
    remove(ruleId) {
      removed.push(ruleId);
      due.delete(ruleId);
    },
    async trigger(ruleId, actor) {
      triggered.push({ ruleId, actor });
      const now = clock.now();
      if (!store) throw new Error('the fake engine needs a store to trigger');
      const requestId = `manual-${randomUUID()}`;
      const claim = {
        ruleId,
        dueAt: now,
        fireAt: now,
        trigger: 'manual' as const,
        requestId,
        claimedAt: now,
        replicaId: opts.replicaId ?? 'fake',
      };
      const [result] = await store.firings.claimBatch([claim], () => ({ action: 'claim' }));
      if (result?.status !== 'claimed') throw new Error(`trigger not claimed: ${result?.status}`);
      await store.firings.recordOutcomes([
        {
          ruleId,
          dueAt: now,
          trigger: 'manual',
          status: 'dispatched',
          requestId,
          request: null,
          response: { success: true },
          rmfTaskId: `task-${requestId}`,
          error: null,
          attempts: 1,
          publishedAt: now,
          respondedAt: now,
        },
      ]);
      const firing = await store.firings.get(result.firing.id);
      for (const l of listeners) l(firing, { ruleName: result.rule.name, latenessMs: 0 });
      return firing;
    },
    nextDueAt: (ruleId) => due.get(ruleId) ?? null,
    overview: () => {
      const times = [...due.values()].filter((v): v is number => v !== null);
      return {
        rulesByState: { enabled: times.length, disabled: 0 },
        nextDueAt: times.length === 0 ? null : Math.min(...times),
      };
    },
    stats: (): EngineStats => ({
      armed: [...due.values()].filter((v) => v !== null).length,
      active: 0,
      inFlight: 0,
      pendingClaims: 0,
      unwrittenOutcomes: 0,
    }),
    onFiring(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emitFiring(firing, info = {}) {
      for (const l of listeners)
        l(firing, { ruleName: info.ruleName ?? null, latenessMs: info.latenessMs ?? null });
    },
    async stop() {
      stopped = true;
    },
  };
}
