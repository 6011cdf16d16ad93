/**
 * Helpers of the rclnodejs type test: where to find rclnodejs's own declarations (the installed
 * package, or the locked version's tarball from the npm registry, cached under
 * node_modules/.cache/), and the `interfaces.d.ts` rclnodejs would generate for the interfaces
 * this project uses (rclnodejs writes that file at install time from the .msg/.srv files on
 * AMENT_PREFIX_PATH; here it is written the same way from the same files).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InterfaceRegistry } from '../helpers/fakeRclInterfaces.js';
import type { RosField, RosMessageDef } from '../helpers/rosInterfaceParser.js';

/** The rclnodejs version package-lock.json pins. */
export function lockedRclnodejsVersion(root: string): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  const version = lock.packages?.['node_modules/rclnodejs']?.version;
  if (!version) throw new Error('package-lock.json does not lock rclnodejs');
  return version;
}

/**
 * A directory holding rclnodejs's `types/` and package.json: the installed package when there
 * is one, else the locked version fetched with `npm pack` into
 * node_modules/.cache/rmf-task-scheduler/ (its generated interfaces.d.ts is replaced by the
 * caller either way).
 */
export function rclnodejsDeclarations(root: string): {
  dir: string;
  version: string;
  source: 'installed' | 'registry';
} {
  const cacheRoot = join(root, 'node_modules', '.cache', 'rmf-task-scheduler');
  let installed: string | null = null;
  try {
    installed = dirname(createRequire(join(root, 'package.json')).resolve('rclnodejs/package.json'));
  } catch {
    installed = null;
  }
  if (installed) {
    // Used in place: the check copies types/ and replaces the generated interfaces.d.ts.
    const version = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string })
      .version;
    return { dir: installed, version, source: 'installed' };
  }
  const version = lockedRclnodejsVersion(root);
  const dir = join(cacheRoot, `rclnodejs-${version}`);
  if (!existsSync(join(dir, 'types', 'index.d.ts'))) {
    mkdirSync(cacheRoot, { recursive: true });
    const work = mkdtempSync(join(cacheRoot, 'pack-'));
    try {
      const out = execFileSync(
        'npm',
        ['pack', `rclnodejs@${version}`, '--silent', '--pack-destination', work],
        {
          encoding: 'utf8',
          cwd: work,
        },
      );
      const tarball = join(work, out.trim().split('\n').pop() ?? '');
      execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/types', 'package/package.json']);
      rmSync(join(work, 'package', 'types', 'interfaces.d.ts'), { force: true });
      try {
        renameSync(join(work, 'package'), dir); // atomic: parallel runs never see half a copy
      } catch (e) {
        if (!existsSync(join(dir, 'types', 'index.d.ts'))) throw e;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { dir, version, source: 'registry' };
}

// --- interfaces.d.ts, written the way rclnodejs's rostsd_gen writes it ------------------------

const TYPED_ARRAYS: Record<string, string> = {
  byte: 'Uint8Array',
  uint8: 'Uint8Array',
  char: 'Int8Array',
  int8: 'Int8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
};

function jsType(base: string): string {
  if (base === 'bool') return 'boolean';
  if (base === 'string' || base === 'wstring') return 'string';
  if (base === 'int64' || base === 'uint64') return 'bigint';
  return 'number';
}

function fieldLine(field: RosField): string {
  const t = field.type;
  const base = t.isPrimitive ? jsType(t.base) : `${t.package}.msg.${t.base}`;
  let type = t.array ? `${base}[]` : base;
  if (t.array && base === 'number' && TYPED_ARRAYS[t.base]) type += ` | ${TYPED_ARRAYS[t.base]}`;
  return `${field.name}: ${type};`;
}

function messageDecl(def: RosMessageDef): string[] {
  const constants = def.constants.map((c) => `  readonly ${c.name}: ${jsType(c.type)};`);
  return [
    `export interface ${def.name} {`,
    ...def.fields.map((f) => `  ${fieldLine(f)}`),
    '}',
    `export interface ${def.name}Constructor {`,
    ...constants,
    `  new(other?: ${def.name}): ${def.name};`,
    '}',
  ];
}

/** The text of `types/interfaces.d.ts` for the interfaces in the registry. */
export function interfacesDeclaration(registry: InterfaceRegistry): string {
  const byPackage = new Map<string, Map<string, string[]>>();
  const add = (pkg: string, folder: string, lines: string[]) => {
    const folders = byPackage.get(pkg) ?? new Map<string, string[]>();
    byPackage.set(pkg, folders);
    folders.set(folder, [...(folders.get(folder) ?? []), ...lines]);
  };
  const messages: string[] = [];
  const services: string[] = [];
  for (const [name, def] of registry.messages) {
    add(def.package, 'msg', messageDecl(def));
    messages.push(`'${name}': ${def.package}.msg.${def.name}`);
  }
  for (const [name, def] of registry.services) {
    add(def.package, 'srv', [
      ...messageDecl(def.request),
      ...messageDecl(def.response),
      `export interface ${def.name}Constructor extends ROSService {`,
      `  readonly Request: ${def.request.name}Constructor;`,
      `  readonly Response: ${def.response.name}Constructor;`,
      '}',
    ]);
    messages.push(`'${def.package}/srv/${def.request.name}': ${def.package}.srv.${def.request.name}`);
    messages.push(`'${def.package}/srv/${def.response.name}': ${def.package}.srv.${def.response.name}`);
    services.push(`'${name}': ${def.package}.srv.${def.name}Constructor`);
  }
  const out: string[] = [
    '// Written by test/ros/rclTypings.ts the way rclnodejs generates it.',
    "declare module 'rclnodejs' {",
  ];
  for (const [pkg, folders] of byPackage) {
    out.push(`  namespace ${pkg} {`);
    for (const [folder, lines] of folders) {
      out.push(`    namespace ${folder} {`, ...lines.map((l) => `      ${l}`), '    }');
    }
    out.push('  }');
  }
  const constructors = messages.map((m) => m.replace(/^('[^']+'): (.+)$/, '$1: $2Constructor'));
  out.push(
    `  type MessagesMap = { 'string': string, ${messages.join(', ')} };`,
    '  type MessageTypeClassName = keyof MessagesMap;',
    '  type Message = MessagesMap[MessageTypeClassName];',
    '  type MessageType<T> = T extends MessageTypeClassName ? MessagesMap[T] : T extends new (...args: any[]) => infer R ? R : object;',
    `  type MessageTypeClassConstructorMap = { 'string': never, ${constructors.join(', ')} };`,
    '  type MessageConstructorType<T> = T extends MessageTypeClassName ? MessageTypeClassConstructorMap[T] : object;',
    `  type ServicesMap = { ${services.join(', ')} };`,
    '  type ServiceTypeClassName = keyof ServicesMap;',
    '  type Service = ServicesMap[ServiceTypeClassName];',
    '  type ServiceType<T> = T extends ServiceTypeClassName ? ServicesMap[T] : T extends { Request: any; Response: any } ? T : object;',
    '  type ActionsMap = {};',
    '  type ActionTypeClassName = keyof ActionsMap;',
    '  type Action = ActionsMap[ActionTypeClassName];',
    '  type ActionType<T> = T extends ActionTypeClassName ? ActionsMap[T] : T extends { Goal: any; Feedback: any; Result: any } ? T : object;',
    '  type TypeClassName = MessageTypeClassName | ServiceTypeClassName | ActionTypeClassName;',
    '  type InterfaceType<T> = T extends TypeClassName ? (MessageTypeClassConstructorMap & ServicesMap & ActionsMap)[T] : object;',
    '}',
    '',
  );
  return out.join('\n');
}

/** Writes `text` to a fresh temporary directory (an ES module package) and returns the file path. */
export function writeCheckFile(parent: string, name: string, text: string): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'check-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
