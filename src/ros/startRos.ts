/**
 * Starts the ROS 2 side of the node (rclnodejs): the RMF transport, the scheduler's own topics
 * and the ROS parameters. This minimal version reports that ROS 2 is not available, so the
 * service runs on the simulated dispatcher ('auto') or refuses to start ('ros').
 */
import type { Config } from '../Config.js';
import type { Logger } from '../log.js';
import type { Clock, Dispatcher } from '../runtime/ports.js';
import type { Scheduler } from '../runtime/Scheduler.js';

export interface StartRosOptions {
  config: Config;
  /** The full argv (ROS arguments included). */
  argv: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Applies ROS parameters over the config (validated; the source is named in errors). */
  applyOverrides: (config: Config, overrides: Record<string, unknown>, source: string) => Config;
}

export interface RosHandle {
  /** The configuration after ROS parameters. */
  config: Config;
  dispatcher: Dispatcher;
  attach(scheduler: Scheduler): void;
  teeLogger(logger: Logger): Logger;
  stop(): Promise<void>;
}

export type StartRosResult = { ok: true; ros: RosHandle } | { ok: false; reason: string };

export async function startRos(_options: StartRosOptions): Promise<StartRosResult> {
  return { ok: false, reason: 'rclnodejs is not available' };
}
