/**
 * The ROS part of a command line, read the way rcl reads it (rcl/src/rcl/arguments.c and
 * rcl_yaml_param_parser): every `--ros-args … [--]` section, its remap rules (`-r`, `--remap`),
 * parameter rules (`-p`, `--param`) and parameter files (`--params-file`, as ros2 launch writes
 * them). The result is rcl's own structure: parameter entries keyed by the node name as written
 * (`/**`, `task_scheduler`, `/site_a/task_scheduler`, `/**\/task_scheduler`), in the order each
 * name was first seen, each holding its last value per parameter.
 *
 * rclnodejs looks these entries up only by `/**` and the bare node name; rclcpp and rclpy match
 * each entry's name against the node's fully qualified name (see nodeParameters.ts). PURE apart
 * from reading the parameter files.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Scalar } from 'yaml';

export type RosParamValue = boolean | bigint | number | string | boolean[] | bigint[] | number[] | string[];

/** Where a parameter value came from, for messages: `params file /tmp/x.yaml` or `-p port:=8011`. */
export interface RosParamSetting {
  value: RosParamValue;
  origin: string;
}

/** One entry of rcl's parameter structure: a node name as written and its parameters. */
export interface RosParamEntry {
  node: string;
  params: Map<string, RosParamSetting>;
}

export interface RosRemapRule {
  /** Only for the node of this (original) name (`node:from:=to`), or null for every node. */
  node: string | null;
  from: string;
  to: string;
}

export interface RosArguments {
  remaps: RosRemapRule[];
  params: RosParamEntry[];
  paramsFiles: string[];
}

/** A command line rcl would refuse, or a parameters file it cannot read. */
export class RosArgumentsError extends Error {
  override name = 'RosArgumentsError';
}

/** Flags of rcl that take a value; the others (`--disable-stdout-logs`, …) take none. */
const FLAGS_WITH_VALUE = new Set(['--log-level', '--log-config-file', '--log-file-name', '-e', '--enclave']);

const TOKEN = '[A-Za-z_][A-Za-z0-9_]*';
/** `[node:]name:=value` where the node prefix is a bare token (rcl's lexer: TOKEN then COLON). */
const PARAM_RULE = new RegExp(`^(?:(${TOKEN}):(?!=))?(${TOKEN}(?:\\.${TOKEN})*):=(.*)$`, 's');
const REMAP_RULE = new RegExp(`^(?:(${TOKEN}):(?!=))?(.+?):=(.*)$`, 's');

