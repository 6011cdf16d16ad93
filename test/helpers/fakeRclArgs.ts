/**
 * The part of rcl the in-memory ROS stand-in needs for names and command lines. `--ros-args`
 * parsing (`-r`, `-p`, `--params-file`, and rcl's parameter structure: entries keyed by the node
 * name as written, in first-seen order, later values replacing earlier ones) is rcl's, as
 * src/ros/rosArguments.ts reads it (rcl sits under rclnodejs as under rclcpp: it is the lookup of
 * those entries that differs, and that lives in fakeRclNode.ts). Topic/service name expansion
 * and validation (relative, absolute, `~/`) are here.
 */
import { parseRosArguments, type RosParamEntry, type RosRemapRule } from '../../src/ros/rosArguments.js';

export interface RosArgs {
  remaps: RosRemapRule[];
  /** rcl's parameter structure (rcl_params_t). */
  params: RosParamEntry[];
}

/** Parses every `--ros-args … [--]` section of argv (what rcl_parse_arguments reads). */
export function parseRosArgs(argv: readonly string[]): RosArgs {
  const { remaps, params } = parseRosArguments(argv);
  return { remaps, params };
}

const TOKEN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateFullName(name: string, what: string): void {
  const ok =
    name.startsWith('/') &&
    (name === '/' ||
      (!name.endsWith('/') &&
        name
          .slice(1)
          .split('/')
          .every((t) => TOKEN.test(t))));
  if (!ok) throw new Error(`rcl: invalid ${what} name "${name}"`);
}

/** Expands a topic/service name against a node (rcl_expand_topic_name), without remapping. */
export function expandName(name: string, nodeName: string, namespace: string): string {
  const ns = namespace === '/' ? '' : namespace;
  let full: string;
  if (name.startsWith('/')) full = name;
  else if (name === '~') full = `${ns}/${nodeName}`;
  else if (name.startsWith('~/')) full = `${ns}/${nodeName}/${name.slice(2)}`;
  else if (name.startsWith('~'))
    throw new Error(`rcl: invalid topic name "${name}" ("~" must be followed by "/")`);
  else full = `${ns}/${name}`;
  validateFullName(full, 'topic');
  return full;
}

/** Normalises a namespace ('' → '/', 'a' → '/a'). */
export function normalizeNamespace(ns: string): string {
  const full = ns === '' ? '/' : ns.startsWith('/') ? ns : `/${ns}`;
  validateFullName(full, 'namespace');
  return full;
}
