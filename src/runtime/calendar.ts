/**
 * The calendar: a pure merge of what the schedules say, what operators changed (occurrence
 * overrides) and what happened (firings), over effective instants in [from, to).
 *
 * - A scheduled occurrence shows at its instant, state 'scheduled' ('disabled' when its rule is).
 * - Disabled / deleted overrides keep their slot with that state; a moved occurrence shows at its
 *   new instant with state 'moved', even when its original instant is outside the window.
 * - A firing wins over both: the occurrence shows the firing's status, id and RMF task id, at the
 *   instant it fired for. Manual firings are listed as occurrences of their own.
 */
import type { Firing } from '../rules/Firing.js';
import type { Occurrence, OccurrenceOverride } from '../rules/Occurrence.js';
import type { Rule } from '../rules/Rule.js';
import { occurrenceId } from '../rules/ids.js';
import { instantsBetween, isOccurrence } from './facadeRecurrence.js';

export type CalendarRule = Pick<Rule, 'id' | 'name' | 'enabled' | 'schedule'>;

export interface CalendarInput {
  rules: CalendarRule[];
  overrides: OccurrenceOverride[];
  firings: Firing[];
  from: number;
  to: number;
  limit: number;
}

/** One occurrence of `rule` whose identity is `originalAt`, given what changed and what happened. */
export function occurrenceOf(
  rule: CalendarRule,
  originalAt: number,
  override: OccurrenceOverride | null | undefined,
  firing: Firing | null | undefined,
): Occurrence {
  const base = { id: occurrenceId(rule.id, originalAt), ruleId: rule.id, ruleName: rule.name, originalAt };
  if (firing) {
    return {
      ...base,
      at: firing.fireAt,
      state: firing.status,
      firingId: firing.id,
      rmfTaskId: firing.rmfTaskId,
    };
  }
  const none = { firingId: null, rmfTaskId: null };
  if (override?.action === 'moved' && override.movedTo !== null) {
    return { ...base, at: override.movedTo, state: 'moved', ...none };
  }
  if (override) return { ...base, at: originalAt, state: override.action, ...none };
  return { ...base, at: originalAt, state: rule.enabled ? 'scheduled' : 'disabled', ...none };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildCalendar(input: CalendarInput): Occurrence[] {
  const { from, to, limit } = input;
  const overridesByRule = groupBy(input.overrides, (o) => o.ruleId);
  const firingsByRule = groupBy(input.firings, (f) => f.ruleId);
  const out: Occurrence[] = [];

  for (const rule of input.rules) {
    const overrides = new Map((overridesByRule.get(rule.id) ?? []).map((o) => [o.occurrenceAt, o]));
    const firings = firingsByRule.get(rule.id) ?? [];
    const scheduled = new Map(firings.filter((f) => f.trigger === 'schedule').map((f) => [f.dueAt, f]));
    const seen = new Set<number>();
    const cap = limit + overrides.size + scheduled.size;

    for (const at of instantsBetween(rule.schedule, from, to, cap)) {
      seen.add(at);
      out.push(occurrenceOf(rule, at, overrides.get(at), scheduled.get(at)));
    }
    for (const [at, override] of overrides) {
      if (seen.has(at) || override.action !== 'moved') continue;
      if (!isOccurrence(rule.schedule, at)) continue; // the schedule changed since it was moved
      seen.add(at);
      out.push(occurrenceOf(rule, at, override, scheduled.get(at)));
    }
    for (const [dueAt, firing] of scheduled) {
      if (!seen.has(dueAt)) out.push(occurrenceOf(rule, dueAt, overrides.get(dueAt), firing));
    }
    for (const firing of firings) {
      if (firing.trigger === 'manual') out.push(occurrenceOf(rule, firing.dueAt, null, firing));
    }
  }

  const inWindow = out.filter((o) => o.at >= from && o.at < to);
  inWindow.sort((a, b) => a.at - b.at || cmp(a.ruleName, b.ruleName) || cmp(a.id, b.id));
  return inWindow.length > limit ? inWindow.slice(0, limit) : inWindow;
}
