/**
 * Which of the command line's ROS parameters apply to this node, the way an rclcpp (or rclpy)
 * node takes them (rclcpp/src/rclcpp/parameter_map.cpp and detail/resolve_parameter_overrides.cpp):
 *
 * - the node's fully qualified name comes from its name and namespace after rcl's remap rules
 *   (`-r __node:=…`, `-r __ns:=…`, the first rule that applies wins);
 * - each parameter entry's name gains a leading "/" (`task_scheduler` → `/task_scheduler`, so a
 *   bare name matches only in the root namespace) and is matched against the fully qualified
 *   name with rcl's wildcards: `/*` is one namespace level, `/**` any number of them;
 * - matching entries are applied in rcl's order (the order each entry name first appeared on the
 *   command line), so within an entry the later value wins, and a later entry wins over an
 *   earlier one.
 *
 * rclnodejs 2.2.0 itself only reads the entries named exactly `/**` and the bare node name, which
 * is why the node reads them here, before anything else starts. PURE.
 */
import { maskPasswords } from '../log.js';
import type { RosArguments, RosParamValue } from './rosArguments.js';

export interface NodeIdentity {
  name: string;
  /** "/" for the root namespace. */
  namespace: string;
  /** "/task_scheduler", "/site_a/task_scheduler". */
  fqn: string;
}

export interface NodeParameter {
  value: RosParamValue;
  origin: string;
  /** The entry name the value came from, as written (`/**`, `/task_scheduler`). */
  entry: string;
}

export interface NodeParameters {
  node: NodeIdentity;
  /** Every parameter that applies to this node, with its winning value. */
  values: Map<string, NodeParameter>;
  /** Parameters named under an entry that names this node exactly (no wildcard). */
  named: Set<string>;
}

function absoluteNamespace(ns: string): string {
  if (ns === '' || ns === '/') return '/';
  const full = ns.startsWith('/') ? ns : `/${ns}`;
  return full.endsWith('/') ? full.slice(0, -1) : full;
}

/** The node's name and namespace after rcl's `__node` / `__ns` remap rules. */
export function nodeIdentity(
  args: Pick<RosArguments, 'remaps'>,
  name: string,
  namespace: string,
): NodeIdentity {
  const applies = (from: string) =>
    args.remaps.find((r) => r.from === from && (r.node === null || r.node === name));
  const finalName = applies('__node')?.to ?? name;
  const finalNamespace = absoluteNamespace(applies('__ns')?.to ?? namespace);
  return {
    name: finalName,
    namespace: finalNamespace,
    fqn: finalNamespace === '/' ? `/${finalName}` : `${finalNamespace}/${finalName}`,
  };
}

/** Does a parameter entry name (as written) apply to the node of this fully qualified name? */
export function entryMatches(entry: string, fqn: string): boolean {
  const name = entry.startsWith('/') ? entry : `/${entry}`;
  const pattern = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('/*', '(/\\w+)');
  try {
    return new RegExp(`^(?:${pattern})$`).test(fqn);
  } catch {
    return false;
  }
}

export const isWildcardEntry = (entry: string): boolean => entry.includes('*');

export function nodeParameters(args: RosArguments, node: NodeIdentity): NodeParameters {
  const values = new Map<string, NodeParameter>();
  const named = new Set<string>();
  for (const entry of args.params) {
    if (!entryMatches(entry.node, node.fqn)) continue;
    const exact = !isWildcardEntry(entry.node);
    for (const [name, setting] of entry.params) {
      values.set(name, { ...setting, entry: entry.node });
      if (exact) named.add(name);
    }
  }
  return { node, values, named };
}

/** "params file /tmp/launch_params_x, entry /task_scheduler" — for messages. */
export const entryDescription = (parameter: Pick<NodeParameter, 'origin' | 'entry'>): string => {
  const origin = maskPasswords(parameter.origin);
  return parameter.origin.startsWith('-p ') && parameter.entry === '/**'
    ? origin
    : `${origin}, entry ${parameter.entry}`;
};
