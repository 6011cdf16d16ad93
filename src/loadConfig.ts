/**
 * The ONLY reader of the environment, the config module, the command-line flags and the ROS
 * parameters. Builds the effective Config: defaults ← the module named by
 * RMF_TASK_SCHEDULER_CONFIG ← environment variables ← command-line flags ← ROS parameters
 * (`--ros-args -p …` and `--params-file`, as an rclcpp node takes them: ros/nodeParameters.ts),
 * all read before anything is opened. Every key is validated; an unknown or invalid key stops
 * start-up with a message naming the key and where it came from (an unknown parameter under a
 * wildcard entry such as `/**`, meant for many nodes, is reported and ignored).
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Config } from './Config.js';
import { maskPasswords } from './log.js';
import { DEFAULT_SIMULATED_RMF } from './rmf/simulatedDispatcher.js';
import { entryDescription, nodeIdentity, nodeParameters, type NodeIdentity } from './ros/nodeParameters.js';
import { configValue, isRosOwnParameter } from './ros/parameters.js';
import { parseRosArguments, RosArgumentsError } from './ros/rosArguments.js';

export const ENV_PREFIX = 'RMF_TASK_SCHEDULER_';
export const CONFIG_ENV = `${ENV_PREFIX}CONFIG`;

/** A start-up error naming the offending key and its source. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly key: string | null,
    readonly source: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const zoneName = z.string().refine(isTimeZone, 'not an IANA time zone');
const nullableText = z.string().min(1).nullable();
const topic = z.string().regex(/^~?\/?[A-Za-z][A-Za-z0-9_/]*$/, 'not a valid ROS topic name');

/** Every key, flat ('rmf.transport'), with its schema. */
const FIELDS = {
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  db_url: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/, 'unsupported database URL'),
  timezone: zoneName,
  public_url: z.url().nullable(),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  jwt_public_key: z
    .string()
    .refine(isPublicKey, 'not a PEM public key (RSA for RS256, P-256 EC for ES256)')
    .nullable(),
  iss: nullableText,
  aud: nullableText,
  oidc_url: z.url().nullable(),
  console_client_id: nullableText,
  write_scope: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'not a single OAuth2 scope or role name')
    .nullable(),
  metrics_public: z.boolean(),
  rmf_web_routes: z.boolean(),
  cors_origins: z.array(z.string().min(1)),
  body_limit: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024),
  replica_id: z.string().min(1).max(200),
  heartbeat_interval_ms: z.number().int().min(100),
  replica_overdue_ms: z.number().int().min(500),
  misfire_policy: z.enum(['fire_once', 'skip']),
  misfire_grace_ms: z.number().int().min(0),
  sync_interval_ms: z.number().int().min(100),
  'rmf.transport': z.enum(['auto', 'ros', 'sim']),
  'rmf.requests_topic': topic,
  'rmf.responses_topic': topic,
  'rmf.task_state_topic': topic,
  'rmf.follow_task_states': z.boolean(),
  'rmf.qos_depth': z.number().int().min(1).max(10000),
  'rmf.dispatch_timeout_ms': z.number().int().min(1),
  'rmf.requester': z.string().min(1),
  'rmf.follow_dispatch_states': z.boolean(),
  'rmf.dispatch_states_topic': topic,
  'rmf.cancel_withdrawn': z.boolean(),
  'rmf.cancel_service': topic,
  'rmf.cancel_timeout_ms': z.number().int().min(1),
  'rmf.sim_categories': z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'not a task category name')),
  'rmf.sim_robots': z
    .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'not "fleet/robot"'))
    .refine((robots) => new Set(robots).size === robots.length, 'a robot is listed twice'),
  'rmf.sim_silent_labels': z.array(z.string().min(1)),
  'rmf.sim_slow_labels': z.array(z.string().min(1)),
  'rmf.sim_slow_ms': z.number().int().min(0).max(3_600_000),
  'ros.node_name': z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'not a valid ROS node name'),
  'ros.namespace': z.string().regex(/^(\/?[A-Za-z][A-Za-z0-9_]*)*\/?$/, 'not a valid ROS namespace'),
} as const;

