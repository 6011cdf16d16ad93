import { parseLocalDateTime } from './civil.js';
import { nextSingle } from './nextSingle.js';
import type { RecurrenceAnyOf, RecurrenceSingle } from './types.js';
import { ZoneTable } from './ZoneTable.js';

/** The largest `count` a union takes: its bound is found by walking the union from its start. */
export const MAX_UNION_COUNT = 100_000;

/**
 * A union prepared once: each member as a whole schedule in the union's zone counting from the
 * union's start (with no end or count of its own), the union's end as an instant, and the instant
 * of its count-th occurrence (found by a walk on the first query that needs it).
 */
interface UnionRule {
  readonly members: readonly RecurrenceSingle[];
  readonly endUtc: number;
  readonly count: number | null;
  /** The count-th occurrence (Infinity when the union has fewer); NaN until computed. */
  lastUtc: number;
}

const byObject = new WeakMap<RecurrenceAnyOf, UnionRule>();
const byValue = new Map<string, UnionRule>();
const BY_VALUE_LIMIT = 1_000;

function build(s: RecurrenceAnyOf): UnionRule {
  if (s.schedules.length === 0) throw new RangeError('a union needs at least one schedule');
  if (s.count !== null && s.count > MAX_UNION_COUNT)
    throw new RangeError(`a union counts at most ${MAX_UNION_COUNT} occurrences`);
  const bounds = { timezone: s.timezone, start: s.start, end: null, count: null };
  const members = s.schedules.map((m) => ({ ...m, ...bounds }) as RecurrenceSingle);
  let endUtc = Infinity;
  if (s.end !== null) {
    const end = parseLocalDateTime(s.end);
    if (Number.isNaN(end)) throw new RangeError(`end "${s.end}" is not a local date-time`);
    endUtc = ZoneTable.for(s.timezone).toUtc(end);
  }
  return { members, endUtc, count: s.count, lastUtc: s.count === null ? Infinity : NaN };
}

function compileUnion(s: RecurrenceAnyOf): UnionRule {
  let rule = byObject.get(s);
  if (rule === undefined) {
    const key = JSON.stringify(s);
    rule = byValue.get(key);
    if (rule === undefined) {
      rule = build(s);
      if (byValue.size >= BY_VALUE_LIMIT) byValue.clear();
      byValue.set(key, rule);
    }
    byObject.set(s, rule);
  }
  return rule;
}

/** The earliest member occurrence strictly after `after`: equal instants of two members are one. */
function merged(u: UnionRule, after: number): number | null {
  let best: number | null = null;
  for (const m of u.members) {
    const at = nextSingle(m, after);
    if (at !== null && (best === null || at < best)) best = at;
  }
  return best;
}

function lastOf(u: UnionRule): number {
  if (Number.isNaN(u.lastUtc)) {
    let at: number | null = -Infinity;
    for (let n = 0; n < (u.count as number) && at !== null && at <= u.endUtc; n++) at = merged(u, at);
    u.lastUtc = at === null || at > u.endUtc ? Infinity : at;
  }
  return u.lastUtc;
}

/** nextOccurrence for a union (`after` already checked). */
export function nextUnion(s: RecurrenceAnyOf, after: number): number | null {
  const u = compileUnion(s);
  const at = merged(u, after);
  if (at === null || at > u.endUtc) return null;
  return at > lastOf(u) ? null : at;
}
