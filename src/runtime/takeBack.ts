/**
 * Taking back what was sent ahead of time. With a lead time RMF receives a task before its
 * occurrence; when the operator then disables, deletes or moves that occurrence, or disables or
 * deletes its rule, the task must not run (or not at the old time). Each such firing — dispatched,
 * its instant still ahead, not already cancelled — gets a `cancel` record: `requested` (durable
 * before RMF is asked), then `canceled` or `failed` with RMF's errors. The firing keeps its
 * status. The Dispatcher asks RMF as RMF's own clients do (ros/rmfCancel.ts).
 */
import type { Logger } from '../log.js';
import type { Firing, FiringCancel } from '../rules/Firing.js';
import type { RuntimeMetrics } from './metrics.js';
import type { Clock, Dispatcher, Store } from './ports.js';
import type { Cancellation } from './Scheduler.js';

export interface TakeBackDeps {
  store: Store;
  dispatcher: Dispatcher;
  clock: Clock;
  logger: Logger;
  metrics: Pick<RuntimeMetrics, 'cancel'>;
  /** rmf.cancel_withdrawn: false turns cancelling off (then sent occurrences cannot change). */
  enabled: boolean;
  timeoutMs: number;
  /** A firing's cancel record changed. */
  updated(firing: Firing): void;
}

export interface TakeBack {
  /** Whether RMF can be asked to cancel (configured on, and the transport can). */
  readonly enabled: boolean;
  /** Firings of the rule (of one occurrence, given its instant) whose task RMF has and has not started. */
  sentAhead(ruleId: string, dueAt?: number): Promise<Firing[]>;
  /** Asks RMF to cancel each firing's task; resolves once each answer (or its absence) is recorded. */
  cancel(firings: readonly Firing[], reason: string): Promise<Cancellation[]>;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const PAGE = 1_000;

/** A dispatched firing whose task RMF has not started yet, and that was not already cancelled. */
export function isSentAhead(firing: Firing, now: number): boolean {
  return (
    firing.status === 'dispatched' &&
    firing.rmfTaskId !== null &&
    firing.fireAt > now &&
    firing.cancel?.state !== 'canceled' &&
    firing.cancel?.state !== 'requested'
  );
}

export function createTakeBack(deps: TakeBackDeps): TakeBack {
  const { store, dispatcher, clock, logger } = deps;
  const log = logger.child({ component: 'take_back' });
  const enabled = deps.enabled && dispatcher.cancel !== undefined;

  async function record(firing: Firing, cancel: FiringCancel): Promise<Firing> {
    const stored = await store.firings.setCancel(firing.id, cancel);
    deps.updated(stored);
    return stored;
  }

  async function cancelOne(firing: Firing, reason: string): Promise<Cancellation> {
    const rmfTaskId = firing.rmfTaskId as string;
    const requested: FiringCancel = {
      state: 'requested',
      at: clock.now(),
      errors: [],
      reason,
      rmfTaskId,
      by: null,
    };
    let final: FiringCancel;
    try {
      await record(firing, requested);
      const answer = await (dispatcher.cancel as NonNullable<Dispatcher['cancel']>)(
        {
          rmfTaskId,
          gotAt: firing.respondedAt,
          labels: [
            'scheduler',
            `rule_id=${firing.ruleId}`,
            `occurrence=${new Date(firing.dueAt).toISOString()}`,
          ],
        },
        { timeoutMs: deps.timeoutMs },
      );
      final =
        answer.state === 'canceled'
          ? { ...requested, state: 'canceled', at: answer.at, by: answer.by }
          : { ...requested, state: 'failed', at: answer.at, errors: answer.errors };
    } catch (e) {
      final = { ...requested, state: 'failed', at: clock.now(), errors: [message(e)] };
    }
    deps.metrics.cancel(final.state === 'canceled' ? 'canceled' : 'failed');
    const fields = { ruleId: firing.ruleId, firingId: firing.id, rmfTaskId, reason };
    if (final.state === 'canceled')
      log.info('RMF cancelled a task sent ahead of time', { ...fields, by: final.by });
    else
      log.warn('RMF did not cancel a task sent ahead of time: it may still run', {
        ...fields,
        errors: final.errors,
      });
    try {
      return { firing: await record(firing, final), cancel: final };
    } catch (e) {
      log.error('could not record the cancellation', { ...fields, error: message(e) });
      return { firing: { ...firing, cancel: final }, cancel: final };
    }
  }

  return {
    enabled,
    async sentAhead(ruleId, dueAt) {
      if (!enabled) return [];
      const now = clock.now();
      const out: Firing[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await store.firings.list({
          ruleId,
          status: ['dispatched'],
          firesAfter: now,
          ...(dueAt !== undefined ? { from: dueAt, to: dueAt + 1 } : {}),
          order: 'asc',
          limit: PAGE,
          offset,
        });
        out.push(...page.items.filter((f) => isSentAhead(f, now)));
        if (page.items.length < PAGE) return out;
      }
    },
    cancel: (firings, reason) =>
      enabled ? Promise.all(firings.map((f) => cancelOne(f, reason))) : Promise.resolve([]),
  };
}
