/** Mapping between the `firings` table and the Firing domain value. */
import type { Firing, FiringStatus, FiringTrigger } from '../rules/Firing.js';
import type { Row } from './Db.js';
import type { RowRef } from './rows.js';
import { badRow, jsonOrNull, num, numOrNull, str, strOrNull, toJsonOrNull } from './rows.js';

export const FIRING_COLUMNS =
  'id, rule_id, due_at, fire_at, trigger_kind, status, request_id, request, response, rmf_task_id, error, ' +
  'attempts, claimed_at, published_at, responded_at, replica_id, task_state, cancel, dispatch_state, ' +
  'rule_name, triggered_by';

const STATUSES = new Set<string>([
  'claimed',
  'dispatched',
  'rejected',
  'timed_out',
  'failed',
  'skipped',
  'missed',
]);
const TRIGGERS = new Set<string>(['schedule', 'manual']);

/** The claim key as one string: rule, trigger, due instant. */
export const firingKey = (ruleId: string, trigger: string, dueAt: number): string =>
  `${ruleId}|${trigger}|${dueAt}`;

export function firingFromRow(row: Row): Firing {
  const ref: RowRef = { table: 'firings', id: String(row.id) };
  const status = String(row.status);
  if (!STATUSES.has(status)) throw badRow(ref, 'status', `is not a firing status (${status})`);
  const trigger = String(row.trigger_kind);
  if (!TRIGGERS.has(trigger)) throw badRow(ref, 'trigger_kind', `is not a trigger (${trigger})`);
  return {
    id: str(ref, 'id', row.id),
    ruleId: str(ref, 'rule_id', row.rule_id),
    dueAt: num(ref, 'due_at', row.due_at),
    fireAt: num(ref, 'fire_at', row.fire_at),
    trigger: trigger as FiringTrigger,
    ruleName: strOrNull(row.rule_name),
    triggeredBy: strOrNull(row.triggered_by),
    status: status as FiringStatus,
    requestId: strOrNull(row.request_id),
    request: jsonOrNull(ref, 'request', row.request),
    response: jsonOrNull(ref, 'response', row.response),
    rmfTaskId: strOrNull(row.rmf_task_id),
    error: strOrNull(row.error),
    attempts: num(ref, 'attempts', row.attempts),
    claimedAt: numOrNull(ref, 'claimed_at', row.claimed_at),
    publishedAt: numOrNull(ref, 'published_at', row.published_at),
    respondedAt: numOrNull(ref, 'responded_at', row.responded_at),
    replicaId: strOrNull(row.replica_id),
    taskState: jsonOrNull(ref, 'task_state', row.task_state),
    cancel: jsonOrNull(ref, 'cancel', row.cancel) as Firing['cancel'],
    dispatch: jsonOrNull(ref, 'dispatch_state', row.dispatch_state) as Firing['dispatch'],
  };
}

/** The columns of a firing, in FIRING_COLUMNS order, ready to escape. */
export function firingToValues(f: Firing): unknown[] {
  return [
    f.id,
    f.ruleId,
    f.dueAt,
    f.fireAt,
    f.trigger,
    f.status,
    f.requestId,
    toJsonOrNull(f.request),
    toJsonOrNull(f.response),
    f.rmfTaskId,
    f.error,
    f.attempts,
    f.claimedAt,
    f.publishedAt,
    f.respondedAt,
    f.replicaId,
    toJsonOrNull(f.taskState),
    toJsonOrNull(f.cancel),
    toJsonOrNull(f.dispatch),
    f.ruleName,
    f.triggeredBy,
  ];
}