export function parseRosArguments(
  argv: readonly string[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RosArguments {
  const out: RosArguments = { remaps: [], params: [], paramsFiles: [] };
  let inRos = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--ros-args') {
      inRos = true;
      continue;
    }
    if (!inRos) continue;
    if (arg === '--') {
      inRos = false;
      continue;
    }
    const valueOf = (): string => {
      const value = argv[++i];
      if (value === undefined) throw new RosArgumentsError(`ROS argument ${arg} needs a value`);
      return value;
    };
    if (arg === '-p' || arg === '--param') {
      const rule = valueOf();
      const m = PARAM_RULE.exec(rule);
      if (!m) throw new RosArgumentsError(`cannot parse the ROS parameter rule "${rule}" (${arg})`);
      const [, node = '/**', name = '', text = ''] = m;
      if (text === '')
        throw new RosArgumentsError(
          `the ROS parameter rule "${rule}" has no value (rcl refuses it; an empty string is '')`,
        );
      setParam(out.params, node, name, { value: parseParamValue(text, rule), origin: `-p ${rule}` });
    } else if (arg === '-r' || arg === '--remap') {
      const rule = valueOf();
      const m = REMAP_RULE.exec(rule);
      if (!m) throw new RosArgumentsError(`cannot parse the ROS remap rule "${rule}"`);
      out.remaps.push({ node: m[1] ?? null, from: m[2] ?? '', to: m[3] ?? '' });
    } else if (arg === '--params-file') {
      const path = valueOf();
      let text: string;
      try {
        text = readFile(path);
      } catch (e) {
        throw new RosArgumentsError(
          `cannot read the ROS parameters file ${path}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      parseParamsFile(text, path, out.params);
      out.paramsFiles.push(path);
    } else if (FLAGS_WITH_VALUE.has(arg)) {
      valueOf();
    }
  }
  return out;
}

function entryOf(entries: RosParamEntry[], node: string): RosParamEntry {
  let entry = entries.find((e) => e.node === node);
  if (entry === undefined) {
    entry = { node, params: new Map() };
    entries.push(entry);
  }
  return entry;
}

/** rcl replaces a parameter's value in place: a later setting wins within one entry. */
function setParam(entries: RosParamEntry[], node: string, name: string, setting: RosParamSetting): void {
  entryOf(entries, node).params.set(name, setting);
}

// ---------------------------------------------------------------------------------------------
// Values, typed as rcl_yaml_param_parser types them (parse.c get_value)

const TRUE = new Set(['Y', 'y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['N', 'n', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
/** strtoll(value, &end, 0) consuming the whole text: decimal, 0x hex, leading-0 octal. */
const INTEGER = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
/** strtod consuming the whole text (decimal and exponent forms, inf, infinity, nan). */
const DOUBLE = /^\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)$/i;
const YAML_INF = /^[+-]?\.(inf|Inf|INF)$/;
const YAML_NAN = /^\.(nan|NaN|NAN)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const STR_TAG = 'tag:yaml.org,2002:str';

function typedScalar(
  text: string,
  quoted: boolean,
  tag: string | undefined,
): boolean | bigint | number | string {
  if (tag === STR_TAG || quoted) return text;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  const int = INTEGER.exec(text);
  if (int) {
    const [, sign = '', digits = ''] = int;
    const magnitude =
      /^0[0-7]+$/.test(digits) && digits.length > 1 ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    const value = sign === '-' ? -magnitude : magnitude;
    if (value >= INT64_MIN && value <= INT64_MAX) return value;
  }
  if (YAML_INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (YAML_NAN.test(text)) return NaN;
  if (DOUBLE.test(text)) return Number(text.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
  return text;
}

function scalarValue(node: Scalar, where: string): boolean | bigint | number | string {
  const text = String(node.value ?? '');
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (!quoted && text === '') throw new RosArgumentsError(`${where}: no value`);
  return typedScalar(text, quoted, node.tag);
}

function sequenceValue(items: unknown[], where: string): RosParamValue {
  const values = items.map((item) => {
    if (!isScalar(item)) throw new RosArgumentsError(`${where}: a parameter array holds only plain values`);
    return scalarValue(item, where);
  });
  if (values.length === 0) return [] as string[];
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size > 1)
    throw new RosArgumentsError(`${where}: the values of a parameter array must all be of one type`);
  return values as RosParamValue;
}

function yamlValue(node: unknown, where: string): RosParamValue {
  if (isScalar(node)) return scalarValue(node, where);
  if (isSeq(node)) return sequenceValue(node.items, where);
  throw new RosArgumentsError(`${where}: not a parameter value`);
}

/** A `-p name:=value` value: a YAML scalar or flow sequence, typed as rcl types it. */
export function parseParamValue(text: string, where = text): RosParamValue {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0)
    throw new RosArgumentsError(`${where}: not a YAML value (${doc.errors[0]?.message ?? ''})`);
  return yamlValue(doc.contents, where);
}

// ---------------------------------------------------------------------------------------------
// Parameter files (rcl_yaml_param_parser parse.c: node names up to `ros__parameters`, then
// parameters, nested maps flattened with dots)

const PARAMS_KEY = 'ros__parameters';

/** Adds a parameters file's entries to `entries` (rcl parses every file into one structure). */
export function parseParamsFile(text: string, path: string, entries: RosParamEntry[]): void {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new RosArgumentsError(
      `ROS parameters file ${path} is not valid YAML: ${doc.errors[0]?.message ?? ''}`,
    );
  }
  const top = doc.contents;
  if (top === null) return;
  if (!isMap(top))
    throw new RosArgumentsError(`ROS parameters file ${path} must map node names to parameters`);
  walkNodeNames(top.items, [], path, entries);
}

function keyText(key: unknown, path: string): string {
  if (!isScalar(key) || String(key.value ?? '') === '')
    throw new RosArgumentsError(`ROS parameters file ${path}: a key is not a name`);
  return String(key.value);
}

/** rcl's add_name_to_ns: names joined with "/", without doubling a trailing one. */
function joinNodeName(parts: readonly string[]): string {
  return parts.reduce((ns, part) => (ns === '' ? part : ns.endsWith('/') ? ns + part : `${ns}/${part}`), '');
}

function walkNodeNames(
  pairs: ReadonlyArray<{ key: unknown; value: unknown }>,
  names: string[],
  path: string,
  entries: RosParamEntry[],
): void {
  for (const { key, value } of pairs) {
    const name = keyText(key, path);
    if (name.startsWith(PARAMS_KEY)) {
      if (names.length === 0)
        throw new RosArgumentsError(`ROS parameters file ${path}: ${PARAMS_KEY} without a node name`);
      const node = joinNodeName(names);
      const entry = entryOf(entries, node);
      if (value === null || (isScalar(value) && String(value.value ?? '') === '')) continue;
      if (!isMap(value))
        throw new RosArgumentsError(`ROS parameters file ${path}: ${node}.${PARAMS_KEY} must be a map`);
      walkParams(value.items, '', path, entry);
      continue;
    }
    if (!isMap(value)) {
      throw new RosArgumentsError(
        `ROS parameters file ${path}: "${name}" has a value before ${PARAMS_KEY} (expected <node>: ${PARAMS_KEY}: {...})`,
      );
    }
    walkNodeNames(value.items, [...names, name], path, entries);
  }
}

function walkParams(
  pairs: ReadonlyArray<{ key: unknown; value: unknown }>,
  prefix: string,
  path: string,
  entry: RosParamEntry,
): void {
  for (const { key, value } of pairs) {
    const name = prefix === '' ? keyText(key, path) : `${prefix}.${keyText(key, path)}`;
    if (isMap(value)) {
      walkParams(value.items, name, path, entry);
      continue;
    }
    const where = `ROS parameters file ${path}, ${entry.node} parameter ${name}`;
    entry.params.set(name, { value: yamlValue(value as YamlNode, where), origin: `params file ${path}` });
  }
}