export type ConfigKey = keyof typeof FIELDS;
export const CONFIG_KEYS = Object.keys(FIELDS) as ConfigKey[];

/** What each key is on the wire of strings (env, flags, ROS string parameters). */
function kindOf(key: ConfigKey): 'number' | 'boolean' | 'list' | 'text' {
  if (FIELDS[key].safeParse([]).success) return 'list';
  if (FIELDS[key].safeParse(true).success) return 'boolean';
  const probe = FIELDS[key].safeParse(1);
  return probe.success ? 'number' : 'text';
}

export function defaultConfig(cwd: string): Config {
  return {
    host: '127.0.0.1',
    port: 8010,
    db_url: `sqlite:${resolve(cwd, 'rmf-task-scheduler.sqlite')}`,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    public_url: null,
    log_level: 'info',
    jwt_public_key: null,
    iss: null,
    aud: null,
    oidc_url: null,
    console_client_id: null,
    write_scope: null,
    metrics_public: false,
    rmf_web_routes: true,
    cors_origins: [],
    body_limit: 1024 * 1024,
    // The token tells apart two containers on one host network (same hostname, same pid).
    replica_id: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    heartbeat_interval_ms: 1_000,
    replica_overdue_ms: 3_000,
    misfire_policy: 'fire_once',
    misfire_grace_ms: 300_000,
    sync_interval_ms: 5000,
    rmf: {
      transport: 'auto',
      requests_topic: 'task_api_requests',
      responses_topic: 'task_api_responses',
      task_state_topic: 'task_state_update',
      follow_task_states: false,
      qos_depth: 10,
      dispatch_timeout_ms: 10_000,
      requester: 'rmf_task_scheduler',
      follow_dispatch_states: true,
      dispatch_states_topic: 'dispatch_states',
      cancel_withdrawn: true,
      cancel_service: 'cancel_task',
      cancel_timeout_ms: 5_000,
      sim_categories: [...DEFAULT_SIMULATED_RMF.categories],
      sim_robots: Object.entries(DEFAULT_SIMULATED_RMF.fleets).flatMap(([fleet, robots]) =>
        robots.map((robot) => `${fleet}/${robot}`),
      ),
      sim_silent_labels: [],
      sim_slow_labels: [],
      sim_slow_ms: DEFAULT_SIMULATED_RMF.slowMs,
    },
    ros: { node_name: 'task_scheduler', namespace: '' },
  };
}

/** 'rmf.transport' → RMF_TASK_SCHEDULER_RMF_TRANSPORT. */
export const envName = (key: ConfigKey): string => ENV_PREFIX + key.replace('.', '_').toUpperCase();
/** 'rmf.dispatch_timeout_ms' → --rmf.dispatch-timeout-ms (underscores are accepted as well). */
export const flagName = (key: ConfigKey): string => `--${key.replaceAll('_', '-')}`;

export interface LoadConfigOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** What the command line's ROS parameters gave the node. */
export interface RosParameterReading {
  /** The node the parameters were resolved for (its name and namespace after remapping). */
  node: NodeIdentity;
  /** ROS's own `use_sim_time` (false when not set). */
  useSimTime: boolean;
  /** Config keys set by ROS parameters, and where each value came from. */
  applied: Array<{ key: string; from: string }>;
  /**
   * Parameters ignored: under wildcard entries (`/**`) and not config keys, or ros.node_name /
   * ros.namespace (parameters cannot rename the node they are read for).
   */
  ignored: Array<{ name: string; from: string }>;
}

export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  return (await loadConfigAndRosParameters(options)).config;
}

