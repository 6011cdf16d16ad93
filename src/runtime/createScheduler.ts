/**
 * The Scheduler facade: the one object REST and ROS call for every command and query. It
 * normalizes input, writes the store, tells the engine what changed, and answers queries by
 * combining the store (rows, overrides, firings) with the engine (next due instants).
 */
import type { Firing } from '../rules/Firing.js';
import type { Actor, Rule, RuleChanges } from '../rules/Rule.js';
import type { RuleInput, RulePatch } from '../rules/RuleInput.js';
import { DomainError, isDomainError } from '../rules/errors.js';
import { MAX_PREVIEW } from '../rules/ruleSchemas.js';
import type { Logger } from '../log.js';
import { createChangeFollower, OwnChanges } from './changeFollower.js';
import { logChange } from './changeLog.js';
import { createRuleReadCache, type RuleReadCacheStats } from './ruleReadCache.js';
import type { Engine } from './Engine.js';
import { occurrencesAfter } from './facadeRecurrence.js';
import { createOccurrenceBook } from './occurrenceBook.js';
import type { Clock, DispatchAnswer, Dispatcher, RuleEditNote, Store } from './ports.js';
import { activityOf, listRuleViews, RuleIdIndex, toView } from './ruleListing.js';
import {
  newRuleFrom,
  normalizeSchedule,
  patchChangesFrom,
  replaceChangesFrom,
  assertFires,
  type NormalizeContext,
} from './ruleInput.js';
import type { RuntimeMetrics } from './metrics.js';
import { dryRunEdit, replanAt } from './ruleEdit.js';
import { carryOnRecord } from '../rules/overrideCarry.js';
import type { ReplicaHeartbeat } from './replicaHeartbeat.js';
import { followRmf } from './rmfFollower.js';
import { createRmfWebTasks } from './rmfWebTasks.js';
import type {
  EditOptions,
  FiringView,
  Cancellation,
  RuleEditView,
  HealthReport,
  LabelSkip,
  RuleSummary,
  RuleView,
  Scheduler,
  SchedulerEvent,
} from './Scheduler.js';
import { createTakeBack } from './takeBack.js';

/** The configuration keys the facade reads (a subset of Config). */
export interface SchedulerConfig {
  timezone: string;
  misfire_policy: 'fire_once' | 'skip';
  misfire_grace_ms: number;
  replica_id: string;
  sync_interval_ms: number;
}

export interface SchedulerDeps {
  store: Store;
  engine: Engine;
  clock: Clock;
  logger: Logger;
  config: SchedulerConfig;
  transport: { kind: 'ros' | 'simulated' };
  version: string;
  /** This replica's heartbeat in the store (absent: no replicas are kept). */
  heartbeat?: ReplicaHeartbeat;
  /**
   * The RMF transport, to cancel tasks sent ahead of time that the operator takes back
   * (rmf.cancel_withdrawn) and to record what RMF did with the tasks. Without it, neither.
   */
  rmf?: {
    dispatcher: Dispatcher;
    metrics: Pick<RuntimeMetrics, 'cancel' | 'dispatchState'>;
    cancelWithdrawn: boolean;
    cancelTimeoutMs: number;
  };
}

export interface SchedulerHandle extends Scheduler {
  /**
   * Start following rule changes made by other replicas (poll every sync_interval_ms). Pass the
   * `store.rules.latestChangeSeq()` read before `engine.start()` so that changes made while the
   * engine loaded are not missed; without it, following starts from the newest change.
   */
  startSync(fromSeq?: number): void;
  /** Resolves when the sync poll in progress (if any) has finished (tests, shutdown). */
  syncIdle(): Promise<void>;
  /** How single-rule reads were answered: from memory, from the store, and feed checks made. */
  ruleReadStats(): RuleReadCacheStats;
}

const SUMMARY_PAGE = 1_000;
/** Rules enabled or disabled together for a label: one group of writes at a time. */
const LABEL_GROUP = 100;

