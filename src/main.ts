/**
 * The composition root: config → logger → store (migrated) → RMF transport (ROS 2, or the
 * simulated dispatcher) → engine (wall clock) → Scheduler facade → HTTP. Every part pushes its
 * stop function; stop() runs them in reverse order (HTTP first, the store last).
 */
import { hostname } from 'node:os';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Settings } from 'luxon';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from './Config.js';
import { createApp } from './http/app.js';
import { describeConfig, loadConfigAndRosParameters } from './loadConfig.js';
import { createLogger, type Logger } from './log.js';
import {
  createSimulatedDispatcher,
  fleetsOf,
  SIMULATED_WARNING,
  type SimulatedRmf,
} from './rmf/simulatedDispatcher.js';
import type { LoadResult } from './ros/loadRclnodejs.js';
import { startRos } from './ros/startRos.js';
import { createRuntimeMetrics } from './runtime/metrics.js';
import { startRuntime } from './runtime/startRuntime.js';
import type { Dispatcher } from './runtime/ports.js';
import type { Scheduler } from './runtime/Scheduler.js';
import { createWallClock } from './runtime/wallClock.js';
import { openStore } from './store/openStore.js';
import { packageVersion } from './version.js';

export interface ServiceOptions {
  /** Command-line arguments after the command (flags and ROS arguments). */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where the JSON log lines go (default stdout). */
  logDestination?: NodeJS.WritableStream;
  /** How to obtain rclnodejs (default: the installed package; tests pass the in-memory stand-in). */
  loadRcl?: () => Promise<LoadResult>;
}

export interface RunningService {
  readonly config: Config;
  /** http://host:port actually bound (port 0 → the chosen port). */
  readonly url: string;
  readonly logger: Logger;
  /** Stops accepting requests, stops the engine (in-flight dispatches are recorded), ROS, the store. */
  stop(): Promise<void>;
}

/** A start-up failure whose message is meant for the operator (no stack). */
export class StartupError extends Error {
  override name = 'StartupError';
}

export async function runService(options: ServiceOptions): Promise<RunningService> {
  Settings.throwOnInvalid = true;
  // Every setting, ROS parameters included, is known before anything is opened.
  const loaded = await loadConfigAndRosParameters({ argv: options.argv, env: options.env, cwd: options.cwd });
  const config = loaded.config;
  const rosParameters = loaded.ros;
  let logger = createLogger(config.log_level, options.logDestination);
  const stack: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const stopAll = async (): Promise<void> => {
    for (const { name, stop } of stack.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error('stop failed', { component: name, error: (err as Error).message });
      }
    }
  };

  try {
    const version = packageVersion();
    const clock = createWallClock();
    stack.push({ name: 'clock', stop: () => clock.stop() });

    logger.info('starting', { version, config: describeConfig(config) });
    if (rosParameters.applied.length > 0) {
      logger.info('ROS parameters read', {
        node: rosParameters.node.fqn,
        parameters: Object.fromEntries(rosParameters.applied.map((p) => [p.key, p.from])),
      });
    }
    for (const ignored of rosParameters.ignored) {
      logger.warn('ROS parameter ignored: not a setting of this node', {
        node: rosParameters.node.fqn,
        parameter: ignored.name,
        from: ignored.from,
      });
    }
    const store = await openStore({ dbUrl: config.db_url, logger, migrate: true, clock });
    stack.push({ name: 'store', stop: () => store.close() });

    const notices: string[] = [];
    let dispatcher: Dispatcher;
    let attach: ((s: Scheduler) => void) | null = null;
    if (config.rmf.transport === 'sim') {
      dispatcher = createSimulatedDispatcher({ clock, logger, rmf: simulatedRmf(config) });
      notices.push(`${SIMULATED_WARNING} (rmf.transport = sim)`);
      logger.warn(notices[0] as string);
    } else {
      const started = await startRos({
        config,
        parameters: rosParameters,
        argv: [...options.argv],
        clock,
        logger,
        ...(options.loadRcl ? { load: options.loadRcl } : {}),
      });
      if (started.ok) {
        const ros = started.ros;
        logger = ros.teeLogger(logger);
        dispatcher = ros.dispatcher;
        attach = (s) => ros.attach(s);
        stack.push({ name: 'ros', stop: () => ros.stop() });
      } else if (config.rmf.transport === 'ros') {
        throw new StartupError(`cannot start the ROS 2 transport (rmf.transport = ros): ${started.reason}`);
      } else {
        dispatcher = createSimulatedDispatcher({ clock, logger, rmf: simulatedRmf(config) });
        notices.push(`${SIMULATED_WARNING} (ROS 2 unavailable: ${started.reason})`);
        logger.warn(`!!! ${notices[0] as string} !!!`);
      }
    }
    stack.push({ name: 'dispatcher', stop: () => dispatcher.close() });

    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const { scheduler } = await startRuntime({
      clock,
      store,
      dispatcher,
      logger,
      config,
      version,
      metrics: createRuntimeMetrics(registry),
      replica: { host: hostname(), pid: process.pid },
    });
    // HTTP stops accepting first; requests in flight finish while the engine settles its firings.
    let httpDrained: Promise<void> = Promise.resolve();
    stack.push({ name: 'http', stop: () => httpDrained });
    stack.push({ name: 'scheduler', stop: () => scheduler.stop() });
    attach?.(scheduler);

    const streams = new AbortController();
    const app = createApp({
      scheduler,
      config,
      logger,
      registry,
      now: () => clock.now(),
      notices,
      version,
      shutdown: streams.signal,
    });
    const server = app.listen(config.port, config.host);
    try {
      await once(server, 'listening');
    } catch (err) {
      throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
    }
    stack.push({
      name: 'http listener',
      stop: () => {
        streams.abort(); // open event streams end, so that their sockets close at once
        httpDrained = closeServer(server);
      },
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info('listening', { url, docs: `${url}/docs`, rmf_transport: dispatcher.kind });

    let stopping: Promise<void> | null = null;
    return {
      config,
      url,
      logger,
      stop: () => (stopping ??= stopAll().then(() => logger.info('stopped'))),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The RMF site the simulated dispatcher plays (config rmf.sim_*). */
function simulatedRmf(config: Config): SimulatedRmf {
  return {
    categories: config.rmf.sim_categories,
    fleets: fleetsOf(config.rmf.sim_robots),
    silentLabels: config.rmf.sim_silent_labels,
    slowLabels: config.rmf.sim_slow_labels,
    slowMs: config.rmf.sim_slow_ms,
  };
}

/** Stop accepting connections; idle keep-alive sockets close now, busy ones after 4 s at most. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 4000);
  await closed;
  clearTimeout(timer);
}
