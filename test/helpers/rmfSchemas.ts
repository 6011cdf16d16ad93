/**
 * RMF's official JSON schemas and examples, read from `../shared/rmf` next to the project
 * (never copied into it), and an Ajv 2020 validator that knows all of them. Validates a whole
 * task request as RMF's fleets do: the request, then the description against
 * `task_description__<category>.json`, and compose phases against
 * `event_description__<activity>.json`, recursing into sequences.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

export const RMF_DIR = path.resolve(process.cwd(), '../shared/rmf');
const SCHEMA_DIR = path.join(RMF_DIR, 'schemas');
const EXAMPLE_DIR = path.join(RMF_DIR, 'examples');

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** An example payload by file name (e.g. "dispatch_task_request__patrol.json"). */
export function readExample(name: string): unknown {
  return readJson(path.join(EXAMPLE_DIR, name));
}

/** Example file names starting with `prefix`, sorted. */
export function exampleNames(prefix: string): string[] {
  return readdirSync(EXAMPLE_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort();
}

export interface RmfSchemas {
  /** Errors of `data` against the schema in `file` (e.g. "task_state.json"); [] when valid. */
  validate(file: string, data: unknown): string[];
  /** A dispatch_task_request / robot_task_request payload, with its description (recursively). */
  validateTaskRequestMessage(payload: unknown): string[];
  /** A task description of a built-in category; [] for categories RMF ships no schema for. */
  validateDescription(category: string, description: unknown, at?: string): string[];
  /** Whether RMF ships a schema file of this name. */
  has(file: string): boolean;
}

let cached: RmfSchemas | null = null;

export function rmfSchemas(): RmfSchemas {
  cached ??= load();
  return cached;
}

function load(): RmfSchemas {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // robot_task_request.json says "constant" where it means "const".
  ajv.addKeyword({
    keyword: 'constant',
    schemaType: ['string', 'number', 'boolean', 'null', 'object', 'array'],
    validate: (expected: unknown, data: unknown) => JSON.stringify(expected) === JSON.stringify(data),
  });
  const ids = new Map<string, string>();
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    const schema = readJson(path.join(SCHEMA_DIR, file)) as { $id: string };
    ajv.addSchema(schema);
    ids.set(file, schema.$id);
  }
  const compiled = new Map<string, ValidateFunction>();
  const validator = (file: string): ValidateFunction => {
    const id = ids.get(file);
    if (!id) throw new Error(`no RMF schema ${file}`);
    let fn = compiled.get(file);
    if (!fn) {
      fn = ajv.getSchema(id);
      if (!fn) throw new Error(`schema ${id} did not compile`);
      compiled.set(file, fn);
    }
    return fn;
  };
  const validate = (file: string, data: unknown, at = ''): string[] => {
    const fn = validator(file);
    if (fn(data)) return [];
    return (fn.errors ?? []).map((e) => `${file} ${at}${e.instancePath}`.trimEnd() + ` ${e.message ?? ''}`);
  };

  const validateActivity = (category: string, description: unknown, at: string): string[] => {
    const file = `event_description__${category}.json`;
    if (!ids.has(file)) return [];
    const errors = validate(file, description, at);
    if (errors.length > 0 || category !== 'sequence') return errors;
    const activities = Array.isArray(description)
      ? description
      : isObject(description)
        ? description.activities
        : [];
    return (activities as Json[]).flatMap((a, i) =>
      validateActivity(String(a.category), a.description, `${at}/activities/${i}/description`),
    );
  };

  const validateDescription = (category: string, description: unknown, at = ''): string[] => {
    const file = `task_description__${category}.json`;
    if (!ids.has(file)) return [];
    const errors = validate(file, description, at);
    if (errors.length > 0 || category !== 'compose' || !isObject(description)) return errors;
    const phases = Array.isArray(description.phases) ? (description.phases as Json[]) : [];
    return phases.flatMap((phase, i) => {
      const activity = phase.activity as Json;
      const cancels = Array.isArray(phase.on_cancel) ? (phase.on_cancel as Json[]) : [];
      return [
        ...validateActivity(
          String(activity.category),
          activity.description,
          `${at}/phases/${i}/activity/description`,
        ),
        ...cancels.flatMap((a, j) =>
          validateActivity(String(a.category), a.description, `${at}/phases/${i}/on_cancel/${j}/description`),
        ),
      ];
    });
  };

  return {
    validate: (file, data) => validate(file, data),
    validateDescription,
    has: (file) => ids.has(file),
    validateTaskRequestMessage(payload) {
      const type = isObject(payload) ? payload.type : undefined;
      const file = type === 'robot_task_request' ? 'robot_task_request.json' : 'dispatch_task_request.json';
      const errors = validate(file, payload);
      if (errors.length > 0 || !isObject(payload) || !isObject(payload.request)) return errors;
      const request = payload.request;
      return [
        ...validateDescription(String(request.category), request.description, '/request/description'),
        ...(request.priority === undefined
          ? []
          : validate('priority_description__binary.json', request.priority)),
      ];
    },
  };
}
