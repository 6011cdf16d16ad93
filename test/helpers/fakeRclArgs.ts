/**
 * The part of rcl the in-memory ROS stand-in needs for names and command lines: `--ros-args`
 * parsing (`-r from:=to`, `-r __node:=…`, `-r __ns:=…`, `-p [node:]name:=value`, `--remap`,
 * `--param`, `--params-file` as ros2 launch writes them), YAML-like parameter values as rcl
 * reads them (integers are bigint, as rclnodejs gives them), and topic/service name expansion
 * and validation (relative, absolute, `~/`).
 */
import { readFileSync } from 'node:fs';

export interface RemapRule {
  /** Node name the rule is limited to (`node:from:=to`), or null for every node. */
  node: string | null;
  from: string;
  to: string;
}

export interface ParamRule {
  /** A node name, a fully qualified "/ns/name", or null for every node ("/**"). */
  node: string | null;
  name: string;
  value: ParamValue;
}

export type ParamValue = boolean | bigint | number | string | boolean[] | bigint[] | number[] | string[];

export interface RosArgs {
  remaps: RemapRule[];
  params: ParamRule[];
}

/** Parses every `--ros-args … [--]` section of argv (what rcl_parse_arguments reads). */
export function parseRosArgs(argv: readonly string[]): RosArgs {
  const out: RosArgs = { remaps: [], params: [] };
  let inRos = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--ros-args') {
      inRos = true;
      continue;
    }
    if (!inRos) continue;
    if (arg === '--') {
      inRos = false;
      continue;
    }
    if (arg === '-r' || arg === '--remap' || arg === '-p' || arg === '--param') {
      const rule = argv[++i];
      if (rule === undefined) throw new Error(`rcl: ${arg} needs an argument`);
      const m = /^(?:([A-Za-z_][A-Za-z0-9_]*):(?!=))?(.+?):=(.*)$/s.exec(rule);
      if (!m)
        throw new Error(
          `rcl: couldn't parse ${arg === '-r' || arg === '--remap' ? 'remap' : 'parameter'} rule "${rule}"`,
        );
      const node = m[1] ?? null;
      const left = m[2] ?? '';
      const right = m[3] ?? '';
      if (arg === '-r' || arg === '--remap') out.remaps.push({ node, from: left, to: right });
      else out.params.push({ node, name: left, value: parseParamValue(right) });
      continue;
    }
    if (arg === '--params-file') {
      const file = argv[++i];
      if (file === undefined) throw new Error('rcl: --params-file needs an argument');
      out.params.push(...parseParamsFile(readFileSync(file, 'utf8')));
      continue;
    }
    if (arg === '--log-level' || arg === '-e' || arg === '--enclave') {
      i++;
      continue;
    }
    // other flags (--disable-rosout-logs, ...) take no value
  }
  return out;
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/;

function scalar(text: string): boolean | bigint | number | string {
  const t = text.trim();
  if (t === 'true' || t === 'True' || t === 'TRUE') return true;
  if (t === 'false' || t === 'False' || t === 'FALSE') return false;
  if (INT.test(t)) return BigInt(t);
  if (FLOAT.test(t)) return Number(t);
  const q = /^(["'])(.*)\1$/s.exec(t);
  return q ? (q[2] ?? '') : t;
}

/** A `-p name:=value` value, read as YAML the way rcl does (scalars and flow sequences). */
export function parseParamValue(text: string): ParamValue {
  const t = text.trim();
  const seq = /^\[(.*)\]$/s.exec(t);
  if (!seq) return scalar(t);
  const inner = (seq[1] ?? '').trim();
  const items = inner === '' ? [] : inner.split(',').map(scalar);
  const kinds = new Set(items.map((v) => typeof v));
  if (kinds.size > 1) {
    if ([...kinds].every((k) => k === 'bigint' || k === 'number')) return items.map(Number) as number[];
    throw new Error(`rcl: parameter array "${text}" mixes types`);
  }
  return items as ParamValue;
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

/**
 * A ROS 2 parameters file (`<node>: ros__parameters: {…}`, node `/**` for every node), in the
 * block YAML ros2 launch writes: nested maps (flattened with dots), scalars, `- item` lists and
 * flow lists `[a, b]`.
 */
export function parseParamsFile(text: string): ParamRule[] {
  const rules: ParamRule[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((raw) => raw.replace(/\s+#.*$/, ''))
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#') && l.trim() !== '---');
  const indent = (l: string) => l.length - l.trimStart().length;
  const key = (l: string) => {
    const k = l.trim().replace(/:\s*.*$/, '');
    return /^(["'])(.*)\1$/.exec(k)?.[2] ?? k;
  };
  let node: string | null | undefined;
  const path: Array<{ indent: number; key: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const level = indent(line);
    if (level === 0) {
      const name = key(line);
      node = name === '/**' ? null : name;
      path.length = 0;
      continue;
    }
    if (node === undefined) throw new Error('rcl: parameters file must start with a node name');
    while (path.length > 0 && (path[path.length - 1]?.indent ?? 0) >= level) path.pop();
    const k = key(line);
    const rest = line
      .trim()
      .slice(line.trim().indexOf(':') + 1)
      .trim();
    if (rest === '') {
      const next = lines[i + 1] ?? '';
      if (next.trim().startsWith('- ') && indent(next) >= level) {
        const items: string[] = [];
        while ((lines[i + 1] ?? '').trim().startsWith('- ') && indent(lines[i + 1] ?? '') >= level) {
          items.push((lines[++i] ?? '').trim().slice(2));
        }
        const name = [...path.map((p) => p.key), k].filter((p) => p !== 'ros__parameters').join('.');
        rules.push({ node, name, value: parseParamValue(`[${items.join(', ')}]`) });
      } else path.push({ indent: level, key: k });
      continue;
    }
    const name = [...path.map((p) => p.key), k].filter((p) => p !== 'ros__parameters').join('.');
    rules.push({ node, name, value: parseParamValue(rest) });
  }
  return rules;
}