export async function loadConfigAndRosParameters({
  argv,
  env,
  cwd,
}: LoadConfigOptions): Promise<{ config: Config; ros: RosParameterReading }> {
  let config = defaultConfig(cwd);
  const file = env[CONFIG_ENV];
  if (file) {
    const source = `config file ${file}`;
    config = applyOverrides(config, flatten(await readConfigModule(file, cwd), source), source);
  }
  config = applyOverrides(config, readEnv(env), 'environment');
  config = applyOverrides(config, parseFlags(argv), 'command line');
  return applyRosParameters(config, argv, cwd);
}

/**
 * Applies the ROS parameters that reach this node (by the name and namespace the config and the
 * remap rules give it), one key at a time so that an error names the file and entry it came from.
 * An empty string means "not set" (a launch argument left empty).
 */
export function applyRosParameters(
  config: Config,
  argv: readonly string[],
  cwd: string,
  readFile: (path: string) => string = (path) => readFileSync(resolve(cwd, path), 'utf8'),
): { config: Config; ros: RosParameterReading } {
  let args;
  try {
    args = parseRosArguments(argv, readFile);
  } catch (err) {
    if (err instanceof RosArgumentsError) throw new ConfigError(err.message, null, 'ROS arguments');
    throw err;
  }
  const node = nodeIdentity(args, config.ros.node_name, config.ros.namespace);
  const { values, named } = nodeParameters(args, node);
  const reading: RosParameterReading = { node, useSimTime: false, applied: [], ignored: [] };
  const overrides: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [name, parameter] of values) {
    const from = entryDescription(parameter);
    const source = `ROS parameter ${name}: ${from}`;
    if (isRosOwnParameter(name)) {
      if (name !== 'use_sim_time') continue;
      if (typeof parameter.value !== 'boolean')
        throw new ConfigError(`"use_sim_time" must be true or false (from ${source})`, name, source);
      reading.useSimTime = parameter.value;
      continue;
    }
    const key = normalizeKey(name);
    if (key === null) {
      if (named.has(name))
        throw new ConfigError(`unknown configuration key "${name}" (from ${source})`, name, source);
      reading.ignored.push({ name, from });
      continue;
    }
    if (parameter.value === '') continue;
    if (key === 'ros.node_name' || key === 'ros.namespace') {
      // The parameters are looked up by the node's name: they cannot rename it.
      reading.ignored.push({ name, from: `${from} (a node is renamed with -r __node:=… / -r __ns:=…)` });
      continue;
    }
    overrides[name] = configValue(parameter.value);
    sources.set(name, source);
    reading.applied.push({ key, from });
  }
  const next = applyOverrides(config, overrides, (name) => sources.get(name) ?? 'ROS parameters');
  return { config: next, ros: reading };
}

/**
 * Applies flat overrides ('port', 'rmf.transport', …) from one source, validating each; strings
 * are converted for numeric, boolean and list keys. Returns a new frozen Config.
 */
export function applyOverrides(
  config: Config,
  overrides: Record<string, unknown>,
  from: string | ((key: string) => string),
): Config {
  const sourceOf = typeof from === 'string' ? () => from : from;
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  for (const [rawKey, raw] of Object.entries(overrides)) {
    const source = sourceOf(rawKey);
    const key = normalizeKey(rawKey);
    if (!key) throw new ConfigError(`unknown configuration key "${rawKey}" (from ${source})`, rawKey, source);
    const value = FIELDS[key].safeParse(coerce(key, raw));
    if (!value.success) {
      const why = value.error.issues.map((i) => i.message).join('; ');
      throw new ConfigError(`invalid value for "${key}" (from ${source}): ${why}`, key, source);
    }
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail === undefined) next[head] = value.data;
    else (next[head] as Record<string, unknown>)[tail] = value.data;
  }
  const result = next as unknown as Config;
  if (result.iss !== null && result.jwt_public_key === null) {
    const source = sourceOf('iss');
    throw new ConfigError(
      `"iss" is set (auth on) but "jwt_public_key" is not (from ${source})`,
      'jwt_public_key',
      source,
    );
  }
  return deepFreeze(result);
}

