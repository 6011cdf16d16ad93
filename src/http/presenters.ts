/**
 * Domain values (camelCase, epoch ms) → wire JSON (snake_case, UTC ISO-8601 with milliseconds).
 * Pure. Free-form values (metadata, RMF task requests and answers) are passed through verbatim.
 */
import type { FiringCancel } from '../rules/Firing.js';
import type { Occurrence } from '../rules/Occurrence.js';
import { isoInstant } from '../rules/isoInstant.js';
import { carryOnRecord } from '../rules/overrideCarry.js';
import { localIso } from '../recurrence/localNote.js';
import { scheduleToWire } from '../rules/schedules.js';
import type {
  Cancellation,
  FiringView,
  HealthReport,
  ReplicaView,
  RuleEditView,
  RuleView,
} from '../runtime/Scheduler.js';
import type { Page } from '../runtime/ports.js';

export const iso = (ms: number): string => isoInstant(ms);
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
/** An instant as local ISO-8601 with its offset in a zone (null for no instant or no zone). */
export const localOrNull = (ms: number | null, timezone: string | null): string | null =>
  ms === null || timezone === null ? null : localIso(ms, timezone);

export function presentRule(rule: RuleView): Record<string, unknown> {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    enabled: rule.enabled,
    state: rule.state,
    disabled_reason: rule.disabledReason,
    schedule: scheduleToWire(rule.schedule),
    task: rule.task,
    metadata: rule.metadata,
    labels: rule.labels,
    lead_time_ms: rule.leadTimeMs,
    misfire: { policy: rule.misfire.policy, grace_ms: rule.misfire.graceMs },
    retry:
      rule.retry === null ? null : { max_attempts: rule.retry.maxAttempts, backoff_ms: rule.retry.backoffMs },
    next_due_at: isoOrNull(rule.nextDueAt),
    next_due_at_local: localOrNull(rule.nextDueAt, rule.schedule.timezone),
    ...(rule.cancellations ? { cancellations: presentCancellations(rule.cancellations) } : {}),
    created_by: rule.createdBy,
    created_at: iso(rule.createdAt),
    updated_at: iso(rule.updatedAt),
    version: rule.version,
  };
}

/** The answer to PUT / PATCH: the rule and what happened to its overrides (occurrence ids). */
export function presentRuleEdit(edit: RuleEditView, dryRun: boolean): Record<string, unknown> {
  const { carried, removed } = carryOnRecord(edit.id, edit.overrides);
  return { ...presentRule(edit), dry_run: dryRun, overrides_carried: carried, overrides_removed: removed };
}

/** An occurrence; its local time in `timezone` when given (a calendar's), else in its rule's zone. */
export function presentOccurrence(o: Occurrence, timezone?: string): Record<string, unknown> {
  return {
    id: o.id,
    rule_id: o.ruleId,
    rule_name: o.ruleName,
    original_at: iso(o.originalAt),
    at: iso(o.at),
    at_local: localIso(o.at, timezone ?? o.timezone),
    dst: o.dst,
    merged_times: o.mergedTimes,
    state: o.state,
    reason: o.reason,
    ...(o.override ? { updated_by: o.override.by, updated_at: iso(o.override.updatedAt) } : {}),
    firing_id: o.firingId,
    rmf_task_id: o.rmfTaskId,
  };
}

/** A firing; `due_at_local` in its rule's zone (null when the rule is gone). */
export function presentFiring(f: FiringView): Record<string, unknown> {
  return {
    id: f.id,
    rule_id: f.ruleId,
    rule_name: f.ruleName,
    due_at: iso(f.dueAt),
    due_at_local: localOrNull(f.dueAt, f.timezone),
    fire_at: iso(f.fireAt),
    trigger: f.trigger,
    triggered_by: f.triggeredBy,
    status: f.status,
    request_id: f.requestId,
    rmf_task_id: f.rmfTaskId,
    error: f.error,
    attempts: f.attempts,
    claimed_at: isoOrNull(f.claimedAt),
    published_at: isoOrNull(f.publishedAt),
    responded_at: isoOrNull(f.respondedAt),
    replica_id: f.replicaId,
    request: f.request,
    response: f.response,
    task_state: f.taskState,
    cancel: f.cancel === null ? null : presentCancel(f.cancel),
    dispatch:
      f.dispatch === null
        ? null
        : {
            status: f.dispatch.status,
            fleet: f.dispatch.fleet,
            robot: f.dispatch.robot,
            errors: f.dispatch.errors,
            at: iso(f.dispatch.at),
          },
  };
}

export function presentCancel(c: FiringCancel): Record<string, unknown> {
  return {
    state: c.state,
    at: iso(c.at),
    errors: c.errors,
    reason: c.reason,
    rmf_task_id: c.rmfTaskId,
    by: c.by,
  };
}

/** The tasks sent ahead of time that RMF was asked to cancel by a change. */
export function presentCancellations(list: readonly Cancellation[]): Array<Record<string, unknown>> {
  return list.map((c) => ({ firing_id: c.firing.id, ...presentCancel(c.cancel) }));
}

export function presentPage<T>(page: Page<T>, present: (item: T) => Record<string, unknown>) {
  // Cut by the limit: say so, and where the next page starts.
  const end = page.offset + page.items.length;
  const truncated = end < page.total;
  return {
    items: page.items.map(present),
    total: page.total,
    limit: page.limit,
    offset: page.offset,
    truncated,
    next_offset: truncated ? end : null,
  };
}

export function presentHealth(h: HealthReport, notices: readonly string[]): Record<string, unknown> {
  return {
    status: h.status,
    version: h.version,
    store: {
      ok: h.store.ok,
      dialect: h.store.dialect,
      ...(h.store.error ? { error: h.store.error } : {}),
      pending_claims: h.store.pendingClaims,
      unwritten_outcomes: h.store.unwrittenOutcomes,
    },
    rmf: { transport: h.rmf.transport, simulated: h.rmf.simulated },
    rules: h.rules,
    replica_id: h.replicaId,
    replicas: h.replicas,
    clock_skew_ms: h.clockSkewMs,
    started_at: iso(h.startedAt),
    now: iso(h.now),
    warnings: notices,
  };
}

/** One replica's heartbeat row, as GET /replicas shows it. */
export function presentReplica(r: ReplicaView): Record<string, unknown> {
  return {
    id: r.id,
    host: r.host,
    pid: r.pid,
    version: r.version,
    state: r.state,
    started_at: iso(r.startedAt),
    last_seen_at: iso(r.lastSeenAt),
    silent_ms: r.silentMs,
    heartbeat_interval_ms: r.intervalMs,
  };
}
