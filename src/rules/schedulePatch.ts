/**
 * What an edit does to a rule's schedule when the body leaves fields out (pure, wire form):
 * PATCH merges into the stored schedule (JSON merge patch, RFC 7386), PUT keeps the stored start.
 */

/** The fields that bound a schedule whatever its kind: a change of kind keeps them. */
export const SCHEDULE_BOUND_KEYS: readonly string[] = ['timezone', 'start', 'end', 'count', 'except_dates'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: `null` removes a field, an object merges into the object there, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/**
 * The schedule a PATCH asks for, in wire form (validated afterwards like any schedule): the stored
 * one with the patch merged in. A patch naming another `kind` replaces the schedule but keeps its
 * bounds (timezone, start, end, count, except dates) unless the patch names them too.
 */
export function patchedSchedule(stored: Json, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const kindChanges = patch.kind !== undefined && patch.kind !== stored.kind;
  const base = kindChanges
    ? Object.fromEntries(Object.entries(stored).filter(([key]) => SCHEDULE_BOUND_KEYS.includes(key)))
    : stored;
  return mergePatch(base, patch);
}

/** The schedule a PUT asks for: as given, with the stored start when it gives none. */
export function replacedSchedule(stored: Json, given: unknown): unknown {
  if (!isObject(given) || given.start !== undefined || stored.start === undefined) return given;
  return { ...given, start: stored.start };
}
