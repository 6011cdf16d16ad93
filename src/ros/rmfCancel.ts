/**
 * Cancelling a task RMF accepted, as RMF's own clients do (RMF_INTERFACE.md §7): first the
 * dispatcher's legacy service `cancel_task` (rmf_task_msgs/srv/CancelTask), which succeeds while
 * the task is still in bidding (or never reached a fleet) and answers false once it was
 * dispatched; then `cancel_task_request` with the task id on the API topic, which the fleet
 * adapter holding the task answers. Silence is a failed cancel. A dispatch task id that may name
 * another task now (the dispatcher restarted since it gave it) is not cancelled at all.
 */
import type { RmfConfig } from '../Config.js';
import type { Logger } from '../log.js';
import type { DispatcherContinuity } from '../rmf/dispatcherContinuity.js';
import { summarizeErrors } from '../rmf/readResponse.js';
import type { ApiRequestMsg, CancelAnswer, CancelRequest, Clock, DispatchAnswer } from '../runtime/ports.js';
import type { CancelTaskResponseMsg } from './messages.js';
import type { RclNode } from './rclSurface.js';

export interface CancellerDeps {
  node: RclNode;
  rmf: Pick<RmfConfig, 'cancel_service' | 'requester'>;
  clock: Clock;
  logger: Logger;
  continuity: DispatcherContinuity;
  /** Publish an ApiRequest on the API topic and wait for its answer (the transport's own). */
  call(request: ApiRequestMsg, timeoutMs: number): Promise<DispatchAnswer>;
  newId(): string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function createCanceller(deps: CancellerDeps) {
  const { clock, continuity } = deps;
  const client = deps.node.createClient('rmf_task_msgs/srv/CancelTask', deps.rmf.cancel_service);

  function callService(taskId: string, timeoutMs: number): Promise<CancelTaskResponseMsg | null> {
    return new Promise((resolve) => {
      let done = false;
      const timer = clock.setTimeout(() => {
        if (done) return;
        done = true;
        resolve(null);
      }, timeoutMs);
      client.sendRequest({ requester: deps.rmf.requester, task_id: taskId }, (response) => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        resolve(response);
      });
    });
  }

  return async function cancel(request: CancelRequest, timeoutMs: number): Promise<CancelAnswer> {
    const taskId = request.rmfTaskId;
    const doubt = continuity.doubt(taskId, request.gotAt);
    if (doubt !== null) return { state: 'failed', errors: [`not cancelled: ${doubt}`], at: clock.now() };

    const notes: string[] = [];
    if (client.isServiceServerAvailable()) {
      const answer = await callService(taskId, timeoutMs);
      if (answer?.success) return { state: 'canceled', by: 'dispatcher', at: clock.now() };
      notes.push(
        answer === null
          ? `the dispatcher's cancel_task service did not answer within ${timeoutMs} ms`
          : `the dispatcher no longer holds ${taskId} (it was dispatched to a fleet)`,
      );
    } else {
      notes.push("no dispatcher's cancel_task service is on the graph");
    }

    const requestId = `cancel_task_${deps.newId()}`;
    const json = { type: 'cancel_task_request', task_id: taskId, labels: request.labels };
    const answer = await deps.call({ json_msg: JSON.stringify(json), request_id: requestId }, timeoutMs);
    const at = clock.now();
    if (answer.kind === 'timed_out') {
      return {
        state: 'failed',
        errors: [
          ...notes,
          `no fleet adapter answered the cancel_task_request for ${taskId} within ${timeoutMs} ms (no robot holds it, or the fleet is in an emergency pullover)`,
        ],
        at,
      };
    }
    if (answer.kind === 'failed') return { state: 'failed', errors: [...notes, answer.error], at };
    const response = answer.response;
    if (isObject(response) && response.success === true)
      return { state: 'canceled', by: 'fleet_adapter', at };
    const why = isObject(response) ? summarizeErrors(response.errors) : 'an answer that is not a JSON object';
    deps.logger.warn('RMF refused to cancel a task', { taskId, why });
    return { state: 'failed', errors: [...notes, `the fleet adapter refused: ${why}`], at };
  };
}
