/**
 * PURE mapping between domain values and the ROS messages of the scheduler's own interfaces
 * (msg/*.msg, srv/*.srv). The types below mirror those files field by field, as rclnodejs
 * represents them in JavaScript (int64 → bigint, uint8/int32/uint32 → number, T[] → array);
 * test/ros/interfaces.test.ts checks them against the files.
 */
import type { Firing, FiringStatus, FiringTrigger } from '../rules/Firing.js';
import { isDomainError } from '../rules/errors.js';
import type { RuleSummary, RuleView, SchedulerEvent } from '../runtime/Scheduler.js';

/** builtin_interfaces/msg/Time */
export interface TimeMsg {
  sec: number;
  nanosec: number;
}

/** std_msgs/msg/String */
export interface StdStringMsg {
  data: string;
}

/** rmf_task_scheduler/msg/SchedulerEvent */
export interface SchedulerEventMsg {
  stamp: TimeMsg;
  firing_id: string;
  rule_id: string;
  rule_name: string;
  occurrence_at_ms: bigint;
  occurrence_at: string;
  fire_at_ms: bigint;
  fire_at: string;
  trigger: string;
  outcome: string;
  request_id: string;
  rmf_task_id: string;
  has_lateness: boolean;
  lateness_ms: bigint;
  error: string;
}

/** rmf_task_scheduler/msg/RuleSummary */
export interface RuleSummaryMsg {
  id: string;
  name: string;
  enabled: boolean;
  has_next_due: boolean;
  next_due_at_ms: bigint;
  next_due_at: string;
  labels: string[];
}

/** rmf_task_scheduler/msg/RuleList */
export interface RuleListMsg {
  stamp: TimeMsg;
  rules: RuleSummaryMsg[];
}

/** rmf_task_scheduler/srv/TriggerRule */
export interface TriggerRuleRequestMsg {
  rule_id: string;
}
export interface TriggerRuleResponseMsg {
  success: boolean;
  message: string;
  firing_id: string;
  outcome: string;
  request_id: string;
  rmf_task_id: string;
}

/** rmf_task_scheduler/srv/SetRuleEnabled */
export interface SetRuleEnabledRequestMsg {
  rule_id: string;
  enabled: boolean;
  reason: string;
}
export interface SetRuleEnabledResponseMsg {
  success: boolean;
  message: string;
  enabled: boolean;
}

/** The values of SchedulerEvent's TRIGGER_* and OUTCOME_* constants. */
export const TRIGGERS: readonly FiringTrigger[] = ['schedule', 'manual'];
export const OUTCOMES: readonly Exclude<FiringStatus, 'claimed'>[] = [
  'dispatched',
  'rejected',
  'timed_out',
  'failed',
  'skipped',
  'missed',
];

export type FiringRecorded = Extract<SchedulerEvent, { type: 'firing.recorded' }>;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Epoch ms → builtin_interfaces/Time. */
export function toTimeMsg(ms: number): TimeMsg {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) };
}

export function toSchedulerEventMsg(event: FiringRecorded, stampMs: number): SchedulerEventMsg {
  const f = event.firing;
  return {
    stamp: toTimeMsg(stampMs),
    firing_id: f.id,
    rule_id: f.ruleId,
    rule_name: event.ruleName,
    occurrence_at_ms: BigInt(f.dueAt),
    occurrence_at: iso(f.dueAt),
    fire_at_ms: BigInt(f.fireAt),
    fire_at: iso(f.fireAt),
    trigger: f.trigger,
    outcome: f.status,
    request_id: f.requestId ?? '',
    rmf_task_id: f.rmfTaskId ?? '',
    has_lateness: event.latenessMs !== null,
    lateness_ms: BigInt(Math.round(event.latenessMs ?? 0)),
    error: f.error ?? '',
  };
}

export function toRuleSummaryMsg(rule: RuleSummary): RuleSummaryMsg {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    has_next_due: rule.nextDueAt !== null,
    next_due_at_ms: BigInt(rule.nextDueAt ?? 0),
    next_due_at: rule.nextDueAt === null ? '' : iso(rule.nextDueAt),
    labels: [...rule.labels],
  };
}

export function toRuleListMsg(rules: readonly RuleSummary[], stampMs: number): RuleListMsg {
  return { stamp: toTimeMsg(stampMs), rules: rules.map(toRuleSummaryMsg) };
}

/** One line for a service's `message`: "<CODE>: <message>" (DomainError) or "INTERNAL: …". */
export function errorText(error: unknown): string {
  if (isDomainError(error)) return `${error.code}: ${error.message}`;
  return `INTERNAL: ${error instanceof Error ? error.message : String(error)}`;
}

export function triggerRuleResponse(firing: Firing): TriggerRuleResponseMsg {
  return {
    success: true,
    message: firing.error ?? firing.status,
    firing_id: firing.id,
    outcome: firing.status,
    request_id: firing.requestId ?? '',
    rmf_task_id: firing.rmfTaskId ?? '',
  };
}

export function triggerRuleFailure(error: unknown): TriggerRuleResponseMsg {
  return {
    success: false,
    message: errorText(error),
    firing_id: '',
    outcome: '',
    request_id: '',
    rmf_task_id: '',
  };
}

export function setRuleEnabledResponse(rule: RuleView): SetRuleEnabledResponseMsg {
  return {
    success: true,
    message: `rule "${rule.name}" is ${rule.enabled ? 'enabled' : 'disabled'}`,
    enabled: rule.enabled,
  };
}

export function setRuleEnabledFailure(error: unknown): SetRuleEnabledResponseMsg {
  return { success: false, message: errorText(error), enabled: false };
}
