/**
 * The scheduler's own ROS interface, next to RMF's:
 * - `~/events` (rmf_task_scheduler/SchedulerEvent, RELIABLE, VOLATILE, KEEP_LAST 100): one
 *   message per recorded firing, and one each time a recorded firing learns more (a cancellation
 *   asked of RMF, RMF's dispatch state);
 * - `~/rules` (rmf_task_scheduler/RuleList, RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 1): the rules
 *   with their next due instants, soonest due first, as many as fit in about 1 MB, and the total
 *   count; at start, after rule changes (coalesced) and every minute (next due instants move as
 *   occurrences pass); a late `ros2 topic echo --qos-reliability reliable --qos-durability
 *   transient_local` gets the latest list;
 * - services `~/trigger_rule`, `~/set_rule_enabled` and `~/list_rules` (every rule, paged and
 *   filtered), which call the Scheduler facade.
 * Adapters translate, they never decide: mapping is in messages.ts; errors become success=false.
 */
import type { Logger } from '../log.js';
import type { Clock } from '../runtime/ports.js';
import type { Scheduler } from '../runtime/Scheduler.js';
import {
  listRulesFailure,
  listRulesQuery,
  listRulesResponse,
  ruleListBuilder,
  setRuleEnabledFailure,
  setRuleEnabledResponse,
  toSchedulerEventMsg,
  triggerRuleFailure,
  triggerRuleResponse,
} from './messages.js';
import { reliableQoS } from './qos.js';
import type { RclModule, RclNode } from './rclSurface.js';

export const EVENTS_TOPIC = '~/events';
export const RULES_TOPIC = '~/rules';
export const TRIGGER_RULE_SERVICE = '~/trigger_rule';
export const SET_RULE_ENABLED_SERVICE = '~/set_rule_enabled';
export const LIST_RULES_SERVICE = '~/list_rules';
export const EVENTS_DEPTH = 100;
/** Who the facade records as the actor of changes made over ROS. */
export const ROS_ACTOR = 'ros';

/** The part of the facade the topics and services use. */
export type TopicsScheduler = Pick<Scheduler, 'listRules' | 'onEvent' | 'triggerRule' | 'setRuleEnabled'>;

/** Rules read per page while filling ~/rules. */
const RULES_PAGE = 5_000;

export interface SchedulerTopicsDeps {
  rcl: Pick<RclModule, 'QoS'>;
  node: RclNode;
  scheduler: TopicsScheduler;
  clock: Clock;
  logger: Logger;
  /** At most one RuleList per this many ms after changes (default 500). */
  coalesceMs?: number;
  /** Republish the RuleList this often even without changes (default 60 000). */
  refreshMs?: number;
}

