/**
 * A parser of ROS 2 interface definitions (.msg and .srv), following the rules rosidl applies
 * when it builds them (design.ros2.org "Interface definition", rosidl_adapter's parser): fields
 * `type name [default]`, constants `TYPE NAME=value`, comments `#`, primitive types, bounded
 * strings `string<=N`, arrays `T[]` / `T[N]` / `T[<=N]`, nested types `pkg/Type` or `Type` (same
 * package), and `---` between request and response in a .srv. Errors name the line.
 */

export const PRIMITIVE_TYPES = [
  'bool',
  'byte',
  'char',
  'float32',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'string',
  'wstring',
] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

export interface RosType {
  /** A primitive type name, or the nested message's name. */
  base: string;
  /** Package of a nested message type (the file's own package when written without one). */
  package: string | null;
  isPrimitive: boolean;
  /** `string<=N`. */
  stringBound: number | null;
  /** null: not an array. */
  array: null | { kind: 'dynamic' } | { kind: 'fixed'; size: number } | { kind: 'bounded'; bound: number };
}

export interface RosField {
  name: string;
  type: RosType;
  /** The default value text, if any. */
  defaultText: string | null;
  line: number;
}

export interface RosConstant {
  name: string;
  type: PrimitiveType;
  value: boolean | number | bigint | string;
  line: number;
}

export interface RosMessageDef {
  package: string;
  name: string;
  fields: RosField[];
  constants: RosConstant[];
}

export interface RosServiceDef {
  package: string;
  name: string;
  request: RosMessageDef;
  response: RosMessageDef;
}

export class RosInterfaceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'RosInterfaceError';
  }
}

const PACKAGE_NAME = /^[a-z]([a-z0-9_]*[a-z0-9])?$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const FIELD_NAME = /^[a-z]([a-z0-9_]*[a-z0-9])?$/;
const CONSTANT_NAME = /^[A-Z]([A-Z0-9_]*[A-Z0-9])?$/;

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  byte: [0n, 255n],
  char: [0n, 255n],
  int8: [-128n, 127n],
  uint8: [0n, 255n],
  int16: [-32768n, 32767n],
  uint16: [0n, 65535n],
  int32: [-2147483648n, 2147483647n],
  uint32: [0n, 4294967295n],
  int64: [-9223372036854775808n, 9223372036854775807n],
  uint64: [0n, 18446744073709551615n],
};

const isPrimitive = (t: string): t is PrimitiveType => (PRIMITIVE_TYPES as readonly string[]).includes(t);

