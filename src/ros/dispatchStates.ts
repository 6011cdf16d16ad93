/**
 * Following RMF's dispatcher: `dispatch_states` (rmf_task_msgs/DispatchStates, RELIABLE, VOLATILE,
 * republished every `publish_active_tasks_period`, 2 s) lists the tasks in bidding (`active`) and
 * the recently settled ones (`finished`: dispatched to a fleet, failed to assign, cancelled in
 * flight). Each change of a task's state is reported once; the lists also tell the dispatcher's
 * continuity (a restarted dispatcher no longer lists the tasks it gave before).
 */
import type { FiringDispatch, DispatchStatus } from '../rules/Firing.js';
import type { DispatcherContinuity } from '../rmf/dispatcherContinuity.js';
import type { Clock, DispatchStateUpdate } from '../runtime/ports.js';
import type { DispatchStateMsg } from './messages.js';
import { reliableQoS } from './qos.js';
import type { RclModule, RclNode } from './rclSurface.js';

export const DISPATCH_STATES_TYPE = 'rmf_task_msgs/msg/DispatchStates';
/** Task states remembered to report only changes (the dispatcher keeps 100 finished by default). */
const REMEMBERED = 5_000;

const STATUS: Record<number, DispatchStatus> = {
  1: 'queued',
  2: 'selected',
  3: 'dispatched',
  4: 'failed_to_assign',
  5: 'canceled_in_flight',
};

/** A DispatchState as the firing records it; null for an uninitialized one. */
export function toFiringDispatch(msg: DispatchStateMsg, at: number): FiringDispatch | null {
  const status = STATUS[Number(msg.status)];
  if (status === undefined) return null;
  const assigned = msg.assignment.is_assigned;
  return {
    status,
    fleet: assigned && msg.assignment.fleet_name !== '' ? msg.assignment.fleet_name : null,
    robot: assigned && msg.assignment.expected_robot_name !== '' ? msg.assignment.expected_robot_name : null,
    errors: [...msg.errors],
    at,
  };
}

const sameState = (a: FiringDispatch, b: FiringDispatch) =>
  a.status === b.status &&
  a.fleet === b.fleet &&
  a.robot === b.robot &&
  a.errors.join('\n') === b.errors.join('\n');

export function followDispatchStates(deps: {
  rcl: Pick<RclModule, 'QoS'>;
  node: RclNode;
  topic: string;
  clock: Clock;
  continuity: DispatcherContinuity;
  emit(update: DispatchStateUpdate): void;
}): { topic: string; stop(): void } {
  const { clock, continuity } = deps;
  const last = new Map<string, FiringDispatch>();
  let epoch = continuity.since();
  let stopped = false;
  const sub = deps.node.createSubscription(
    DISPATCH_STATES_TYPE,
    deps.topic,
    { qos: reliableQoS(deps.rcl, 10, 'volatile') },
    (msg) => {
      if (stopped) return;
      const at = clock.now();
      const states = [...msg.active, ...msg.finished];
      continuity.listed(
        states.map((s) => s.task_id),
        at,
      );
      if (continuity.since() !== epoch) {
        // A restarted dispatcher: what was reported before is about other tasks.
        epoch = continuity.since();
        last.clear();
      }
      for (const state of states) {
        const dispatch = toFiringDispatch(state, at);
        if (dispatch === null) continue;
        const before = last.get(state.task_id);
        if (before !== undefined && sameState(before, dispatch)) continue;
        last.delete(state.task_id);
        last.set(state.task_id, dispatch);
        while (last.size > REMEMBERED) last.delete(last.keys().next().value as string);
        deps.emit({ taskId: state.task_id, since: continuity.trustedSince(state.task_id), dispatch });
      }
    },
  );
  return {
    topic: sub.topic,
    stop() {
      stopped = true;
    },
  };
}