export interface SchedulerTopics {
  /** Resolved names, for logs. */
  readonly names: { events: string; rules: string };
  /** Publishes the rule list now (also done at start); resolves once published. */
  publishRules(): Promise<void>;
  stop(): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function startSchedulerTopics(deps: SchedulerTopicsDeps): SchedulerTopics {
  const { rcl, node, scheduler, clock } = deps;
  const log = deps.logger.child({ component: 'ros_topics' });
  const coalesceMs = deps.coalesceMs ?? 500;
  const refreshMs = deps.refreshMs ?? 60_000;

  const events = node.createPublisher('rmf_task_scheduler/msg/SchedulerEvent', EVENTS_TOPIC, {
    qos: reliableQoS(rcl, EVENTS_DEPTH, 'volatile'),
  });
  const rules = node.createPublisher('rmf_task_scheduler/msg/RuleList', RULES_TOPIC, {
    qos: reliableQoS(rcl, 1, 'transient_local'),
  });

  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let lastPublishedAt = -Infinity;
  let changeTimer: unknown = null;
  let refreshTimer: unknown = null;

  function armRefresh(): void {
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    refreshTimer = null;
    if (!stopped) refreshTimer = clock.setTimeout(() => void publishRules(), refreshMs);
  }

  async function publishOnce(): Promise<void> {
    try {
      const list = await soonestRules();
      if (stopped) return;
      rules.publish(list);
      lastPublishedAt = clock.now();
    } catch (e) {
      log.warn('could not publish the rule list', { error: message(e) });
    } finally {
      armRefresh();
    }
  }

  /** The rules due soonest, as many as fit in ~/rules, with the total count. */
  async function soonestRules() {
    let list: ReturnType<typeof ruleListBuilder> | null = null;
    for (let offset = 0; ; offset += RULES_PAGE) {
      const page = await scheduler.listRules({ sort: 'next_due_at', limit: RULES_PAGE, offset });
      list ??= ruleListBuilder(clock.now(), page.total);
      list.msg.total = page.total;
      for (const rule of page.items) if (!list.add(rule)) return list.msg;
      if (page.items.length < RULES_PAGE || offset + RULES_PAGE >= page.total) return list.msg;
    }
  }

  /** One publication at a time; a request made meanwhile runs once more afterwards. */
  function publishRules(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await publishOnce();
      } while (again && !stopped);
      running = null;
    })();
    return running;
  }

  /** Coalesced: at most one publication per coalesceMs. */
  function rulesChanged(): void {
    if (stopped || changeTimer !== null) return;
    const wait = Math.max(0, lastPublishedAt + coalesceMs - clock.now());
    changeTimer = clock.setTimeout(() => {
      changeTimer = null;
      void publishRules();
    }, wait);
  }

  const unsubscribe = scheduler.onEvent((event) => {
    if (stopped) return;
    if (event.type === 'firing.updated') {
      try {
        events.publish(toSchedulerEventMsg(event, clock.now()));
      } catch (e) {
        log.warn('could not publish a scheduler event', { error: message(e) });
      }
    } else if (event.type === 'firing.recorded') {
      try {
        events.publish(toSchedulerEventMsg(event, clock.now()));
      } catch (e) {
        log.warn('could not publish a scheduler event', { error: message(e) });
      }
      rulesChanged(); // the rule's next due instant moved on
    } else if (event.type === 'rules.changed') {
      rulesChanged();
    }
  });

  /** Runs one facade call and sends its mapped result (errors are answers too). */
  function serve<T, R>(
    call: () => Promise<T>,
    ok: (v: T) => R,
    fail: (e: unknown) => R,
    send: (r: R) => void,
  ) {
    Promise.resolve()
      .then(call)
      .then(ok, fail)
      .then(send)
      .catch((e: unknown) => log.warn('could not answer a service call', { error: message(e) }));
  }

  node.createService('rmf_task_scheduler/srv/TriggerRule', TRIGGER_RULE_SERVICE, {}, (request, response) =>
    serve(
      () =>
        scheduler.triggerRule(request.rule_id, ROS_ACTOR, {
          force: request.force,
          reason: request.reason.trim() === '' ? null : request.reason,
        }),
      triggerRuleResponse,
      triggerRuleFailure,
      (r) => response.send(r),
    ),
  );

  node.createService(
    'rmf_task_scheduler/srv/SetRuleEnabled',
    SET_RULE_ENABLED_SERVICE,
    {},
    (request, response) =>
      serve(
        () => {
          const reason = request.reason.trim() === '' ? null : request.reason;
          return scheduler.setRuleEnabled(request.rule_id, request.enabled, reason, null, ROS_ACTOR);
        },
        setRuleEnabledResponse,
        setRuleEnabledFailure,
        (r) => response.send(r),
      ),
  );

  node.createService('rmf_task_scheduler/srv/ListRules', LIST_RULES_SERVICE, {}, (request, response) => {
    const query = listRulesQuery(request);
    if ('error' in query) {
      response.send(listRulesFailure(query.error));
      return;
    }
    serve(
      () => scheduler.listRules(query),
      listRulesResponse,
      listRulesFailure,
      (r) => response.send(r),
    );
  });

  void publishRules();

  return {
    names: { events: events.topic, rules: rules.topic },
    publishRules,
    stop() {
      stopped = true;
      unsubscribe();
      if (changeTimer !== null) clock.clearTimeout(changeTimer);
      if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
      changeTimer = null;
      refreshTimer = null;
    },
  };
}
