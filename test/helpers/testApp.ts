/**
 * The whole service stack for HTTP tests: a fresh database of the given dialect, the real store,
 * engine and Scheduler facade, the simulated RMF dispatcher and the Koa app, listening on a free
 * port of 127.0.0.1. Logs are kept in memory.
 *
 *   const t = await createTestApp({ dialect: 'postgres' });
 *   await t.http.post('/rules').send(body).expect(201);
 *   await t.close();
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import type { Config } from '../../src/Config.js';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger, type MemoryLogger } from '../../src/log.js';
import { createSimulatedDispatcher, type SimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { SchedulerHandle } from '../../src/runtime/createScheduler.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import type { Store } from '../../src/runtime/ports.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { createWallClock } from '../../src/runtime/wallClock.js';
import { openStore } from '../../src/store/openStore.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './testDb.js';

export type AppDialect = Extract<TestDialect, 'sqlite-memory' | 'sqlite-file' | 'postgres' | 'mariadb'>;

/** The dialects every HTTP suite runs on. */
export const DIALECTS: AppDialect[] = ['sqlite-memory', 'postgres'];

/** Every dialect the service supports (for suites whose behaviour depends on the database). */
export const ALL_DIALECTS: AppDialect[] = ['sqlite-memory', 'postgres', 'mariadb'];

export interface TestAppOptions {
  dialect: AppDialect;
  /** Flat config overrides ('iss', 'cors_origins', 'body_limit', …). */
  config?: Record<string, unknown>;
  /** The URL the service opens instead of the database's own (through a TCP proxy, say). */
  storeUrl?: (dbUrl: string) => string;
  /** Aborted when the service stops (as main does). */
  shutdown?: AbortSignal;
}

export interface TestApp {
  http: supertest.Agent;
  /** http://127.0.0.1:<port> */
  url: string;
  config: Config;
  scheduler: SchedulerHandle;
  store: Store;
  dispatcher: SimulatedDispatcher;
  registry: Registry;
  logs: MemoryLogger['lines'];
  db: TestDatabase;
  close(): Promise<void>;
}

export async function createTestApp(options: TestAppOptions): Promise<TestApp> {
  const db = await createTestDatabase(options.dialect);
  const config = applyOverrides(
    defaultConfig(process.cwd()),
    {
      db_url: db.dbUrl,
      timezone: 'UTC',
      'rmf.transport': 'sim',
      sync_interval_ms: 60_000,
      ...options.config,
    },
    'test',
  );
  const logger = createMemoryLogger();
  const clock = createWallClock();
  const store = await openStore({
    dbUrl: options.storeUrl?.(db.dbUrl) ?? db.dbUrl,
    logger,
    migrate: true,
    clock,
  });
  const dispatcher = createSimulatedDispatcher({ clock });
  const registry = new Registry();
  const { scheduler } = await startRuntime({
    clock,
    store,
    dispatcher,
    logger,
    config: { ...config, rmf: { ...config.rmf, dispatch_timeout_ms: 2000 } },
    version: '0.0.0-test',
    metrics: createRuntimeMetrics(registry),
    replica: { host: 'test-host', pid: process.pid },
  });
  const app = createApp({
    scheduler,
    config,
    logger,
    registry,
    now: () => clock.now(),
    version: '0.0.0-test',
    ...(options.shutdown ? { shutdown: options.shutdown } : {}),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | null = null;
  return {
    http: supertest.agent(url),
    url,
    config,
    scheduler,
    store,
    dispatcher,
    registry,
    logs: logger.lines,
    db,
    close: () =>
      (closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await scheduler.stop();
        await dispatcher.close();
        clock.stop();
        await store.close().catch(() => undefined);
        await db.drop();
      })()),
  };
}
