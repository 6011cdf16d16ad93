/**
 * Starts the ROS 2 side of the service: initialises rclnodejs with the command line (so
 * `--ros-args -r __node:=… -r __ns:=… -p key:=value`, as `ros2 launch` passes them, work),
 * creates the node (default name config.ros.node_name), declares every config key as a
 * parameter and hands the ones that were set to the config loader, then builds the RMF
 * transport with the final config and spins. `attach(scheduler)` adds the scheduler's own topics
 * and services once the runtime exists; `stop()` takes everything down in reverse order.
 *
 * Returns `{ ok: false, reason }` when ROS 2 cannot be used here (rclnodejs missing, ROS 2 not
 * sourced, message packages missing, init failed). Invalid parameters are not a reason to run
 * without ROS: whatever `applyOverrides` throws is rethrown (after shutting ROS down).
 */
import type { Config } from '../Config.js';
import type { Logger } from '../log.js';
import type { Clock, Dispatcher } from '../runtime/ports.js';
import type { Scheduler } from '../runtime/Scheduler.js';
import { loadRclnodejs, type LoadResult } from './loadRclnodejs.js';
import { declareConfigParameters } from './parameters.js';
import type { RclModule, RclNode } from './rclSurface.js';
import { createRmfTransport, type RmfTransport } from './rmfTransport.js';
import { teeToRos } from './rosLogger.js';
import { startSchedulerTopics, type SchedulerTopics, type TopicsScheduler } from './schedulerTopics.js';

/** Validates flat overrides (`{ port: 8011, "rmf.transport": "ros" }`) into a new Config; throws naming bad keys. */
export type ApplyOverrides = (
  config: Config,
  overrides: Record<string, unknown>,
  source: string,
) => Config | Promise<Config>;

export interface StartRosOptions {
  config: Config;
  /** The process's command line (process.argv): rcl reads the `--ros-args` part. */
  argv: string[];
  clock: Clock;
  logger: Logger;
  applyOverrides: ApplyOverrides;
  /** How to obtain rclnodejs (tests pass the in-memory stand-in). */
  load?: () => Promise<LoadResult>;
}

export interface RosRuntime {
  /** The config after ROS parameters. */
  config: Config;
  dispatcher: Dispatcher;
  /** Resolved node name ("/ns/name") and topic names, for logs and /health. */
  readonly names: { node: string; requests: string; responses: string; taskStates: string | null };
  /** Publishes ~/events and ~/rules and serves ~/trigger_rule and ~/set_rule_enabled. */
  attach(scheduler: Scheduler | TopicsScheduler): void;
  /** A logger that also writes to ROS logging (/rosout). */
  teeLogger(logger: Logger): Logger;
  /** Closes the transport, destroys the node and shuts the ROS context down. Idempotent. */
  stop(): Promise<void>;
}

export type StartRosResult = { ok: true; ros: RosRuntime } | { ok: false; reason: string };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const PARAMETER_SOURCE = 'ROS parameter';

export async function startRos(options: StartRosOptions): Promise<StartRosResult> {
  const { config, argv, clock, logger } = options;
  const loaded = await (options.load ?? loadRclnodejs)();
  if (!loaded.ok) return loaded;
  const rcl: RclModule = loaded.rcl;

  try {
    await rcl.init(undefined, argv);
  } catch (e) {
    return { ok: false, reason: `ROS 2 initialisation failed: ${message(e)}` };
  }
  // We shut down in order on SIGINT ourselves (main), instead of rclnodejs pulling ROS away first.
  rcl.removeSignalHandlers();

  const shutdown = () => {
    if (!rcl.isShutdown()) rcl.shutdown();
  };
  let node: RclNode;
  try {
    node = rcl.createNode(config.ros.node_name, config.ros.namespace);
  } catch (e) {
    shutdown();
    return { ok: false, reason: `could not create the ROS node: ${message(e)}` };
  }
  const nodeName = `${node.namespace() === '/' ? '' : node.namespace()}/${node.name()}`;
  let open = true;
  // The node's own log lines (transport, topics) go to /rosout as well.
  const rosLogger = teeToRos(logger, node.getLogger(), () => open);

  let final: Config;
  let transport: RmfTransport;
  try {
    const overrides = declareConfigParameters(rcl, node, config);
    final =
      Object.keys(overrides).length > 0
        ? await options.applyOverrides(config, overrides, PARAMETER_SOURCE)
        : config;
    transport = createRmfTransport({ rcl, node, rmf: final.rmf, clock, logger: rosLogger });
  } catch (e) {
    open = false;
    node.destroy();
    shutdown();
    throw e;
  }
  if (final.ros.node_name !== config.ros.node_name || final.ros.namespace !== config.ros.namespace) {
    logger.warn(
      'ros.node_name / ros.namespace cannot change a running node: use --ros-args -r __node:=… -r __ns:=…',
      {
        node: nodeName,
      },
    );
  }
  node.spin();

  let topics: SchedulerTopics | null = null;
  const ros: RosRuntime = {
    config: final,
    dispatcher: transport,
    names: { node: nodeName, ...transport.topics },
    attach(scheduler) {
      if (topics) throw new Error('the scheduler is already attached to the ROS node');
      if (!open) throw new Error('the ROS node has been stopped');
      topics = startSchedulerTopics({ rcl, node, scheduler, clock, logger: rosLogger });
    },
    teeLogger: (base) => teeToRos(base, node.getLogger(), () => open),
    async stop() {
      if (!open) return;
      open = false;
      topics?.stop();
      await transport.close();
      node.destroy();
      shutdown();
    },
  };
  return { ok: true, ros };
}
