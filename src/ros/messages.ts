/**
 * PURE mapping between domain values and the ROS messages of the scheduler's own interfaces
 * (msg/*.msg, srv/*.srv). The types below mirror those files field by field, as rclnodejs
 * represents them in JavaScript (int64 → bigint, uint8/int32/uint32 → number, T[] → array);
 * test/ros/interfaces.test.ts checks them against the files.
 */
import type { Firing, FiringStatus, FiringTrigger } from '../rules/Firing.js';
import { isDomainError } from '../rules/errors.js';
import type { Page } from '../runtime/ports.js';
import type {
  RuleActivity,
  RuleListQuery,
  RuleSummary,
  RuleView,
  SchedulerEvent,
} from '../runtime/Scheduler.js';

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
  event: string;
  cancel_state: string;
  cancel_errors: string[];
  dispatch_status: string;
  assigned_fleet: string;
  assigned_robot: string;
  dispatch_errors: string[];
}

/** rosgraph_msgs/msg/Clock */
export interface ClockMsg {
  clock: TimeMsg;
}

/** rmf_task_msgs/msg/Assignment */
export interface AssignmentMsg {
  is_assigned: boolean;
  fleet_name: string;
  expected_robot_name: string;
}

/** rmf_task_msgs/msg/DispatchState (status: 0 uninitialized … 5 canceled in flight) */
export interface DispatchStateMsg {
  task_id: string;
  status: number;
  assignment: AssignmentMsg;
  errors: string[];
}

/** rmf_task_msgs/msg/DispatchStates */
export interface DispatchStatesMsg {
  active: DispatchStateMsg[];
  finished: DispatchStateMsg[];
}

/** rmf_task_msgs/srv/CancelTask (RMF's dispatcher: a task still in bidding) */
export interface CancelTaskRequestMsg {
  requester: string;
  task_id: string;
}
export interface CancelTaskResponseMsg {
  success: boolean;
  message: string;
}

/** rmf_task_scheduler/msg/RuleSummary */
export interface RuleSummaryMsg {
  id: string;
  name: string;
  enabled: boolean;
  state: string;
  has_next_due: boolean;
  next_due_at_ms: bigint;
  next_due_at: string;
  labels: string[];
}

/** rmf_task_scheduler/msg/RuleList */
export interface RuleListMsg {
  stamp: TimeMsg;
  total: number;
  rules: RuleSummaryMsg[];
}

/** rmf_task_scheduler/srv/ListRules */
export interface ListRulesRequestMsg {
  offset: number;
  limit: number;
  state: string;
  label: string;
}
export interface ListRulesResponseMsg {
  success: boolean;
  message: string;
  total: number;
  rules: RuleSummaryMsg[];
}

/** rmf_task_scheduler/srv/TriggerRule */
export interface TriggerRuleRequestMsg {
  rule_id: string;
  force: boolean;
  reason: string;
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
export type FiringUpdated = Extract<SchedulerEvent, { type: 'firing.updated' }>;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Epoch ms → builtin_interfaces/Time. */
export function toTimeMsg(ms: number): TimeMsg {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) };
}

export function toSchedulerEventMsg(
  event: FiringRecorded | FiringUpdated,
  stampMs: number,
): SchedulerEventMsg {
  const f = event.firing;
  const latenessMs = event.type === 'firing.recorded' ? event.latenessMs : null;
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
    has_lateness: latenessMs !== null,
    lateness_ms: BigInt(Math.round(latenessMs ?? 0)),
    error: f.error ?? '',
    event: event.type === 'firing.recorded' ? 'recorded' : event.change,
    cancel_state: f.cancel?.state ?? '',
    cancel_errors: [...(f.cancel?.errors ?? [])],
    dispatch_status: f.dispatch?.status ?? '',
    assigned_fleet: f.dispatch?.fleet ?? '',
    assigned_robot: f.dispatch?.robot ?? '',
    dispatch_errors: [...(f.dispatch?.errors ?? [])],
  };
}

export function toRuleSummaryMsg(rule: RuleSummary): RuleSummaryMsg {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    state: rule.state,
    has_next_due: rule.nextDueAt !== null,
    next_due_at_ms: BigInt(rule.nextDueAt ?? 0),
    next_due_at: rule.nextDueAt === null ? '' : iso(rule.nextDueAt),
    labels: [...rule.labels],
  };
}

