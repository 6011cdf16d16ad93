/**
 * A stand-in RMF dispatcher node on the in-memory ROS graph, answering the way RMF does
 * (RMF_INTERFACE.md §2, §5): it reads ApiRequest on `task_api_requests` and answers on
 * `task_api_responses` with RMF's QoS (RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 10), a
 * dispatch_task_request with `{success: true, state}` whose booking id is
 * `<category>.dispatch-<n>` (shaped like the shared example response). It can be told to reject,
 * stay silent, acknowledge first or answer twice, and publishes task states on
 * `task_state_update` (std_msgs/String, RELIABLE, TRANSIENT_LOCAL, KEEP_LAST 10).
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
  stop(): void;
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
    state.booking = {
      id: `${category}.dispatch-${counter++}`,
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

  const fake: FakeRmf = {
    node,
    received: [],
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