/** Strips a `#` comment that is not inside a quoted string. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function parseType(text: string, ownPackage: string, fail: (m: string) => never): RosType {
  let rest = text;
  let array: RosType['array'] = null;
  const arr = /^(.*)\[(<=)?(\d*)\]$/.exec(rest);
  if (arr) {
    rest = arr[1] ?? '';
    const digits = arr[3] ?? '';
    if (arr[2]) {
      if (digits === '') fail(`array bound missing in "${text}"`);
      array = { kind: 'bounded', bound: Number(digits) };
    } else if (digits === '') array = { kind: 'dynamic' };
    else array = { kind: 'fixed', size: Number(digits) };
    if ((array.kind === 'fixed' && array.size === 0) || (array.kind === 'bounded' && array.bound === 0))
      fail(`array size must be positive in "${text}"`);
  }
  if (rest.includes('[')) fail(`multi-dimensional arrays are not allowed: "${text}"`);
  const bounded = /^(w?string)<=(\d+)$/.exec(rest);
  if (bounded) {
    const bound = Number(bounded[2]);
    if (bound === 0) fail(`string bound must be positive in "${text}"`);
    return { base: bounded[1] ?? 'string', package: null, isPrimitive: true, stringBound: bound, array };
  }
  if (isPrimitive(rest)) return { base: rest, package: null, isPrimitive: true, stringBound: null, array };
  const parts = rest.split('/');
  if (parts.length === 1) {
    if (!TYPE_NAME.test(rest)) fail(`unknown type "${rest}"`);
    return { base: rest, package: ownPackage, isPrimitive: false, stringBound: null, array };
  }
  if (parts.length === 2 || (parts.length === 3 && parts[1] === 'msg')) {
    const pkg = parts[0] ?? '';
    const name = parts[parts.length - 1] ?? '';
    if (!PACKAGE_NAME.test(pkg)) fail(`invalid package name "${pkg}" in "${text}"`);
    if (!TYPE_NAME.test(name)) fail(`invalid type name "${name}" in "${text}"`);
    return { base: name, package: pkg, isPrimitive: false, stringBound: null, array };
  }
  return fail(`invalid type "${text}"`);
}

/** Parses a constant or default value of a primitive type. */
export function parsePrimitiveValue(
  type: PrimitiveType,
  text: string,
  fail: (m: string) => never,
  stringBound: number | null = null,
): boolean | number | bigint | string {
  if (type === 'bool') {
    if (['true', 'True', '1'].includes(text)) return true;
    if (['false', 'False', '0'].includes(text)) return false;
    return fail(`"${text}" is not a bool`);
  }
  if (type === 'string' || type === 'wstring') {
    let value = text;
    const q = /^(["'])(.*)\1$/s.exec(text);
    if (q) value = (q[2] ?? '').replace(/\\(["'\\])/g, '$1');
    else if (/^["']/.test(text)) fail(`unterminated string ${text}`);
    if (stringBound !== null && value.length > stringBound)
      fail(`string of ${value.length} characters exceeds the bound ${stringBound}`);
    return value;
  }
  if (type === 'float32' || type === 'float64') {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) fail(`"${text}" is not a ${type}`);
    return n;
  }
  if (!/^[-+]?\d+$/.test(text)) fail(`"${text}" is not an integer`);
  const v = BigInt(text);
  const range = INTEGER_RANGES[type];
  if (range && (v < range[0] || v > range[1])) fail(`${text} is out of range for ${type}`);
  return type === 'int64' || type === 'uint64' ? v : Number(v);
}

/** Parses one .msg text (or one half of a .srv). */
export function parseMessage(
  text: string,
  pkg: string,
  name: string,
  file = `${pkg}/msg/${name}.msg`,
  firstLine = 1,
): RosMessageDef {
  if (!PACKAGE_NAME.test(pkg)) throw new RosInterfaceError(file, 0, `invalid package name "${pkg}"`);
  if (!TYPE_NAME.test(name.replace(/_(Request|Response)$/, '')))
    throw new RosInterfaceError(file, 0, `invalid message name "${name}"`);
  const fields: RosField[] = [];
  const constants: RosConstant[] = [];
  const names = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = firstLine + index;
    const fail = (m: string): never => {
      throw new RosInterfaceError(file, lineNo, m);
    };
    const line = stripComment(raw).trim();
    if (line === '') return;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) fail(`expected "<type> <name>", got "${line}"`);
    const typeText = m?.[1] ?? '';
    const rest = (m?.[2] ?? '').trim();
    const constant = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(rest);
    if (constant) {
      const cname = constant[1] ?? '';
      if (!CONSTANT_NAME.test(cname)) fail(`constant name "${cname}" must be UPPER_CASE`);
      const type = parseType(typeText, pkg, fail);
      if (!type.isPrimitive || type.array !== null || type.stringBound !== null)
        fail(`constant ${cname} must have a primitive, non-array type`);
      if (names.has(cname)) fail(`duplicate name "${cname}"`);
      names.add(cname);
      const value = parsePrimitiveValue(type.base as PrimitiveType, (constant[2] ?? '').trim(), fail);
      constants.push({ name: cname, type: type.base as PrimitiveType, value, line: lineNo });
      return;
    }
    const f = /^(\S+)(?:\s+(.+))?$/.exec(rest);
    const fname = f?.[1] ?? '';
    if (!FIELD_NAME.test(fname) || fname.includes('__'))
      fail(`field name "${fname}" must be lower_snake_case (no double underscore)`);
    if (names.has(fname)) fail(`duplicate name "${fname}"`);
    names.add(fname);
    const type = parseType(typeText, pkg, fail);
    const defaultText = f?.[2]?.trim() ?? null;
    if (defaultText !== null) {
      if (!type.isPrimitive) fail(`field ${fname}: only primitive fields may have a default`);
      if (type.array === null)
        parsePrimitiveValue(type.base as PrimitiveType, defaultText, fail, type.stringBound);
      else if (!/^\[.*\]$/.test(defaultText)) fail(`field ${fname}: an array default is written [a, b, …]`);
    }
    fields.push({ name: fname, type, defaultText, line: lineNo });
  });
  return { package: pkg, name, fields, constants };
}

/** Parses a .srv text: request, a line `---`, response. */
export function parseService(
  text: string,
  pkg: string,
  name: string,
  file = `${pkg}/srv/${name}.srv`,
): RosServiceDef {
  if (!TYPE_NAME.test(name)) throw new RosInterfaceError(file, 0, `invalid service name "${name}"`);
  const lines = text.split(/\r?\n/);
  const separators = lines.flatMap((l, i) => (stripComment(l).trim() === '---' ? [i] : []));
  if (separators.length !== 1) {
    throw new RosInterfaceError(
      file,
      separators[1] ?? lines.length,
      'a service needs exactly one "---" line',
    );
  }
  const at = separators[0] ?? 0;
  return {
    package: pkg,
    name,
    request: parseMessage(lines.slice(0, at).join('\n'), pkg, `${name}_Request`, file, 1),
    response: parseMessage(lines.slice(at + 1).join('\n'), pkg, `${name}_Response`, file, at + 2),
  };
}

/** "pkg/msg/Name" (or "pkg/Name") of a nested field type. */
export const nestedTypeName = (t: RosType): string => `${t.package}/msg/${t.base}`;
