/**
 * From what an adapter hands the facade (RuleInput / RulePatch, schedule in wire form) to what the
 * store keeps (NewRule / RuleChanges): schedules are parsed in the service's default zone at the
 * clock's now, task specs are checked, defaults are filled, and a rule that would never fire is
 * refused unless it is disabled.
 */
import { parseTaskSpec } from '../rmf/taskSpecSchema.js';
import { DomainError } from '../rules/errors.js';
import type { Actor, Misfire, NewRule, Rule, RuleChanges } from '../rules/Rule.js';
import type { RuleInput, RulePatch } from '../rules/RuleInput.js';
import type { Schedule } from '../rules/Schedule.js';
import { patchedSchedule, replacedSchedule } from '../rules/schedulePatch.js';
import type { TaskSpec } from '../rules/Task.js';
import { parseSchedule, scheduleToWire } from '../rules/schedules.js';
import { neverFiresReason } from './facadeRecurrence.js';

export interface NormalizeContext {
  /** The default IANA zone of schedules that name none. */
  timezone: string;
  misfirePolicy: Misfire['policy'];
  misfireGraceMs: number;
  now: number;
}

/**
 * A wire schedule, validated and normalized. `startDefault` (epoch ms) is the start of a schedule
 * that gives none: the rule's creation instant, read in the schedule's zone (now, for a new rule).
 */
export function normalizeSchedule(wire: unknown, ctx: NormalizeContext, startDefault = ctx.now): Schedule {
  return parseSchedule(wire, { defaultTimezone: ctx.timezone, now: startDefault, path: 'schedule' });
}

/** The stored schedule in wire form, for an edit to start from. */
const storedWire = (rule: Rule): Record<string, unknown> => ({ ...scheduleToWire(rule.schedule) });

function misfireOf(input: Partial<Misfire> | undefined, base: Misfire): Misfire {
  return { policy: input?.policy ?? base.policy, graceMs: input?.graceMs ?? base.graceMs };
}

const defaultMisfire = (ctx: NormalizeContext): Misfire => ({
  policy: ctx.misfirePolicy,
  graceMs: ctx.misfireGraceMs,
});

/** Throws NEVER_FIRES (field "schedule") when an enabled rule would never fire after now. */
export function assertFires(enabled: boolean, schedule: Schedule, now: number): void {
  if (!enabled) return;
  const reason = neverFiresReason(schedule, now);
  if (reason !== null) {
    throw new DomainError('NEVER_FIRES', `The rule would never fire: ${reason}.`, {
      field: 'schedule',
      issues: [{ field: 'schedule', message: reason }],
    });
  }
}

/** The task of a rule input: checked against RMF's schemas, unless it is to be taken as given. */
const taskOf = (input: RuleInput): TaskSpec =>
  input.taskAsGiven === true ? input.task : parseTaskSpec(input.task, 'task');

export function newRuleFrom(input: RuleInput, actor: Actor, ctx: NormalizeContext): NewRule {
  const schedule = normalizeSchedule(input.schedule, ctx);
  const enabled = input.enabled ?? true;
  assertFires(enabled, schedule, ctx.now);
  return {
    ...(input.id === undefined ? {} : { id: input.id }),
    name: input.name,
    description: input.description ?? '',
    enabled,
    disabledReason: null,
    schedule,
    task: taskOf(input),
    metadata: input.metadata ?? {},
    labels: input.labels ?? [],
    leadTimeMs: input.leadTimeMs ?? 0,
    misfire: misfireOf(input.misfire, defaultMisfire(ctx)),
    retry: input.retry ?? null,
    createdBy: actor,
  };
}

/**
 * A full replace. Absent optional fields take their defaults, except `enabled`, which keeps the
 * rule's current state (a replace never silently re-enables a rule someone disabled), and the
 * schedule's `start`, which keeps the stored one (so the phase of every-N and the count used stay).
 */
export function replaceChangesFrom(input: RuleInput, current: Rule, ctx: NormalizeContext): RuleChanges {
  const wire = replacedSchedule(storedWire(current), input.schedule);
  const schedule = normalizeSchedule(wire, ctx, current.createdAt);
  const enabled = input.enabled ?? current.enabled;
  assertFires(enabled, schedule, ctx.now);
  return {
    name: input.name,
    description: input.description ?? '',
    enabled,
    disabledReason: enabled ? null : current.disabledReason,
    schedule,
    task: taskOf(input),
    metadata: input.metadata ?? {},
    labels: input.labels ?? [],
    leadTimeMs: input.leadTimeMs ?? 0,
    misfire: misfireOf(input.misfire, defaultMisfire(ctx)),
    retry: input.retry ?? null,
  };
}

/**
 * A partial update: only the given fields change; misfire merges into the current one, and the
 * schedule is a JSON merge patch of the stored one (see rules/schedulePatch.ts).
 */
export function patchChangesFrom(patch: RulePatch, current: Rule, ctx: NormalizeContext): RuleChanges {
  const changes: RuleChanges = {};
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.schedule !== undefined) {
    const wire = patchedSchedule(storedWire(current), patch.schedule);
    changes.schedule = normalizeSchedule(wire, ctx, current.createdAt);
  }
  if (patch.task !== undefined) changes.task = parseTaskSpec(patch.task, 'task');
  if (patch.metadata !== undefined) changes.metadata = patch.metadata;
  if (patch.labels !== undefined) changes.labels = patch.labels;
  if (patch.leadTimeMs !== undefined) changes.leadTimeMs = patch.leadTimeMs;
  if (patch.misfire !== undefined) changes.misfire = misfireOf(patch.misfire, current.misfire);
  if (patch.retry !== undefined) changes.retry = patch.retry;
  if (patch.enabled !== undefined) {
    changes.enabled = patch.enabled;
    if (patch.enabled) changes.disabledReason = null;
  }
  if (patch.disabledReason !== undefined) changes.disabledReason = patch.disabledReason;
  const enabled = changes.enabled ?? current.enabled;
  if (changes.schedule !== undefined || (enabled && !current.enabled)) {
    assertFires(enabled, changes.schedule ?? current.schedule, ctx.now);
  }
  return changes;
}
