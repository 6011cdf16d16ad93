/**
 * A stand-in RMF dispatcher node on the in-memory ROS graph, answering the way RMF does
 * (RMF_INTERFACE.md §2, §5): it reads ApiRequest on `task_api_requests` and answers on
 * `task_api_responses` with RMF's QoS (RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 10), a
 * dispatch_task_request with `{success: true, state}` whose booking id is
 * `<category>.dispatch-<n>` (shaped like the shared example response). It can be told to reject,
 * stay silent, acknowledge first or answer twice, and publishes task states on
 * `task_state_update` (std_msgs/String, RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 10).
 *
 * Like rmf_task_ros2's Dispatcher (jazzy, Dispatcher.cpp) it keeps each task's dispatch state:
 * queued while bidding, then dispatched to a fleet or failed to assign (`assign`,
 * `failToAssign`); it publishes them on `dispatch_states` (active: queued/selected; finished:
 * the rest) when told to, and serves `cancel_task` (rmf_task_msgs/srv/CancelTask): true for a
 * task in bidding (it becomes canceled_in_flight) or one that never reached a fleet, false once
 * dispatched or for an id it never gave. `restart()` forgets everything, counter included.
 * startFakeFleetAdapter is a fleet adapter holding the tasks assigned to it: it answers a
 * cancel_task_request for a task it holds with `{success: true}`, and is silent otherwise.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiRequestMsg } from '../../src/runtime/ports.js';
import type { RclNode, RclPublisher, RosMessages } from '../../src/ros/rclSurface.js';
import { FakeQoS, type FakeRos } from './fakeRcl.js';
import { sharedRmfDir } from './fakeRclInterfaces.js';

export type RmfBehaviour = 'accept' | 'reject' | 'silent' | 'duplicate' | 'acknowledge_then_accept';

export interface FakeRmf {
  readonly node: RclNode;
  /** Every ApiRequest received (including TRANSIENT_LOCAL replays of requests sent before it started). */
  readonly received: ApiRequestMsg[];
  /** How to answer the next requests (default 'accept'). */
  behaviour: RmfBehaviour;
  /** Answer this long after a request arrives (default 0: at once). */
  answerDelayMs: number;
  /** Publish any ApiResponse (type 0/1/2) as RMF would. */
  respond(requestId: string, type: number, json: unknown): void;
  /** Publish a task_state_update (std_msgs/String data = JSON text). */
  publishTaskState(update: unknown): void;
  /** The answer RMF gives to a dispatch_task_request (null for other requests). */
  answerFor(request: ApiRequestMsg): unknown;
  /** The dispatcher's state of each task it gave an id (as DispatchState.status). */
  readonly tasks: Map<string, { status: number; fleet: string; robot: string; errors: string[] }>;
  /** Bidding ended: the task goes to this fleet adapter (which then holds it). */
  assign(taskId: string, fleet: FakeFleetAdapter, robot?: string): void;
  /** Bidding ended without a fleet (RMF's error code 10, "rejection"). */
  failToAssign(taskId: string, errors?: string[]): void;
  /** Publish dispatch_states now (RMF does every publish_active_tasks_period, 2 s). */
  publishDispatchStates(): void;
  /** Calls to cancel_task, in order: [task id, answer]. */
  readonly cancelCalls: Array<[string, boolean]>;
  /** Like a restarted dispatcher: no tasks, and the counter starts again at 0. */
  restart(): void;
  stop(): void;
}

export interface FakeFleetAdapter {
  readonly fleet: string;
  /** Task ids this fleet holds (queued on a robot or active). */
  readonly holds: Set<string>;
  /** cancel_task_request received, in order: [task id, answered]. */
  readonly cancelRequests: Array<[string, boolean]>;
  stop(): void;
}

const STATUS = { queued: 1, selected: 2, dispatched: 3, failed_to_assign: 4, canceled_in_flight: 5 } as const;

/** A fleet adapter's task manager, as far as cancelling goes (RMF_INTERFACE.md §7). */
export async function startFakeFleetAdapter(ros: FakeRos, fleet: string): Promise<FakeFleetAdapter> {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', `${fleet}_fleet_adapter`]);
  const node = rcl.createNode(`${fleet}_fleet_adapter`);
  const responses = node.createPublisher('rmf_task_msgs/msg/ApiResponse', 'task_api_responses', {
    qos: rmfQoS(100),
  });
  const adapter: FakeFleetAdapter = {
    fleet,
    holds: new Set(),
    cancelRequests: [],
    stop: () => rcl.shutdown(),
  };
  node.createSubscription(
    'rmf_task_msgs/msg/ApiRequest',
    'task_api_requests',
    { qos: rmfQoS(100) },
    (request) => {
      const payload = JSON.parse(request.json_msg) as Json;
      if (payload.type !== 'cancel_task_request') return;
      const taskId = String(payload.task_id);
      const held = adapter.holds.delete(taskId);
      adapter.cancelRequests.push([taskId, held]);
      // No robot holds it: no answer at all, as RMF's task managers do.
      if (held)
        responses.publish({
          type: 2,
          json_msg: JSON.stringify({ success: true }),
          request_id: request.request_id,
        });
    },
  );
  node.spin();
  return adapter;
}

export const readExample = (name: string): unknown =>
  JSON.parse(readFileSync(join(sharedRmfDir(), 'examples', name), 'utf8')) as unknown;