/** The config for printing and logging: the JWT key and the database password masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    db_url: maskPasswords(config.db_url),
    jwt_public_key: config.jwt_public_key === null ? null : '[set, masked]',
  };
}

function normalizeKey(raw: string): ConfigKey | null {
  const key = raw.replaceAll('-', '_').replace(/^ros\.parameters\./, '');
  return key in FIELDS ? (key as ConfigKey) : null;
}

function coerce(key: ConfigKey, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  const kind = kindOf(key);
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
  if (kind === 'boolean')
    return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
  if (kind === 'list')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (raw === '' && FIELDS[key].safeParse(null).success) return null;
  // A PEM in an environment variable or flag often arrives with its line breaks written as \n.
  if (key === 'jwt_public_key') return raw.replaceAll('\\n', '\n');
  return raw;
}

function readEnv(env: LoadConfigOptions['env']): Record<string, unknown> {
  const byName = new Map(CONFIG_KEYS.map((k) => [envName(k), k]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || name === CONFIG_ENV || value === undefined) continue;
    const key = byName.get(name);
    if (!key) throw new ConfigError(`unknown environment variable ${name}`, name, 'environment');
    out[key] = value;
  }
  return out;
}

/**
 * Splits off ROS arguments: everything from `--ros-args` up to an optional `--` (inclusive) is
 * ROS's (rclnodejs reads the full argv); the rest is ours. Several sections are allowed.
 */
export function splitRosArgs(argv: readonly string[]): { ours: string[]; ros: string[] } {
  const ours: string[] = [];
  const ros: string[] = [];
  let inRos = false;
  for (const arg of argv) {
    if (arg === '--ros-args') inRos = true;
    if (inRos) ros.push(arg);
    else ours.push(arg);
    if (inRos && arg === '--') inRos = false;
  }
  return { ours, ros };
}

/** `--key value`, `--key=value`; a boolean key alone means true. ROS arguments are left out. */
export function parseFlags(argv: readonly string[]): Record<string, unknown> {
  const { ours } = splitRosArgs(argv);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < ours.length; i++) {
    const arg = ours[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`, arg, 'command line');
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const key = normalizeKey(name);
    if (!key) throw new ConfigError(`unknown option --${name}`, name, 'command line');
    if (eq > 0) {
      out[key] = arg.slice(eq + 1);
      continue;
    }
    const next = ours[i + 1];
    if (kindOf(key) === 'boolean' && (next === undefined || next.startsWith('--'))) {
      out[key] = true;
      continue;
    }
    if (next === undefined) throw new ConfigError(`option --${name} needs a value`, key, 'command line');
    out[key] = next;
    i++;
  }
  return out;
}

async function readConfigModule(file: string, cwd: string): Promise<Record<string, unknown>> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  const source = `config file ${file}`;
  if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`, null, source);
  let loaded: unknown;
  try {
    if (path.endsWith('.json')) {
      const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      loaded = isRecord(json) && isRecord(json.config) && Object.keys(json).length === 1 ? json.config : json;
    } else {
      const mod = (await import(pathToFileURL(path).href)) as {
        config?: unknown;
        default?: { config?: unknown };
      };
      loaded = mod.config ?? mod.default?.config;
    }
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`, null, source);
  }
  if (!isRecord(loaded))
    throw new ConfigError(`config file ${path} does not export an object "config"`, null, source);
  return loaded;
}

/** { rmf: { transport } } → { 'rmf.transport' }; rmf/ros must be objects. */
function flatten(obj: Record<string, unknown>, source: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'rmf' || key === 'ros') {
      if (!isRecord(value)) throw new ConfigError(`"${key}" must be an object (from ${source})`, key, source);
      for (const [sub, v] of Object.entries(value)) out[`${key}.${sub}`] = v;
    } else out[key] = value;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPublicKey(pem: string): boolean {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec';
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
