/**
 * Building the RMF ApiRequest for one firing of a rule (RMF_INTERFACE.md §4, §6): the rule's
 * task plus the per-firing timestamps, the requester and labels that trace the RMF task back to
 * the rule and the occurrence. Pure: time and ids are arguments.
 */
import type { FiringTrigger } from '../rules/Firing.js';
import type { Rule } from '../rules/Rule.js';
import type { TaskRequestSpec } from '../rules/Task.js';
import type { ApiRequestMsg } from '../runtime/ports.js';

/** Label keys the scheduler writes itself; a rule's own label with one of these keys is dropped. */
export const TRACING_LABEL_KEYS = ['scheduler', 'rule_id', 'rule', 'occurrence', 'trigger'] as const;

export interface BuildRequestArgs {
  rule: Pick<Rule, 'id' | 'name' | 'task' | 'labels'>;
  /** The occurrence's identity (its original instant). */
  dueAt: number;
  /** The instant the occurrence is for: RMF's earliest start, even when sent early (lead time). */
  fireAt: number;
  trigger: FiringTrigger;
  /** The publish instant: RMF's request time. */
  now: number;
  requestId: string;
  /** The configured requester, used unless the rule's task names its own. */
  requester: string;
}

/** The `rmf_task_msgs/msg/ApiRequest` to publish, and the JSON object inside `json_msg`. */
export function buildApiRequest(args: BuildRequestArgs): { msg: ApiRequestMsg; payload: object } {
  const { rule } = args;
  const spec = rule.task;
  const own = structuredClone(spec.request) as TaskRequestSpec;
  const request: TaskRequestSpec = {
    ...own,
    unix_millis_request_time: args.now,
    unix_millis_earliest_start_time: args.fireAt,
    labels: requestLabels(own.labels ?? [], rule, args),
    // A requester set on the rule's task wins: operators use it to say who the task is for.
    requester: own.requester ?? args.requester,
  };
  const payload =
    spec.type === 'robot_task_request'
      ? {
          type: spec.type,
          robot: spec.robot,
          fleet: spec.fleet,
          request: { ...request, fleet_name: own.fleet_name ?? spec.fleet },
        }
      : { type: spec.type, request };
  return { msg: { json_msg: JSON.stringify(payload), request_id: args.requestId }, payload };
}

/** The task's labels, then the rule's, then the tracing labels; first occurrence of each kept. */
export function requestLabels(
  taskLabels: readonly string[],
  rule: Pick<Rule, 'id' | 'name' | 'labels'>,
  firing: Pick<BuildRequestArgs, 'dueAt' | 'trigger'>,
): string[] {
  const tracing = [
    'scheduler',
    `rule_id=${rule.id}`,
    `rule=${rule.name}`,
    `occurrence=${new Date(firing.dueAt).toISOString()}`,
    `trigger=${firing.trigger}`,
  ];
  const reserved = new Set<string>(TRACING_LABEL_KEYS);
  const own = [...taskLabels, ...rule.labels].filter((label) => !reserved.has(labelKey(label)));
  return [...new Set([...own, ...tracing])];
}

/** "key=value" → "key"; "key" → "key" (RMF reads a bare label as key with an empty value). */
export function labelKey(label: string): string {
  const eq = label.indexOf('=');
  return eq < 0 ? label : label.slice(0, eq);
}

/**
 * A fresh ApiRequest id for a firing of this rule: `sched_<first 8 characters of the rule id>_<uuid>`.
 * The UUID (crypto.randomUUID() from the caller) makes it unique across restarts and replicas;
 * the prefix makes it readable where RMF uses it as the task id (robot_task_request).
 */
export function newRequestId(ruleId: string, uuid: string): string {
  const prefix = ruleId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return `sched_${prefix}_${uuid}`;
}
