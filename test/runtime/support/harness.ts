/**
 * An engine on a simulated clock, a real store (SQLite in memory unless told otherwise) and the
 * simulated RMF dispatcher, with the helpers runtime tests share.
 */
import { createMemoryLogger, type MemoryLogger } from '../../../src/log.js';
import { createSimulatedDispatcher, type SimulatedDispatcher } from '../../../src/rmf/simulatedDispatcher.js';
import type { Firing } from '../../../src/rules/Firing.js';
import type { NewRule, Rule } from '../../../src/rules/Rule.js';
import type { Engine } from '../../../src/runtime/Engine.js';
import { createEngine, type EngineConfig } from '../../../src/runtime/firingEngine.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../../../src/runtime/metrics.js';
import type { Dispatcher, Store } from '../../../src/runtime/ports.js';
import { openStore } from '../../../src/store/openStore.js';
import { createSimulatedClock, type SimulatedClock } from '../../helpers/simulatedClock.js';
import { newRule } from './fixtures.js';

export interface Harness {
  clock: SimulatedClock;
  store: Store;
  dispatcher: SimulatedDispatcher;
  logger: MemoryLogger;
  metrics: RuntimeMetrics;
  engine: Engine;
  /** Every firing the engine announced, in order. */
  firings: Firing[];
  addRule(fields?: Partial<NewRule>): Promise<Rule>;
  /**
   * Let simulated time pass, deadline by deadline (at most `maxMs`, default 60 s), until the condition
   * holds (RMF's simulated answers take time on the clock; store I/O on real time).
   */
  until(condition: () => boolean, what: string, maxMs?: number): Promise<void>;
  /** Advance the clock step by step, letting store I/O complete in between. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** A second engine on the same store and clock (a restart, or another replica). */
  newEngine(options?: { dispatcher?: Dispatcher; replicaId?: string; store?: Store }): Engine;
  close(): Promise<void>;
}

export async function createHarness(
  options: {
    start?: number;
    dbUrl?: string;
    config?: Partial<EngineConfig>;
    latencyMs?: number;
    dispatcher?: (clock: SimulatedClock) => SimulatedDispatcher;
    /** Wraps the harness's store (a slow store, say) before the clock starts counting its calls. */
    wrapStore?: (store: Store) => Store;
  } = {},
): Promise<Harness> {
  let busy = 0;
  const settle = async () => {
    // Store calls run on real time: let them (and what they trigger) finish.
    for (let quiet = 0; quiet < 3;) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      quiet = busy === 0 ? quiet + 1 : 0;
    }
  };
  const clock = createSimulatedClock(options.start ?? Date.parse('2026-01-05T08:00:00.000Z'), { settle });
  const logger = createMemoryLogger();
  const onBusy = (delta: number) => {
    busy += delta;
  };
  const opened = await openStore({
    dbUrl: options.dbUrl ?? 'sqlite::memory:',
    logger: createMemoryLogger(),
    clock,
  });
  const store = countingStore(options.wrapStore?.(opened) ?? opened, onBusy);
  const dispatcher =
    options.dispatcher?.(clock) ?? createSimulatedDispatcher({ clock, latencyMs: options.latencyMs ?? 20 });
  const metrics = createRuntimeMetrics();
  let ids = 0;
  const newId = () => `00000000-0000-4000-8000-${(ids++).toString(16).padStart(12, '0')}`;
  const engines: Engine[] = [];
  const firings: Firing[] = [];

  function newEngine(o: { dispatcher?: Dispatcher; replicaId?: string; store?: Store } = {}): Engine {
    const engine = createEngine({
      clock,
      // Another replica's store is counted too: simulated time must not run ahead of its I/O.
      store: o.store === undefined ? store : countingStore(o.store, onBusy),
      dispatcher: o.dispatcher ?? dispatcher,
      logger,
      metrics,
      config: {
        dispatchTimeoutMs: 10_000,
        requester: 'test',
        replicaId: o.replicaId ?? `replica-${engines.length + 1}`,
        recoverWaitMs: 0,
        ...options.config,
      },
      newId,
    });
    engine.onFiring((f) => firings.push(f));
    engines.push(engine);
    return engine;
  }

  async function until(condition: () => boolean, what: string, maxMs = 60_000): Promise<void> {
    const end = clock.now() + maxMs;
    await clock.flush();
    while (!condition()) {
      if (clock.now() >= end) throw new Error(`${what}: still not true after ${maxMs} ms`);
      const next = clock.nextDeadline();
      await clock.advanceTo(
        Math.min(end, next === undefined ? clock.now() + 10 : Math.max(next, clock.now())),
      );
    }
  }

  const engine = newEngine();
  return {
    clock,
    store,
    dispatcher,
    logger,
    metrics,
    engine,
    firings,
    addRule: (fields) => store.rules.create(newRuleWith(fields)),
    until,
    async advance(ms, stepMs = Infinity) {
      const end = clock.now() + ms;
      while (clock.now() < end) await clock.advanceTo(Math.min(end, clock.now() + stepMs));
    },
    newEngine,
    async close() {
      // Firings still in flight (an answer due on the clock) end within the engines' stop
      // grace, which runs on this clock: keep it moving until every engine has stopped.
      let stopped = false;
      const stopping = Promise.all(engines.map((e) => e.stop())).finally(() => {
        stopped = true;
      });
      const until = clock.now() + 60_000;
      while (!stopped && clock.now() < until) await clock.advance(100);
      if (!stopped) throw new Error('the engines did not stop within 60 s of simulated time');
      await stopping;
      await dispatcher.close();
      await store.close();
    },
  };
}

const newRuleWith = (fields?: Partial<NewRule>): NewRule => newRule(fields);

/**
 * The store answering each call after up to `maxDelayMs` of real time, before and after the call
 * (a loaded machine, a distant database): replicas then commit in an order that varies.
 */
export function slowStore(store: Store, maxDelayMs: number): Store {
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await pause();
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          await pause();
          return result;
        };
      },
    });
  return {
    dialect: store.dialect,
    rules: wrap(store.rules),
    overrides: wrap(store.overrides),
    firings: wrap(store.firings),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** The store, counting calls in progress (so the simulated clock can wait for them). */
export function countingStore(store: Store, onBusy: (delta: number) => void): Store {
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          onBusy(1);
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise) return result.finally(() => onBusy(-1));
          onBusy(-1);
          return result;
        };
      },
    });
  return {
    dialect: store.dialect,
    rules: wrap(store.rules),
    overrides: wrap(store.overrides),
    firings: wrap(store.firings),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
