/**
 * Loads rclnodejs lazily (it is an optional dependency that only installs where ROS 2 is
 * sourced) and says clearly why it cannot be used: not installed, ROS 2 not sourced, or the
 * message packages it needs were not generated. This file and rclSurface.ts are the only places
 * that know the package's name.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { RclModule } from './rclSurface.js';

export type LoadResult = { ok: true; rcl: RclModule } | { ok: false; reason: string };

/** Interface packages the node needs; rclnodejs must have generated their JavaScript bindings. */
export const REQUIRED_INTERFACES = [
  'rmf_task_msgs/msg/ApiRequest',
  'rmf_task_msgs/msg/ApiResponse',
  'rmf_task_msgs/msg/DispatchStates',
  'rmf_task_msgs/srv/CancelTask',
  'rosgraph_msgs/msg/Clock',
  'std_msgs/msg/String',
  'rmf_task_scheduler/msg/SchedulerEvent',
  'rmf_task_scheduler/msg/RuleList',
  'rmf_task_scheduler/srv/TriggerRule',
  'rmf_task_scheduler/srv/SetRuleEnabled',
  'rmf_task_scheduler/srv/ListRules',
] as const;

const PACKAGE = 'rclnodejs';

/**
 * Why ROS 2 is not usable in this environment, before touching rclnodejs (importing it without a
 * sourced ROS 2 makes it try to compile itself): null when the environment looks right.
 */
export function rosEnvironmentProblem(
  env: NodeJS.ProcessEnv,
  fileExists: (path: string) => boolean = existsSync,
): string | null {
  const prefixes = (env.AMENT_PREFIX_PATH ?? '').split(delimiter).filter((p) => p !== '');
  if (!env.ROS_DISTRO || prefixes.length === 0) {
    return 'ROS 2 is not sourced (ROS_DISTRO / AMENT_PREFIX_PATH are not set): run `source /opt/ros/<distro>/setup.bash` and the setup.bash of the workspace that contains rmf_task_msgs and rmf_task_scheduler';
  }
  const missing = ['rmf_task_msgs', 'rmf_task_scheduler', 'std_msgs', 'rosgraph_msgs'].filter(
    (pkg) => !prefixes.some((p) => fileExists(join(p, 'share', pkg, 'package.xml'))),
  );
  if (missing.length > 0) {
    return `message package(s) ${missing.join(', ')} not found on AMENT_PREFIX_PATH: install rmf_task_msgs (e.g. ros-${env.ROS_DISTRO}-rmf-task-msgs), build this package with colcon and source its install/setup.bash`;
  }
  return null;
}

/** Whether the rclnodejs package is present in node_modules (without loading it). */
export function rclnodejsInstalled(fromUrl: string = import.meta.url): boolean {
  try {
    createRequire(fromUrl).resolve(`${PACKAGE}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Imports rclnodejs and checks that every interface the node uses has been generated. */
export async function loadRclnodejs(env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  if (!rclnodejsInstalled()) {
    return {
      ok: false,
      reason:
        'rclnodejs is not installed (it is an optional dependency and installs only where ROS 2 is sourced): source ROS 2, then run `npm ci` again',
    };
  }
  const problem = rosEnvironmentProblem(env);
  if (problem) return { ok: false, reason: problem };
  let rcl: RclModule;
  try {
    const name: string = PACKAGE;
    const mod = (await import(name)) as { default?: RclModule } & RclModule;
    rcl = mod.default ?? mod;
  } catch (e) {
    return { ok: false, reason: `rclnodejs failed to load: ${e instanceof Error ? e.message : String(e)}` };
  }
  const missing = REQUIRED_INTERFACES.filter((type) => {
    try {
      rcl.require(type);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `rclnodejs has no generated bindings for ${missing.join(', ')}: build and source the workspace with rmf_task_msgs and rmf_task_scheduler, then run \`npx generate-ros-messages\``,
    };
  }
  return { ok: true, rcl };
}
