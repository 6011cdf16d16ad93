/** Mapping between the `rules` table and the Rule domain value. */
import type { Misfire, MisfirePolicy, RetryPolicy, Rule } from '../rules/Rule.js';
import type { Schedule } from '../rules/Schedule.js';
import type { TaskSpec } from '../rules/Task.js';
import type { RuleHead } from '../runtime/ports.js';
import type { Row } from './Db.js';
import type { RowRef } from './rows.js';
import { badRow, bool, json, jsonObject, jsonOrNull, num, str, strOrNull } from './rows.js';

export const RULE_COLUMNS =
  'id, name, description, enabled, disabled_reason, schedule, task, metadata, labels, lead_time_ms, ' +
  'misfire_policy, misfire_grace_ms, retry, created_by, created_at, updated_at, version';

const MEMBER_KINDS = new Set(['once', 'daily', 'weekly', 'monthly', 'monthly_weekday', 'interval']);
const SCHEDULE_KINDS = new Set([...MEMBER_KINDS, 'any_of']);
const TASK_TYPES = new Set(['dispatch_task_request', 'robot_task_request']);
const MISFIRE_POLICIES = new Set(['fire_once', 'skip']);

export function scheduleFromColumn(ref: RowRef, v: unknown): Schedule {
  const value = json(ref, 'schedule', v) as { kind?: unknown; timezone?: unknown } | null;
  if (typeof value !== 'object' || value === null) throw badRow(ref, 'schedule', 'is not a JSON object');
  if (typeof value.kind !== 'string' || !SCHEDULE_KINDS.has(value.kind))
    throw badRow(ref, 'schedule', `has an unknown schedule kind (${String(value.kind)})`);
  if (typeof value.timezone !== 'string') throw badRow(ref, 'schedule', 'has no timezone');
  if (value.kind === 'any_of') {
    const members = (value as { schedules?: unknown }).schedules;
    if (
      !Array.isArray(members) ||
      members.length === 0 ||
      !members.every(
        (m: { kind?: unknown } | null) => typeof m?.kind === 'string' && MEMBER_KINDS.has(m.kind),
      )
    )
      throw badRow(ref, 'schedule', 'is an any_of without a list of schedules of known kinds');
  }
  return value as unknown as Schedule;
}

export function misfireFromColumns(ref: RowRef, policy: unknown, graceMs: unknown): Misfire {
  if (typeof policy !== 'string' || !MISFIRE_POLICIES.has(policy))
    throw badRow(ref, 'misfire_policy', `is not a misfire policy (${String(policy)})`);
  return { policy: policy as MisfirePolicy, graceMs: num(ref, 'misfire_grace_ms', graceMs) };
}

function taskFromColumn(ref: RowRef, v: unknown): TaskSpec {
  const value = json(ref, 'task', v) as { type?: unknown } | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof value.type !== 'string' ||
    !TASK_TYPES.has(value.type)
  )
    throw badRow(ref, 'task', 'is not a task request');
  return value as unknown as TaskSpec;
}

function labelsFromColumn(ref: RowRef, v: unknown): string[] {
  const value = json(ref, 'labels', v);
  if (!Array.isArray(value) || !value.every((l) => typeof l === 'string'))
    throw badRow(ref, 'labels', 'is not a JSON array of strings');
  return value as string[];
}

function retryFromColumn(ref: RowRef, v: unknown): RetryPolicy | null {
  const value = jsonOrNull(ref, 'retry', v) as RetryPolicy | null;
  if (value !== null && (typeof value !== 'object' || typeof value.maxAttempts !== 'number'))
    throw badRow(ref, 'retry', 'is not a retry policy');
  return value;
}

export function ruleFromRow(row: Row): Rule {
  const ref: RowRef = { table: 'rules', id: String(row.id) };
  return {
    id: str(ref, 'id', row.id),
    name: str(ref, 'name', row.name),
    description: str(ref, 'description', row.description),
    enabled: bool(row.enabled),
    disabledReason: strOrNull(row.disabled_reason),
    schedule: scheduleFromColumn(ref, row.schedule),
    task: taskFromColumn(ref, row.task),
    metadata: jsonObject(ref, 'metadata', row.metadata),
    labels: labelsFromColumn(ref, row.labels),
    leadTimeMs: num(ref, 'lead_time_ms', row.lead_time_ms),
    misfire: misfireFromColumns(ref, row.misfire_policy, row.misfire_grace_ms),
    retry: retryFromColumn(ref, row.retry),
    createdBy: strOrNull(row.created_by),
    createdAt: num(ref, 'created_at', row.created_at),
    updatedAt: num(ref, 'updated_at', row.updated_at),
    version: num(ref, 'version', row.version),
  };
}

export const RULE_HEAD_COLUMNS = 'id, name, enabled, version, schedule';

/** A row of RULE_HEAD_COLUMNS. */
export function ruleHeadFromRow(row: Row): RuleHead {
  const ref: RowRef = { table: 'rules', id: String(row.id) };
  return {
    id: str(ref, 'id', row.id),
    name: str(ref, 'name', row.name),
    enabled: bool(row.enabled),
    version: num(ref, 'version', row.version),
    schedule: scheduleFromColumn(ref, row.schedule),
  };
}

/** The values of RULE_HEAD_COLUMNS, in that order. */
export const ruleHeadFromValues = (v: readonly unknown[]): RuleHead =>
  ruleHeadFromRow({ id: v[0], name: v[1], enabled: v[2], version: v[3], schedule: v[4] });

/** The columns of a rule, in RULE_COLUMNS order, ready to escape. */
export function ruleToValues(rule: Rule): unknown[] {
  return [
    rule.id,
    rule.name,
    rule.description,
    rule.enabled,
    rule.disabledReason,
    JSON.stringify(rule.schedule),
    JSON.stringify(rule.task),
    JSON.stringify(rule.metadata),
    JSON.stringify(rule.labels),
    rule.leadTimeMs,
    rule.misfire.policy,
    rule.misfire.graceMs,
    rule.retry === null ? null : JSON.stringify(rule.retry),
    rule.createdBy,
    rule.createdAt,
    rule.updatedAt,
    rule.version,
  ];
}
