/**
 * Turning zod issues into the domain's field issues: paths in the wire format
 * ("task.request.description.places[0]") and messages an operator can act on.
 */
import { z } from 'zod';
import type { FieldIssue } from '../rules/errors.js';

type RefinementCtx = z.RefinementCtx;

/** Any JSON value, but present (`undefined`, i.e. a missing key, is refused). */
export const requiredValue = z.unknown().refine((v) => v !== undefined, { message: 'is required' });

/** Parses `value` with `schema` and copies its issues into the current refinement, under `prefix`. */
export function forwardIssues(
  ctx: RefinementCtx,
  schema: z.ZodType,
  value: unknown,
  prefix: PropertyKey[] = [],
): void {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...prefix, ...issue.path] });
  }
}

/** "task" + ["request", "labels", 0] → "task.request.labels[0]". */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  never: 'absent',
};

/** Default messages (schema-level messages take precedence over these). */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ≥ ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ≤ ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'unrecognized_keys':
      return `unknown field(s): ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
};

/** Flattens a zod error into field issues rooted at `root`. */
export function toFieldIssues(error: z.ZodError, root: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field:
      issue.code === 'unrecognized_keys' && issue.keys.length === 1
        ? fieldPath(root, [...issue.path, issue.keys[0] as string])
        : fieldPath(root, issue.path),
    message: issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? 'unknown field' : issue.message,
  }));
}