const RELIABLE = FakeQoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE;
const TRANSIENT_LOCAL = FakeQoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL;
const KEEP_LAST = FakeQoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST;
/** The dispatcher's QoS on both API topics and on task_state_update. */
export const rmfQoS = (depth = 10) => new FakeQoS(KEEP_LAST, depth, RELIABLE, TRANSIENT_LOCAL);

type Json = Record<string, unknown>;

export async function startFakeRmf(ros: FakeRos, options: { namespace?: string } = {}): Promise<FakeRmf> {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', 'rmf_task_dispatcher']);
  const node = rcl.createNode('rmf_dispatcher_node', options.namespace ?? '');
  const success = readExample('dispatch_task_response__success.json') as Json;
  const failure = readExample('dispatch_task_response__failure.json');
  let counter = 0;
  const tasks: FakeRmf['tasks'] = new Map();

  const responses: RclPublisher<RosMessages['rmf_task_msgs/msg/ApiResponse']> = node.createPublisher(
    'rmf_task_msgs/msg/ApiResponse',
    'task_api_responses',
    { qos: rmfQoS() },
  );
  const states = node.createPublisher('std_msgs/msg/String', 'task_state_update', { qos: rmfQoS() });

  function answerFor(request: ApiRequestMsg): unknown {
    const payload = JSON.parse(request.json_msg) as Json;
    if (payload.type !== 'dispatch_task_request') return null;
    const req = (payload.request ?? {}) as Json;
    const category = String(req.category);
    const state = structuredClone(success.state) as Json;
    const id = `${category}.dispatch-${counter++}`;
    tasks.set(id, { status: STATUS.queued, fleet: '', robot: '', errors: [] });
    state.booking = {
      id,
      unix_millis_earliest_start_time: req.unix_millis_earliest_start_time ?? null,
      unix_millis_request_time: req.unix_millis_request_time,
      priority: req.priority,
      labels: req.labels,
      requester: req.requester,
    };
    state.category = category;
    state.detail = req.description;
    state.unix_millis_start_time = req.unix_millis_earliest_start_time ?? null;
    return { success: true, state };
  }

  const dispatchStates = node.createPublisher('rmf_task_msgs/msg/DispatchStates', 'dispatch_states', {
    qos: new FakeQoS(KEEP_LAST, 10, RELIABLE, FakeQoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE),
  });
  const cancelCalls: Array<[string, boolean]> = [];
  node.createService('rmf_task_msgs/srv/CancelTask', 'cancel_task', {}, (request, response) => {
    const task = tasks.get(request.task_id);
    let success: boolean;
    if (task === undefined)
      success = false; // "was not dispatched" by this dispatcher
    else if (task.status === STATUS.queued || task.status === STATUS.selected) {
      task.status = STATUS.canceled_in_flight;
      success = true;
    } else success = task.status !== STATUS.dispatched;
    cancelCalls.push([request.task_id, success]);
    response.send({ success, message: '' });
  });

  const fake: FakeRmf = {
    node,
    received: [],
    tasks,
    cancelCalls,
    assign(taskId, fleet, robot = `${fleet.fleet}_1`) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`the fake dispatcher never gave ${taskId}`);
      Object.assign(task, { status: STATUS.dispatched, fleet: fleet.fleet, robot });
      fleet.holds.add(taskId);
    },
    failToAssign(
      taskId,
      errors = ['{"code":10,"category":"rejection","detail":"No fleet bid for the task"}'],
    ) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`the fake dispatcher never gave ${taskId}`);
      Object.assign(task, { status: STATUS.failed_to_assign, errors });
    },
    publishDispatchStates() {
      const state = ([task_id, t]: [
        string,
        { status: number; fleet: string; robot: string; errors: string[] },
      ]) => ({
        task_id,
        status: t.status,
        assignment: { is_assigned: t.fleet !== '', fleet_name: t.fleet, expected_robot_name: t.robot },
        errors: t.errors,
      });
      const all = [...tasks];
      const bidding = (s: number) => s === STATUS.queued || s === STATUS.selected;
      dispatchStates.publish({
        active: all.filter(([, t]) => bidding(t.status)).map(state),
        finished: all.filter(([, t]) => !bidding(t.status)).map(state),
      });
    },
    restart() {
      tasks.clear();
      counter = 0;
    },
    behaviour: 'accept',
    answerDelayMs: 0,
    respond(requestId, type, json) {
      responses.publish({ type, json_msg: JSON.stringify(json), request_id: requestId });
    },
    publishTaskState(update) {
      states.publish({ data: JSON.stringify(update) });
    },
    answerFor,
    stop() {
      rcl.shutdown();
    },
  };

  node.createSubscription(
    'rmf_task_msgs/msg/ApiRequest',
    'task_api_requests',
    { qos: rmfQoS() },
    (request) => {
      fake.received.push(request);
      if (fake.answerDelayMs > 0) setTimeout(() => answer(request), fake.answerDelayMs);
      else answer(request);
    },
  );
  function answer(request: ApiRequestMsg): void {
    {
      const behaviour = fake.behaviour;
      if (behaviour === 'silent') return;
      if (behaviour === 'reject') {
        fake.respond(request.request_id, 2, failure);
        return;
      }
      const answer = answerFor(request);
      if (answer === null) return; // not for the dispatcher: silence, like RMF
      if (behaviour === 'acknowledge_then_accept') fake.respond(request.request_id, 1, {});
      fake.respond(request.request_id, 2, answer);
      if (behaviour === 'duplicate') fake.respond(request.request_id, 2, answerFor(request));
    }
  }
  node.spin();
  return fake;
}
