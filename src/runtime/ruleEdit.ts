/**
 * An edit of a rule as a whole (PUT or PATCH): how its overrides follow a new schedule, and what
 * a dry run answers (the rule as it would be, with no store write and no runtime change).
 */
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import {
  carryOverrides,
  NOTHING_CARRIED,
  PENDING_LOOKBACK_MS,
  type OverrideCarry,
} from '../rules/overrideCarry.js';
import type { Rule, RuleChanges } from '../rules/Rule.js';
import { DomainError } from '../rules/errors.js';
import type { Schedule } from '../rules/Schedule.js';
import { scheduleToWire } from '../rules/schedules.js';
import { indexOverrides, nextSentFiring } from './occurrenceSequence.js';
import type { OverrideReplan, RuleEdit, Store } from './ports.js';

export const sameSchedule = (a: Schedule, b: Schedule): boolean =>
  JSON.stringify(scheduleToWire(a)) === JSON.stringify(scheduleToWire(b));

/** Overrides pending at `now` (see isPending) follow a changed schedule. */
export function replanAt(now: number): OverrideReplan {
  return {
    from: now - PENDING_LOOKBACK_MS,
    plan: (before: Rule, after: Rule, overrides: OccurrenceOverride[]): OverrideCarry =>
      sameSchedule(before.schedule, after.schedule)
        ? NOTHING_CARRIED
        : carryOverrides(before.schedule, after.schedule, overrides, now),
  };
}

/** The overrides once the carry is applied. */
export function overridesAfter(
  pending: readonly OccurrenceOverride[],
  carry: OverrideCarry,
): OccurrenceOverride[] {
  const moved = new Map(carry.carried.map((c) => [c.override.occurrenceAt, c.to]));
  const gone = new Set(carry.removed.map((r) => r.override.occurrenceAt));
  const targets = new Set(moved.values());
  return pending.flatMap((o) => {
    if (gone.has(o.occurrenceAt)) return [];
    const to = moved.get(o.occurrenceAt);
    if (to !== undefined) return [{ ...o, occurrenceAt: to }];
    return targets.has(o.occurrenceAt) ? [] : [o];
  });
}

/**
 * What the edit would do, from reads only: the rule as it would be written (version and
 * updated_at as the write would set them), its next due instant, and its overrides carried and
 * removed. The same checks as the write (not found, version conflict), except the name's
 * uniqueness, which only the write can tell.
 */
export async function dryRunEdit(
  store: Pick<Store, 'rules' | 'overrides'>,
  current: Rule,
  expectedVersion: number | null,
  changes: RuleChanges,
  now: number,
): Promise<RuleEdit & { nextDueAt: number | null }> {
  if (expectedVersion !== null && current.version !== expectedVersion) {
    throw new DomainError(
      'VERSION_CONFLICT',
      `Rule ${current.id} is at version ${current.version}, not ${expectedVersion}: it was changed meanwhile`,
      { id: current.id, expected: expectedVersion, actual: current.version },
    );
  }
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const rule: Rule = {
    ...current,
    ...defined,
    version: current.version + 1,
    updatedAt: Math.max(now, current.updatedAt),
  };
  const replan = replanAt(now);
  const pending = await store.overrides.listForRule(current.id, replan.from);
  const overrides = changes.schedule === undefined ? NOTHING_CARRIED : replan.plan(current, rule, pending);
  const next = rule.enabled
    ? nextSentFiring(rule.schedule, indexOverrides(overridesAfter(pending, overrides)), now)
    : null;
  return { rule, overrides, nextDueAt: next?.fireAt ?? null };
}