// --- Sizes on the wire (CDR, as DDS serializes them: XCDR1 alignment, the 4-byte header) -------

const align = (offset: number, n: number): number => offset + ((n - (offset % n)) % n);
const cdrString = (offset: number, text: string): number =>
  align(offset, 4) + 4 + Buffer.byteLength(text, 'utf8') + 1;

/** Where a RuleSummary written at `offset` ends. */
export function ruleSummaryEnd(offset: number, msg: RuleSummaryMsg): number {
  let at = cdrString(offset, msg.id);
  at = cdrString(at, msg.name);
  at += 1; // enabled
  at = cdrString(at, msg.state);
  at += 1; // has_next_due
  at = align(at, 8) + 8; // next_due_at_ms
  at = cdrString(at, msg.next_due_at);
  at = align(at, 4) + 4;
  for (const label of msg.labels) at = cdrString(at, label);
  return at;
}

/** The serialized size of a RuleList (header, stamp, total, the sequence of rules). */
export function ruleListBytes(msg: RuleListMsg): number {
  let at = RULE_LIST_HEAD_BYTES;
  for (const rule of msg.rules) at = ruleSummaryEnd(at, rule);
  return at;
}

/** Header (4) + stamp (8) + total (4) + the rules' count (4). */
export const RULE_LIST_HEAD_BYTES = 20;
/** ~/rules stays below this size (DESIGN: "about 1 MB at most"). */
export const RULE_LIST_MAX_BYTES = 1_000_000;

/**
 * Builds ~/rules from rules in the order given (soonest due first), adding them while the message
 * stays within `maxBytes`. `add` returns false once the next rule no longer fits.
 */
export function ruleListBuilder(stampMs: number, total: number, maxBytes = RULE_LIST_MAX_BYTES) {
  const msg: RuleListMsg = { stamp: toTimeMsg(stampMs), total, rules: [] };
  let end = RULE_LIST_HEAD_BYTES;
  return {
    msg,
    add(rule: RuleSummary): boolean {
      const summary = toRuleSummaryMsg(rule);
      const next = ruleSummaryEnd(end, summary);
      if (next > maxBytes) return false;
      msg.rules.push(summary);
      end = next;
      return true;
    },
    bytes: () => end,
  };
}

export function toRuleListMsg(
  rules: readonly RuleSummary[],
  stampMs: number,
  total = rules.length,
): RuleListMsg {
  return { stamp: toTimeMsg(stampMs), total, rules: rules.map(toRuleSummaryMsg) };
}

export const LIST_RULES_DEFAULT_LIMIT = 100;
export const LIST_RULES_MAX_LIMIT = 1_000;
const ACTIVITIES: readonly RuleActivity[] = ['active', 'disabled', 'finished'];

/** A ListRules request as a listing query, or why it is refused. */
export function listRulesQuery(req: ListRulesRequestMsg): RuleListQuery | { error: string } {
  const limit = req.limit === 0 ? LIST_RULES_DEFAULT_LIMIT : req.limit;
  if (limit > LIST_RULES_MAX_LIMIT)
    return { error: `INVALID_INPUT: limit must be at most ${LIST_RULES_MAX_LIMIT}` };
  const state = req.state.trim();
  if (state !== '' && !(ACTIVITIES as readonly string[]).includes(state)) {
    return { error: `INVALID_INPUT: state must be "", ${ACTIVITIES.join(', ')} (got "${state}")` };
  }
  const label = req.label.trim();
  return {
    sort: 'next_due_at',
    limit,
    offset: req.offset,
    ...(state !== '' ? { state: state as RuleActivity } : {}),
    ...(label !== '' ? { label } : {}),
  };
}

export function listRulesResponse(page: Page<RuleSummary>): ListRulesResponseMsg {
  return {
    success: true,
    message: `${page.items.length} of ${page.total}`,
    total: page.total,
    rules: page.items.map(toRuleSummaryMsg),
  };
}

export function listRulesFailure(error: unknown): ListRulesResponseMsg {
  return {
    success: false,
    message: typeof error === 'string' ? error : errorText(error),
    total: 0,
    rules: [],
  };
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
