/** The fields an edit changed, as `{field: {before, after}}` (domain names and values). */
import type { Rule } from './Rule.js';
import type { FieldChange } from './RuleHistory.js';

/** The fields of a rule an edit can change, in the order they are reported. */
export const EDITABLE_FIELDS = [
  'name',
  'description',
  'enabled',
  'disabledReason',
  'schedule',
  'task',
  'metadata',
  'labels',
  'leadTimeMs',
  'misfire',
  'retry',
] as const satisfies ReadonlyArray<keyof Rule>;

/** JSON text with object keys sorted, so that key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export function ruleDiff(before: Rule, after: Rule): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const field of EDITABLE_FIELDS) {
    const b = before[field] ?? null;
    const a = after[field] ?? null;
    if (canonical(b) !== canonical(a)) out[field] = { before: b, after: a };
  }
  return out;
}
