/**
 * The Dispatcher over ROS 2 (kind 'ros'): RMF's pseudo-service on two topics
 * (RMF_INTERFACE.md §1–2, §6). Publishes rmf_task_msgs/ApiRequest on `task_api_requests` and
 * reads rmf_task_msgs/ApiResponse on `task_api_responses`, both RELIABLE + TRANSIENT_LOCAL +
 * KEEP_LAST qos_depth, with relative names so the node's namespace applies.
 *
 * Correlation by request_id is src/rmf/pendingRequests.ts (final answer, acknowledge extends the
 * wait, type 0 fails, duplicates and strangers dropped). Answers to ids this process is not
 * waiting for are kept in a bounded map: TRANSIENT_LOCAL makes RMF replay its recent answers to
 * a new subscriber, so after a restart `recover()` can find the answers to requests the previous
 * process published. They are never taken as answers to new requests (fresh ids).
 *
 * With `follow_task_states`, it also reads std_msgs/String on `task_state_update` (Kilted+) and
 * reports each task state through onTaskState.
 */
import type { RmfConfig } from '../Config.js';
import type { Logger } from '../log.js';
import {
  API_RESPONSE_ACKNOWLEDGE,
  API_RESPONSE_RESPONDING,
  createPendingRequests,
} from '../rmf/pendingRequests.js';
import { randomUUID } from 'node:crypto';
import { createDispatcherContinuity } from '../rmf/dispatcherContinuity.js';
import { readAnswer, readTaskStateUpdate } from '../rmf/readResponse.js';
import type {
  ApiRequestMsg,
  ApiResponseMsg,
  Clock,
  DispatchAnswer,
  Dispatcher,
  DispatchStateUpdate,
} from '../runtime/ports.js';
import { followDispatchStates } from './dispatchStates.js';
import { reliableQoS } from './qos.js';
import type { RclModule, RclNode } from './rclSurface.js';
import { createCanceller } from './rmfCancel.js';
import { followRosClock, type RosClock } from './rosClock.js';

export const API_REQUEST_TYPE = 'rmf_task_msgs/msg/ApiRequest';
export const API_RESPONSE_TYPE = 'rmf_task_msgs/msg/ApiResponse';
export const TASK_STATE_TYPE = 'std_msgs/msg/String';
/** rmf_fleet_adapter / dispatcher publish task_state_update with KEEP_LAST 10. */
export const TASK_STATE_DEPTH = 10;

export interface RmfTransportDeps {
  rcl: Pick<RclModule, 'QoS'>;
  node: RclNode;
  rmf: RmfConfig;
  clock: Clock;
  logger: Logger;
  /** How many answers to other ids (replays, other clients) to keep for recover(). */
  replayCapacity?: number;
  /** use_sim_time: stamp the times RMF compares with its clock in ROS time (/clock). */
  useSimTime?: boolean;
}

export interface RmfTransport extends Dispatcher {
  readonly kind: 'ros';
  /** Resolved topic names, for logs and /health. */
  readonly topics: {
    requests: string;
    responses: string;
    taskStates: string | null;
    dispatchStates: string | null;
    clock: string | null;
  };
}

/** A kept answer to an id nobody here was waiting for. */
function answerOf(msg: ApiResponseMsg, receivedAt: number): DispatchAnswer | null {
  if (msg.type === API_RESPONSE_ACKNOWLEDGE) return null;
  if (msg.type !== API_RESPONSE_RESPONDING) {
    return { kind: 'failed', error: `RMF answered with ApiResponse type ${msg.type} (not a final answer)` };
  }
  try {
    return { kind: 'responded', response: JSON.parse(msg.json_msg) as unknown, respondedAt: receivedAt };
  } catch {
    return { kind: 'failed', error: `RMF answered with unparseable JSON: ${msg.json_msg.slice(0, 200)}` };
  }
}

interface Recovery {
  wanted: Set<string>;
  found: Map<string, DispatchAnswer>;
  finish(): void;
}

