/**
 * Starts the ROS 2 side of the service: initialises rclnodejs with the command line (so
 * `--ros-args -r __node:=… -r __ns:=…`, as `ros2 launch` passes them, work), creates the node
 * (default name config.ros.node_name), declares every config key as a read-only parameter with
 * the value in use, sets `use_sim_time` as the command line gave it, then builds the RMF
 * transport and spins. The parameters themselves were read before anything was opened
 * (loadConfig.ts: rclnodejs alone would miss every entry keyed by the node's full name, which is
 * how ros2 launch writes them); this checks that ROS named the node as they were read for.
 * `attach(scheduler)` adds the scheduler's own topics and services once the runtime exists;
 * `stop()` takes everything down in reverse order.
 *
 * Returns `{ ok: false, reason }` when ROS 2 cannot be used here (rclnodejs missing, ROS 2 not
 * sourced, message packages missing, init failed).
 */
import type { Config } from '../Config.js';
import type { Logger } from '../log.js';
import type { Clock, Dispatcher } from '../runtime/ports.js';
import type { Scheduler } from '../runtime/Scheduler.js';
import { loadRclnodejs, type LoadResult } from './loadRclnodejs.js';
import type { NodeIdentity } from './nodeParameters.js';
import { declareConfigParameters } from './parameters.js';
import { ParameterType, type RclModule, type RclNode } from './rclSurface.js';
import { createRmfTransport, type RmfTransport } from './rmfTransport.js';
import { teeToRos } from './rosLogger.js';
import { startSchedulerTopics, type SchedulerTopics, type TopicsScheduler } from './schedulerTopics.js';

export interface StartRosOptions {
  /** The final config (ROS parameters applied). */
  config: Config;
  /** The node the parameters were read for, and use_sim_time. */
  parameters: { node: NodeIdentity; useSimTime: boolean };
  /** The process's command line (process.argv): rcl reads the `--ros-args` part. */
  argv: string[];
  clock: Clock;
  logger: Logger;
  /** How to obtain rclnodejs (tests pass the in-memory stand-in). */
  load?: () => Promise<LoadResult>;
}

export interface RosRuntime {
  /** The config after ROS parameters. */
  config: Config;
  dispatcher: Dispatcher;
  /** Resolved node name ("/ns/name") and topic names, for logs and /health. */
  readonly names: { node: string } & RmfTransport['topics'];
  /** Publishes ~/events and ~/rules and serves ~/trigger_rule and ~/set_rule_enabled. */
  attach(scheduler: Scheduler | TopicsScheduler): void;
  /** A logger that also writes to ROS logging (/rosout). */
  teeLogger(logger: Logger): Logger;
  /** Closes the transport, destroys the node and shuts the ROS context down. Idempotent. */
  stop(): Promise<void>;
}

export type StartRosResult = { ok: true; ros: RosRuntime } | { ok: false; reason: string };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function startRos(options: StartRosOptions): Promise<StartRosResult> {
  const { config, argv, clock, logger, parameters } = options;
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

  let transport: RmfTransport;
  try {
    if (nodeName !== parameters.node.fqn) {
      throw new Error(
        `ROS named the node ${nodeName}, but its parameters were read for ${parameters.node.fqn}: check the -r __node:= / __ns:= arguments`,
      );
    }
    declareConfigParameters(rcl, node, config);
    const simTime = node.setParameter(
      new rcl.Parameter('use_sim_time', ParameterType.PARAMETER_BOOL, parameters.useSimTime),
    );
    if (!simTime.successful) throw new Error(`cannot set use_sim_time: ${simTime.reason ?? 'refused'}`);
    transport = createRmfTransport({
      rcl,
      node,
      rmf: config.rmf,
      clock,
      logger: rosLogger,
      useSimTime: parameters.useSimTime,
    });
  } catch (e) {
    open = false;
    node.destroy();
    shutdown();
    throw e;
  }
  node.spin();

  let topics: SchedulerTopics | null = null;
  const ros: RosRuntime = {
    config,
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
