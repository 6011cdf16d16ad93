/**
 * Wires the firing engine and the Scheduler facade over a store and a dispatcher, and starts
 * them in the order that loses nothing: the change-feed position is read before the engine loads
 * the rules, so a change another replica commits meanwhile is still followed afterwards.
 * The composition root (main.ts) and the tests that run the whole runtime use this one function.
 */
import type { Logger } from '../log.js';
import { createScheduler, type SchedulerConfig, type SchedulerHandle } from './createScheduler.js';
import type { Engine } from './Engine.js';
import { createEngine, type EngineConfig } from './firingEngine.js';
import { createRuntimeMetrics, type RuntimeMetrics } from './metrics.js';
import { createReplicaHeartbeat } from './replicaHeartbeat.js';
import type { Clock, Dispatcher, Store } from './ports.js';
import type { Scheduler } from './Scheduler.js';

export interface RuntimeConfig extends SchedulerConfig {
  /** Replica heartbeat interval (default 1 s) and when a silent replica is overdue (default 3 s). */
  heartbeat_interval_ms?: number;
  replica_overdue_ms?: number;
  rmf: {
    dispatch_timeout_ms: number;
    requester: string;
    /** Cancel tasks sent ahead of time that the operator takes back (default true). */
    cancel_withdrawn?: boolean;
    cancel_timeout_ms?: number;
  };
}

export interface RuntimeDeps {
  clock: Clock;
  store: Store;
  dispatcher: Dispatcher;
  logger: Logger;
  config: RuntimeConfig;
  version: string;
  metrics?: RuntimeMetrics;
  /** Engine settings beyond the configuration (tests: e.g. recoverWaitMs: 0). */
  engine?: Partial<EngineConfig>;
  /**
   * This process, for its heartbeat in the store (when the store keeps replicas): without it, no
   * heartbeat is recorded.
   */
  replica?: { host: string; pid: number };
  /** Called once the facade exists, before the engine starts (so start-up firings are seen). */
  beforeStart?: (scheduler: Scheduler) => void;
}

export interface Runtime {
  engine: Engine;
  scheduler: SchedulerHandle;
  metrics: RuntimeMetrics;
}

export async function startRuntime(deps: RuntimeDeps): Promise<Runtime> {
  const { clock, store, dispatcher, logger, config } = deps;
  const metrics = deps.metrics ?? createRuntimeMetrics();
  const engine = createEngine({
    clock,
    store,
    dispatcher,
    logger,
    metrics,
    config: {
      dispatchTimeoutMs: config.rmf.dispatch_timeout_ms,
      requester: config.rmf.requester,
      replicaId: config.replica_id,
      ...deps.engine,
    },
  });
  const heartbeat =
    deps.replica !== undefined && store.replicas !== undefined
      ? createReplicaHeartbeat({
          clock,
          replicas: store.replicas,
          logger,
          id: config.replica_id,
          host: deps.replica.host,
          pid: deps.replica.pid,
          version: deps.version,
          intervalMs: config.heartbeat_interval_ms,
          overdueMs: config.replica_overdue_ms,
        })
      : undefined;
  const scheduler = createScheduler({
    heartbeat,
    store,
    engine,
    clock,
    logger,
    config,
    transport: { kind: dispatcher.kind },
    version: deps.version,
    rmf: {
      dispatcher,
      metrics,
      cancelWithdrawn: config.rmf.cancel_withdrawn ?? true,
      cancelTimeoutMs: config.rmf.cancel_timeout_ms ?? 5_000,
    },
  });
  metrics.watch({
    simulated: dispatcher.kind === 'simulated',
    storeUp: () =>
      store.ping().then(
        () => true,
        () => false,
      ),
    claimsWithoutOutcome: () => engine.stats().inFlight,
    pendingClaims: () => engine.stats().pendingClaims,
    unwrittenOutcomes: () => engine.stats().unwrittenOutcomes,
    replicasAlive: () => heartbeat?.alive() ?? null,
    clockSkewMs: () => heartbeat?.skewMs() ?? null,
    overview: () => engine.overview(),
  });
  deps.beforeStart?.(scheduler);
  // Refuses to start while a live replica has this id (before anything is claimed).
  await heartbeat?.start();
  const fromSeq = await store.rules.latestChangeSeq();
  await engine.start();
  scheduler.startSync(fromSeq);
  return { engine, scheduler, metrics };
}