export function createRmfTransport(deps: RmfTransportDeps): RmfTransport {
  const { rcl, node, rmf, clock } = deps;
  const log = deps.logger.child({ component: 'rmf_transport' });
  const capacity = deps.replayCapacity ?? 1000;
  const pending = createPendingRequests({ clock, logger: log });
  const kept = new Map<string, DispatchAnswer>();
  const recoveries = new Set<Recovery>();
  const stateListeners = new Set<(taskId: string, state: unknown) => void>();
  const dispatchListeners = new Set<(update: DispatchStateUpdate) => void>();
  const continuity = createDispatcherContinuity(clock.now());
  let closed = false;

  const qos = reliableQoS(rcl, rmf.qos_depth, 'transient_local');
  const publisher = node.createPublisher(API_REQUEST_TYPE, rmf.requests_topic, { qos });

  function keep(msg: ApiResponseMsg): void {
    const answer = answerOf(msg, clock.now());
    if (!answer) return;
    const previous = kept.get(msg.request_id);
    if (previous?.kind === 'responded') return; // the first final answer wins
    kept.delete(msg.request_id);
    kept.set(msg.request_id, answer);
    while (kept.size > capacity) kept.delete(kept.keys().next().value as string);
    for (const r of recoveries) {
      if (!r.wanted.has(msg.request_id)) continue;
      r.found.set(msg.request_id, answer);
      if (answer.kind === 'responded' && [...r.wanted].every((id) => r.found.get(id)?.kind === 'responded'))
        r.finish();
    }
  }

  const responses = node.createSubscription(API_RESPONSE_TYPE, rmf.responses_topic, { qos }, (raw) => {
    if (closed) return;
    const msg: ApiResponseMsg = {
      type: Number(raw.type),
      json_msg: String(raw.json_msg),
      request_id: String(raw.request_id),
    };
    const verdict = pending.onResponse(msg);
    if (verdict === 'unknown') keep(msg);
  });

  let taskStates: string | null = null;
  if (rmf.follow_task_states) {
    const sub = node.createSubscription(
      TASK_STATE_TYPE,
      rmf.task_state_topic,
      { qos: reliableQoS(rcl, TASK_STATE_DEPTH, 'transient_local') },
      (msg) => {
        if (closed) return;
        const update = readTaskStateUpdate(msg.data);
        if (!update) {
          log.debug('ignored a task_state_update that is not a task state');
          return;
        }
        for (const listener of stateListeners) {
          try {
            listener(update.taskId, update.state);
          } catch (e) {
            log.error('task state listener failed', { error: e instanceof Error ? e.message : String(e) });
          }
        }
      },
    );
    taskStates = sub.topic;
  }
  const dispatchStates = rmf.follow_dispatch_states
    ? followDispatchStates({
        rcl,
        node,
        topic: rmf.dispatch_states_topic,
        clock,
        continuity,
        emit(update) {
          for (const listener of dispatchListeners) {
            try {
              listener(update);
            } catch (e) {
              log.error('dispatch state listener failed', {
                error: e instanceof Error ? e.message : String(e),
              });
            }
          }
        },
      })
    : null;
  const rosClock: RosClock | null = deps.useSimTime ? followRosClock({ rcl, node, clock }) : null;

  /** Publish a request and wait for its answer (RMF's pseudo-service). */
  function call(request: ApiRequestMsg, timeoutMs: number, onPublished?: (at: number) => void) {
    if (closed)
      return Promise.resolve<DispatchAnswer>({ kind: 'failed', error: 'the ROS transport is closed' });
    const answer = pending.wait(request.request_id, timeoutMs);
    try {
      publisher.publish({ json_msg: request.json_msg, request_id: request.request_id });
    } catch (e) {
      pending.fail(
        request.request_id,
        `publishing the request failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return answer;
    }
    onPublished?.(clock.now());
    return answer;
  }
  const cancel = createCanceller({
    node,
    rmf,
    clock,
    logger: log,
    continuity,
    call: (request, timeoutMs) => call(request, timeoutMs),
    newId: randomUUID,
  });

  log.info('RMF transport ready', {
    requests: publisher.topic,
    responses: responses.topic,
    taskStates,
    dispatchStates: dispatchStates?.topic ?? null,
    simTime: rosClock?.topic ?? null,
  });

  const transport: RmfTransport = {
    kind: 'ros',
    topics: {
      requests: publisher.topic,
      responses: responses.topic,
      taskStates,
      dispatchStates: dispatchStates?.topic ?? null,
      clock: rosClock?.topic ?? null,
    },
    ...(rosClock ? { rmfClock: rosClock } : {}),

    async dispatch(request: ApiRequestMsg, options): Promise<DispatchAnswer> {
      const answer = await call(request, options.timeoutMs, options.onPublished);
      if (answer.kind === 'responded') {
        const reading = readAnswer(answer);
        if (reading.rmfTaskId !== null) continuity.gave(reading.rmfTaskId, answer.respondedAt);
      }
      return answer;
    },

    cancel: (request, options) => cancel(request, options.timeoutMs),

    onDispatchState(listener) {
      dispatchListeners.add(listener);
      return () => dispatchListeners.delete(listener);
    },

    recover(requestIds: string[], waitMs: number): Promise<Map<string, DispatchAnswer>> {
      const wanted = new Set(requestIds);
      const found = new Map<string, DispatchAnswer>();
      for (const id of wanted) {
        const answer = kept.get(id);
        if (answer) found.set(id, answer);
      }
      const complete = () => [...wanted].every((id) => found.get(id)?.kind === 'responded');
      if (closed || complete() || waitMs <= 0) return Promise.resolve(found);
      return new Promise((resolve) => {
        const timer = { handle: undefined as unknown };
        const recovery: Recovery = {
          wanted,
          found,
          finish() {
            if (!recoveries.delete(recovery)) return;
            clock.clearTimeout(timer.handle);
            resolve(found);
          },
        };
        recoveries.add(recovery);
        timer.handle = clock.setTimeout(() => recovery.finish(), waitMs);
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      pending.closeAll('the ROS transport closed');
      for (const r of [...recoveries]) r.finish();
      stateListeners.clear();
      dispatchListeners.clear();
      dispatchStates?.stop();
      rosClock?.stop();
    },
  };

  if (rmf.follow_task_states) {
    transport.onTaskState = (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    };
  }
  return transport;
}
