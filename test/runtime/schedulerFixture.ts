/**
 * A Scheduler facade on the real store (SQLite in memory unless told otherwise), the recording
 * fake engine and a simulated clock. Not a test file: the scheduler*.test.ts files use it.
 */
import { SimulatedClock } from 'xstate';
import { silentLogger, type Logger } from '../../src/log.js';
import { createScheduler, type SchedulerHandle } from '../../src/runtime/createScheduler.js';
import type { Store } from '../../src/runtime/ports.js';
import type { FiringStatus } from '../../src/rules/Firing.js';
import type { RuleInput } from '../../src/rules/RuleInput.js';
import type { TaskSpec } from '../../src/rules/Task.js';
import { openStore } from '../../src/store/openStore.js';
import { createFakeEngine, type FakeEngine } from '../helpers/fakeEngine.js';

export const ms = (iso: string): number => Date.parse(iso);
export const iso = (at: number | null | undefined): string | null =>
  at === null || at === undefined ? null : new Date(at).toISOString();

/** Monday 2026-03-09 12:00 UTC. */
export const NOW = ms('2026-03-09T12:00:00.000Z');

export const task: TaskSpec = {
  type: 'dispatch_task_request',
  request: { category: 'patrol', description: { places: ['lobby', 'ward_a'], rounds: 1 } },
};

export const dailyRule = (name: string, times: string[], extra: Partial<RuleInput> = {}): RuleInput => ({
  name,
  schedule: { kind: 'daily', times, timezone: 'UTC', start: '2026-03-01' },
  task,
  ...extra,
});

export interface Harness {
  clock: SimulatedClock;
  store: Store;
  engine: FakeEngine;
  scheduler: SchedulerHandle;
  close(): Promise<void>;
}

export async function openHarness(
  opts: { dbUrl?: string; clock?: SimulatedClock; replicaId?: string; logger?: Logger } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new SimulatedClock();
  if (!opts.clock) clock.set(NOW);
  const logger = opts.logger ?? silentLogger;
  const store = await openStore({ dbUrl: opts.dbUrl ?? 'sqlite::memory:', logger, clock });
  const engine = createFakeEngine({ clock, store, replicaId: opts.replicaId ?? 'a' });
  const scheduler = createScheduler({
    store,
    engine,
    clock,
    logger,
    config: {
      timezone: 'Europe/Berlin',
      misfire_policy: 'fire_once',
      misfire_grace_ms: 60_000,
      replica_id: opts.replicaId ?? 'a',
      sync_interval_ms: 1_000,
    },
    transport: { kind: 'simulated' },
    version: '0.1.0-test',
  });
  return {
    clock,
    store,
    engine,
    scheduler,
    async close() {
      await scheduler.stop();
      await store.close();
    },
  };
}

/** Writes a finished scheduled firing through the store's claim and outcome paths. */
export async function recordFiring(
  store: Store,
  ruleId: string,
  dueAt: number,
  status: Exclude<FiringStatus, 'claimed' | 'missed'> = 'dispatched',
  trigger: 'schedule' | 'manual' = 'schedule',
): Promise<void> {
  const requestId = `req-${ruleId.slice(0, 8)}-${dueAt}`;
  const [result] = await store.firings.claimBatch(
    [{ ruleId, dueAt, fireAt: dueAt, trigger, requestId, claimedAt: dueAt, replicaId: 'a' }],
    () => ({ action: 'claim' }),
  );
  if (result?.status !== 'claimed') throw new Error(`not claimed: ${result?.status}`);
  await store.firings.recordOutcomes([
    {
      ruleId,
      dueAt,
      trigger,
      status,
      requestId,
      request: null,
      response: null,
      rmfTaskId: status === 'dispatched' ? `task-${iso(dueAt)}` : null,
      error: status === 'dispatched' ? null : 'no',
      attempts: 1,
      publishedAt: dueAt,
      respondedAt: dueAt,
    },
  ]);
}
