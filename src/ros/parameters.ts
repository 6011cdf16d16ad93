/**
 * The node's ROS parameters are its config keys, flattened with dots (`port`, `db_url`,
 * `rmf.transport`, `rmf.dispatch_timeout_ms`, …). Each is declared with the value the service
 * uses (so `ros2 param get` shows it). PURE apart from the node calls in declareConfigParameters.
 */
import type { Config } from '../Config.js';
import { maskPasswords } from '../log.js';
import { ParameterType, type ParameterTypeValue, type RclModule, type RclNode } from './rclSurface.js';

export interface ParameterSpec {
  name: string;
  type: ParameterTypeValue;
  /** As rclnodejs holds it (INTEGER → bigint). */
  value: boolean | bigint | number | string | string[];
}

/** Parameters ROS itself defines on every node; never config. */
const ROS_OWN = /^(use_sim_time|start_type_description_service|qos_overrides\..*)$/;
export const isRosOwnParameter = (name: string): boolean => ROS_OWN.test(name);

function specOf(name: string, value: unknown): ParameterSpec {
  if (typeof value === 'boolean') return { name, type: ParameterType.PARAMETER_BOOL, value };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: ParameterType.PARAMETER_INTEGER, value: BigInt(value) }
      : { name, type: ParameterType.PARAMETER_DOUBLE, value };
  }
  if (Array.isArray(value))
    return { name, type: ParameterType.PARAMETER_STRING_ARRAY, value: value.map(String) };
  // strings, and null (an unset optional key) as the empty string
  return {
    name,
    type: ParameterType.PARAMETER_STRING,
    value: value === null || value === undefined ? '' : String(value),
  };
}

/**
 * Every config key as a parameter spec, nested sections flattened with dots, in key order; a
 * password in db_url is masked (`ros2 param get` shows it to anyone on the ROS graph).
 */
export function configParameters(config: Config): ParameterSpec[] {
  const out: ParameterSpec[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
    } else out.push(specOf(prefix, value));
  };
  walk('', { ...config, db_url: maskPasswords(config.db_url) });
  return out;
}

/** A parameter value as the config loader gets it: numbers instead of bigint. */
export function configValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (Array.isArray(value)) return value.map(configValue);
  return value;
}

/**
 * Declares every config key on the node with the value the service uses, read-only (the service
 * reads them once, at start, so `ros2 param set` is refused rather than silently ignored). The
 * values were resolved from the command line before anything started (loadConfig.ts, with
 * nodeParameters.ts): rclnodejs's own override lookup is bypassed.
 */
export function declareConfigParameters(
  rcl: Pick<RclModule, 'Parameter' | 'ParameterDescriptor'>,
  node: RclNode,
  config: Config,
): void {
  for (const spec of configParameters(config)) {
    const description = `config key ${spec.name}; read when the node starts: set it with -p, a parameters file or a launch argument and restart the node`;
    node.declareParameter(
      new rcl.Parameter(spec.name, spec.type, spec.value),
      new rcl.ParameterDescriptor(spec.name, spec.type, description, true),
      true,
    );
  }
}
