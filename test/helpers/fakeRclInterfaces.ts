/**
 * The interface definitions the in-memory ROS stand-in knows, read from the real files: this
 * project's msg/ and srv/ (package rmf_task_scheduler), RMF's rmf_task_msgs (from the shared
 * copy), and the two standard types used (std_msgs/String, builtin_interfaces/Time). Like the
 * generated rclnodejs classes, it turns a plain object into a message: missing fields get their
 * defaults, int64/uint64 become bigint, and a field of the wrong JavaScript type throws.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  nestedTypeName,
  parseMessage,
  parsePrimitiveValue,
  parseService,
  type PrimitiveType,
  type RosField,
  type RosMessageDef,
  type RosServiceDef,
} from './rosInterfaceParser.js';

/** The project root (tests run from it; compiled files live under dist/). */
export const projectRoot = (): string => process.cwd();
/** The shared RMF copies (../shared/rmf relative to the project root). */
export const sharedRmfDir = (): string => resolve(projectRoot(), '../shared/rmf');

export interface InterfaceRegistry {
  messages: Map<string, RosMessageDef>;
  services: Map<string, RosServiceDef>;
  /** Throws TypeError naming the field when `value` cannot be a `typeName` message. */
  toMessage(typeName: string, value: unknown): Record<string, unknown>;
  has(typeName: string): boolean;
}

const STANDARD: Array<[string, string, string]> = [
  ['std_msgs', 'String', 'string data\n'],
  ['builtin_interfaces', 'Time', 'int32 sec\nuint32 nanosec\n'],
  ['rosgraph_msgs', 'Clock', 'builtin_interfaces/Time clock\n'],
];
/**
 * Services of packages not in the shared copy, field for field as rmf_internal_msgs defines them
 * (rmf_task_msgs/srv/CancelTask: the dispatcher's legacy cancel service).
 */
const STANDARD_SERVICES: Array<[string, string, string]> = [
  ['rmf_task_msgs', 'CancelTask', 'string requester\nstring task_id\n---\nbool success\nstring message\n'],
];

function readDir(dir: string, ext: string): Array<[string, string]> {
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => [f.slice(0, -ext.length), readFileSync(join(dir, f), 'utf8')]);
}

/** Every interface file of this project and of rmf_task_msgs (shared copy), parsed. */
export function loadInterfaceRegistry(root = projectRoot()): InterfaceRegistry {
  const messages = new Map<string, RosMessageDef>();
  const services = new Map<string, RosServiceDef>();
  for (const [pkg, name, text] of STANDARD) messages.set(`${pkg}/msg/${name}`, parseMessage(text, pkg, name));
  for (const [pkg, name, text] of STANDARD_SERVICES)
    services.set(`${pkg}/srv/${name}`, parseService(text, pkg, name));
  const rmfDir = join(resolve(root, '../shared/rmf'), 'msg');
  for (const [name, text] of readDir(rmfDir, '.msg'))
    messages.set(`rmf_task_msgs/msg/${name}`, parseMessage(text, 'rmf_task_msgs', name));
  for (const [name, text] of readDir(rmfDir, '.srv'))
    services.set(`rmf_task_msgs/srv/${name}`, parseService(text, 'rmf_task_msgs', name));
  for (const [name, text] of readDir(join(root, 'msg'), '.msg'))
    messages.set(`rmf_task_scheduler/msg/${name}`, parseMessage(text, 'rmf_task_scheduler', name));
  for (const [name, text] of readDir(join(root, 'srv'), '.srv'))
    services.set(`rmf_task_scheduler/srv/${name}`, parseService(text, 'rmf_task_scheduler', name));
  return createRegistry(messages, services);
}