const notSent = async (): Promise<DispatchAnswer> => ({ kind: 'failed', error: 'no RMF transport' });

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createScheduler(deps: SchedulerDeps): SchedulerHandle {
  const { store, engine, clock, logger, config } = deps;
  const startedAt = clock.now();
  const listeners = new Set<(event: SchedulerEvent) => void>();
  const own = new OwnChanges(clock);
  const index = new RuleIdIndex(store.rules);
  let counts = { total: 0, enabled: 0 };

  function emit(event: SchedulerEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.error('scheduler event listener failed', { event: event.type, error: message(error) });
      }
    }
  }
  const changed = (ruleIds: string[]): void => emit({ type: 'rules.changed', ruleIds });

  const ctx = (): NormalizeContext => ({
    timezone: config.timezone,
    misfirePolicy: config.misfire_policy,
    misfireGraceMs: config.misfire_grace_ms,
    now: clock.now(),
  });

  /** After a rule row was written: tell the engine, remember the write, tell the world. */
  async function wrote(rule: Rule): Promise<RuleView> {
    own.wrote(rule);
    index.add(rule.id);
    await engine.refresh(rule);
    changed([rule.id]);
    return toView(engine, rule);
  }

  const reads = createRuleReadCache(store.rules);
  const readRule = async (id: string): Promise<RuleView> =>
    toView(engine, (await reads.getWithOverrides(id, clock.now())).rule);
  const book = createOccurrenceBook({
    store,
    engine,
    clock,
    logger,
    own,
    reads,
    changed,
    takeBack: () => takeBack,
  });

  const followedEngine = {
    refresh: (rule: Rule | string) => {
      index.add(typeof rule === 'string' ? rule : rule.id);
      return engine.refresh(rule);
    },
    remove: (id: string) => {
      index.remove(id);
      book.forget(id);
      engine.remove(id);
    },
  };
  const follower = createChangeFollower({
    rules: store.rules,
    engine: followedEngine,
    clock,
    logger,
    intervalMs: config.sync_interval_ms,
    own,
    onChanged: changed,
  });

  /** A recorded firing learned more (its cancellation, RMF's dispatch state): tell the world. */
  function firingUpdated(firing: Firing, change: 'cancel' | 'dispatch'): void {
    store.rules.find(firing.ruleId).then(
      (rule) => emit({ type: 'firing.updated', firing, ruleName: rule?.name ?? '', change }),
      () => emit({ type: 'firing.updated', firing, ruleName: '', change }),
    );
  }
  const takeBack = createTakeBack({
    store,
    dispatcher: deps.rmf?.dispatcher ?? {
      kind: deps.transport.kind,
      dispatch: notSent,
      close: async () => {},
    },
    clock,
    logger,
    metrics: deps.rmf?.metrics ?? { cancel: () => {} },
    enabled: deps.rmf?.cancelWithdrawn ?? false,
    timeoutMs: deps.rmf?.cancelTimeoutMs ?? 5_000,
    updated: (firing) => firingUpdated(firing, 'cancel'),
  });
  const rmfFollower = deps.rmf
    ? followRmf({
        dispatcher: deps.rmf.dispatcher,
        store,
        logger,
        metrics: deps.rmf.metrics,
        updated: (firing) => firingUpdated(firing, 'dispatch'),
      })
    : null;
  /** The tasks of a rule sent ahead of time, cancelled: the rule was disabled or deleted. */
  async function withdraw(ruleId: string, reason: string): Promise<Cancellation[]> {
    const sent = await takeBack.sentAhead(ruleId);
    return sent.length === 0 ? [] : takeBack.cancel(sent, reason);
  }
  /** After a write that may have disabled the rule: cancel what it had sent ahead. */
  async function afterDisable(before: Rule, view: RuleView, reason: string | null): Promise<RuleView> {
    if (!before.enabled || view.enabled) return view;
    const cancellations = await withdraw(view.id, `the rule was disabled${reason ? `: ${reason}` : ''}`);
    return cancellations.length === 0 ? view : { ...view, cancellations };
  }

  /** PUT and PATCH: write the changes (overrides following a new schedule), or only say what they would do. */
  async function editRule(
    current: Rule,
    changes: RuleChanges,
    expectedVersion: number | null,
    note: RuleEditNote & { action: 'replaced' | 'updated' },
    options: EditOptions | undefined,
  ): Promise<RuleEditView> {
    const now = clock.now();
    if (options?.dryRun) {
      const { rule, overrides, nextDueAt } = await dryRunEdit(store, current, expectedVersion, changes, now);
      return { ...rule, nextDueAt, state: activityOf(rule.enabled, nextDueAt), overrides };
    }
    const { rule, overrides } = await store.rules.edit(
      current.id,
      expectedVersion,
      changes,
      replanAt(now),
      note,
    );
    logChange(logger, note.action, rule.id, note.actor, null);
    const { carried, removed } = carryOnRecord(rule.id, overrides);
    if (carried.length > 0) logChange(logger, 'overrides_carried', rule.id, note.actor, null, { carried });
    if (removed.length > 0) logChange(logger, 'overrides_removed', rule.id, note.actor, null, { removed });
    const view = await afterDisable(current, await wrote(rule), rule.disabledReason);
    return { ...view, overrides };
  }

  const unsubscribeFirings = engine.onFiring((firing, info) => {
    const send = (ruleName: string) =>
      emit({ type: 'firing.recorded', firing, ruleName, latenessMs: info.latenessMs });
    if (info.ruleName !== null) return send(info.ruleName);
    store.rules.find(firing.ruleId).then(
      (rule) => send(rule?.name ?? ''),
      () => send(''),
    );
  });

  /** Each firing with its rule's zone: one read for the distinct rules of a page. */
  async function withZones(firings: Firing[]): Promise<FiringView[]> {
    const ids = [...new Set(firings.map((f) => f.ruleId))];
    const zones = new Map((await store.rules.getMany(ids)).map((r) => [r.id, r.schedule.timezone]));
    return firings.map((f) => ({ ...f, timezone: zones.get(f.ruleId) ?? null }));
  }

  async function rulesSummary(): Promise<RuleSummary[]> {
    const out: RuleSummary[] = [];
    for (let offset = 0; ; offset += SUMMARY_PAGE) {
      const page = await store.rules.list({ sort: 'name', limit: SUMMARY_PAGE, offset });
      for (const r of page.items) {
        const nextDueAt = engine.nextDueAt(r.id);
        out.push({
          id: r.id,
          name: r.name,
          enabled: r.enabled,
          state: activityOf(r.enabled, nextDueAt),
          nextDueAt,
          labels: r.labels,
        });
      }
      if (page.items.length < SUMMARY_PAGE || out.length >= page.total) return out;
    }
  }

  async function health(): Promise<HealthReport> {
    const { pendingClaims, unwrittenOutcomes } = engine.stats();
    const waiting = { pendingClaims, unwrittenOutcomes };
    let storeState: HealthReport['store'] = { ok: true, dialect: store.dialect, ...waiting };
    try {
      await store.ping();
      const [all, enabled] = await Promise.all([
        store.rules.list({ limit: 1, offset: 0 }),
        store.rules.list({ enabled: true, limit: 1, offset: 0 }),
      ]);
      counts = { total: all.total, enabled: enabled.total };
    } catch (error) {
      storeState = { ok: false, dialect: store.dialect, error: message(error), ...waiting };
    }
    const simulated = deps.transport.kind === 'simulated';
    return {
      status: storeState.ok && pendingClaims + unwrittenOutcomes === 0 ? 'ok' : 'degraded',
      version: deps.version,
      store: storeState,
      rmf: { transport: deps.transport.kind, simulated },
      rules: { ...counts, armed: engine.stats().armed },
      replicaId: config.replica_id,
      replicas: deps.heartbeat ? { alive: deps.heartbeat.alive() } : null,
      clockSkewMs: deps.heartbeat?.skewMs() ?? null,
      startedAt,
      now: clock.now(),
    };
  }

  /** Enable or disable one rule, on its record (with the group's label when done for a label). */
  async function setEnabled(
    id: string,
    enabled: boolean,
    reason: string | null,
    expectedVersion: number | null,
    actor: Actor,
    details: Record<string, unknown> | null = null,
  ): Promise<RuleView> {
    const current = await store.rules.get(id);
    if (enabled && !current.enabled) assertFires(true, current.schedule, clock.now());
    const changes = { enabled, disabledReason: enabled ? null : reason };
    const action = enabled ? 'enabled' : 'disabled';
    const rule = await store.rules.update(id, expectedVersion, changes, { actor, action, reason, details });
    logChange(logger, action, id, actor, reason, details ?? {});
    return afterDisable(current, await wrote(rule), reason);
  }

  const facade: SchedulerHandle = {
    async createRule(input: RuleInput, actor: Actor) {
      const rule = await store.rules.create(newRuleFrom(input, actor, ctx()));
      logChange(logger, 'created', rule.id, actor, null, { name: rule.name });
      return wrote(rule);
    },

    getRule: readRule,

    async getRuleWithUpcoming(id, count) {
      if (count === 0) return { rule: await readRule(id), upcoming: [] };
      const { rule, upcoming } = await book.ruleWithUpcoming(id, count);
      return { rule: toView(engine, rule), upcoming };
    },

    listRules: (query) => listRuleViews(query, { rules: store.rules, engine, index }),

    async replaceRule(id, input: RuleInput, expectedVersion, actor, options) {
      const current = await store.rules.get(id);
      const changes = replaceChangesFrom(input, current, ctx());
      return editRule(current, changes, expectedVersion, { actor, action: 'replaced' }, options);
    },

    async updateRule(id, patch: RulePatch, expectedVersion, actor, options) {
      const current = await store.rules.get(id);
      const changes = patchChangesFrom(patch, current, ctx());
      return editRule(current, changes, expectedVersion, { actor, action: 'updated' }, options);
    },

    async deleteRule(id, expectedVersion, actor) {
      const undo = own.deleting(id);
      try {
        await store.rules.delete(id, expectedVersion, { actor });
      } catch (error) {
        undo();
        throw error;
      }
      logChange(logger, 'deleted', id, actor, null);
      index.remove(id);
      book.forget(id);
      engine.remove(id);
      changed([id]);
      return { cancellations: await withdraw(id, 'the rule was deleted') };
    },

    setRuleEnabled: (id, enabled, reason, expectedVersion, actor) =>
      setEnabled(id, enabled, reason, expectedVersion, actor),

    async setLabelEnabled(label, enabled, reason, actor) {
      const ids = (await store.rules.listHeads({ label, enabled: !enabled })).map((r) => r.id).sort();
      const changed: RuleView[] = [];
      const skipped: LabelSkip[] = [];
      // In groups: the writes of a group arrive together and share commits.
      for (let i = 0; i < ids.length; i += LABEL_GROUP) {
        const results = await Promise.allSettled(
          ids.slice(i, i + LABEL_GROUP).map((id) => setEnabled(id, enabled, reason, null, actor, { label })),
        );
        results.forEach((r, k) => {
          if (r.status === 'fulfilled') changed.push(r.value);
          else if (isDomainError(r.reason, 'NEVER_FIRES') || isDomainError(r.reason, 'RULE_NOT_FOUND'))
            skipped.push({ id: ids[i + k]!, error: r.reason });
          else throw r.reason;
        });
      }
      return { changed, skipped };
    },

    ruleHistory: (id, limit, offset) => store.rules.history(id, limit, offset),

    async triggerRule(id, actor, options = {}): Promise<FiringView> {
      const rule = await store.rules.get(id);
      if (!rule.enabled && options.force !== true) {
        const why = rule.disabledReason ? ` (${rule.disabledReason})` : '';
        throw new DomainError(
          'RULE_DISABLED',
          `Rule ${id} is disabled${why}: trigger it with force to fire it anyway`,
          { id, reason: rule.disabledReason },
        );
      }
      logChange(logger, 'triggered', id, actor, options.reason ?? null, { forced: !rule.enabled });
      const firing = await engine.trigger(id, actor, {
        force: options.force === true,
        reason: options.reason ?? null,
      });
      return { ...firing, timezone: rule.schedule.timezone };
    },

    upcoming: book.upcoming,
    occurrences: book.occurrences,
    calendar: book.calendar,
    getOccurrence: book.getOccurrence,
    updateOccurrence: book.updateOccurrence,
    deleteOccurrence: book.deleteOccurrence,

    preview(schedule, from, to, limit) {
      if (!Number.isFinite(from)) throw DomainError.invalid({ field: 'from', message: 'must be an instant' });
      if (!Number.isFinite(to) || to <= from) {
        throw DomainError.invalid({ field: 'to', message: 'must be an instant after from' });
      }
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREVIEW) {
        throw DomainError.invalid({ field: 'limit', message: `must be an integer from 1 to ${MAX_PREVIEW}` });
      }
      const normal = normalizeSchedule(schedule, ctx());
      const instants = occurrencesAfter(normal, from - 1, limit + 1, to);
      return { schedule: normal, instants: instants.slice(0, limit), next: instants[limit] ?? null };
    },

    async listFirings(query) {
      const page = await store.firings.list(query);
      return { ...page, items: await withZones(page.items) };
    },
    getFiring: async (id) => (await withZones([await store.firings.get(id)]))[0]!,
    rulesSummary,
    health,
    replicas: () => deps.heartbeat?.list() ?? Promise.resolve([]),
    ruleChanges: (after, limit) => store.rules.changesSince(after, limit),
    latestChangeSeq: () => store.rules.latestChangeSeq(),

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    startSync: (fromSeq) => follower.start(fromSeq),
    syncIdle: () => follower.idle(),
    ruleReadStats: () => reads.stats(),

    async stop() {
      unsubscribeFirings();
      await rmfFollower?.stop();
      await follower.stop();
      await engine.stop();
      await deps.heartbeat?.stop();
      listeners.clear();
    },
  };
  if (store.rmfWebTasks !== undefined) {
    facade.rmfWeb = createRmfWebTasks({
      scheduler: facade,
      ids: store.rmfWebTasks,
      rules: store.rules,
      firings: store.firings,
      clock,
      timezone: config.timezone,
    });
  }
  return facade;
}