export function createRegistry(
  messages: Map<string, RosMessageDef>,
  services: Map<string, RosServiceDef>,
): InterfaceRegistry {
  const lookup = (typeName: string): RosMessageDef => {
    const srv = /^(.+)\/srv\/(.+)_(Request|Response)$/.exec(typeName);
    if (srv) {
      const def = services.get(`${srv[1]}/srv/${srv[2]}`);
      if (def) return srv[3] === 'Request' ? def.request : def.response;
    }
    const def = messages.get(typeName);
    if (!def) throw new TypeError(`The message required does not exist: ${typeName}`);
    return def;
  };

  const primitive = (type: PrimitiveType, value: unknown, path: string, bound: number | null): unknown => {
    const bad = (): never => {
      throw new TypeError(`${path}: ${JSON.stringify(String(value))} is not a valid ${type}`);
    };
    switch (type) {
      case 'bool':
        return typeof value === 'boolean' ? value : bad();
      case 'string':
      case 'wstring':
        if (typeof value !== 'string') bad();
        if (bound !== null && (value as string).length > bound)
          throw new TypeError(`${path}: string longer than its bound ${bound}`);
        return value;
      case 'float32':
      case 'float64':
        return typeof value === 'number' ? value : bad();
      case 'int64':
      case 'uint64':
        if (typeof value === 'bigint') return value;
        if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
        return bad();
      default:
        if (typeof value !== 'number' || !Number.isInteger(value)) bad();
        parsePrimitiveValue(type, String(value), () => bad());
        return value;
    }
  };

  const defaultOf = (field: RosField): unknown => {
    const t = field.type;
    const noop = (m: string): never => {
      throw new TypeError(m);
    };
    if (t.array) {
      if (field.defaultText === null) return [];
      const inner = field.defaultText.slice(1, -1).trim();
      return inner === ''
        ? []
        : inner.split(',').map((s) => parsePrimitiveValue(t.base as PrimitiveType, s.trim(), noop));
    }
    if (!t.isPrimitive) return build(nestedTypeName(t), {}, field.name);
    if (field.defaultText !== null)
      return parsePrimitiveValue(t.base as PrimitiveType, field.defaultText, noop);
    if (t.base === 'bool') return false;
    if (t.base === 'string' || t.base === 'wstring') return '';
    if (t.base === 'int64' || t.base === 'uint64') return 0n;
    return 0;
  };

  function fieldValue(field: RosField, value: unknown, path: string): unknown {
    const t = field.type;
    const one = (v: unknown, p: string): unknown =>
      t.isPrimitive
        ? primitive(t.base as PrimitiveType, v, p, t.stringBound)
        : build(nestedTypeName(t), v, p);
    if (!t.array) return one(value, path);
    const list = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<unknown>) : value;
    if (!Array.isArray(list)) throw new TypeError(`${path}: expected an array`);
    if (t.array.kind === 'fixed' && list.length !== t.array.size)
      throw new TypeError(`${path}: expected exactly ${t.array.size} elements`);
    if (t.array.kind === 'bounded' && list.length > t.array.bound)
      throw new TypeError(`${path}: more than ${t.array.bound} elements`);
    return list.map((v, i) => one(v, `${path}[${i}]`));
  }

  function build(typeName: string, value: unknown, path: string): Record<string, unknown> {
    const def = lookup(typeName);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new TypeError(`${path || typeName}: expected a ${typeName} object`);
    const given = value as Record<string, unknown>;
    const known = new Set(def.fields.map((f) => f.name));
    for (const key of Object.keys(given)) {
      if (!known.has(key))
        throw new TypeError(`${path ? `${path}.` : ''}${key}: no such field in ${typeName}`);
    }
    const out: Record<string, unknown> = {};
    for (const field of def.fields) {
      const p = path ? `${path}.${field.name}` : field.name;
      out[field.name] =
        given[field.name] === undefined ? defaultOf(field) : fieldValue(field, given[field.name], p);
    }
    return out;
  }

  return {
    messages,
    services,
    toMessage: (typeName, value) => build(typeName, value, ''),
    has: (typeName) => messages.has(typeName) || services.has(typeName),
  };
}
