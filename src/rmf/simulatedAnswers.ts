/**
 * The answers RMF gives to task requests (RMF_INTERFACE.md §5), as pure functions: what the
 * dispatcher (`dispatch_task_request`) and a fleet adapter (`robot_task_request`) put in
 * `{success: true, state}`. Used by the simulated dispatcher.
 */

export interface RmfError {
  code: number;
  category: string;
  detail: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The request's fields RMF copies into `state.booking` (only those present). */
function bookingFields(request: Json): Json {
  const out: Json = {};
  for (const key of ['unix_millis_request_time', 'priority', 'labels', 'requester']) {
    if (request[key] !== undefined) out[key] = request[key];
  }
  return out;
}

/**
 * The dispatcher's answer: accepted for bidding, task id `<category>.dispatch-<n>`. Like RMF,
 * a request without `unix_millis_earliest_start_time` gets `null` there and in
 * `unix_millis_start_time` (which task_state.json does not allow).
 */
export function dispatchAccepted(request: Json, taskId: string): Json {
  const earliest = request.unix_millis_earliest_start_time ?? null;
  return {
    success: true,
    state: {
      booking: { id: taskId, unix_millis_earliest_start_time: earliest, ...bookingFields(request) },
      category: request.category,
      detail: request.description,
      status: 'queued',
      unix_millis_start_time: earliest,
      dispatch: { status: 'queued', errors: [] },
    },
  };
}

/**
 * The task state the dispatcher publishes when bidding found no fleet
 * (`examples/task_state_update__dispatch_failed.json`): failed, failed_to_assign, error code 10.
 */
export function dispatchFailed(request: Json, taskId: string, error: RmfError): Json {
  const accepted = dispatchAccepted(request, taskId).state as Json;
  return { ...accepted, status: 'failed', dispatch: { status: 'failed_to_assign', errors: [error] } };
}

/** A fleet adapter's answer to a direct request: task id = the request_id, assigned to the robot. */
export function robotAccepted(request: Json, requestId: string, fleet: string, robot: string): Json {
  const booking: Json = { id: requestId, ...bookingFields(request) };
  if (request.unix_millis_earliest_start_time !== undefined) {
    booking.unix_millis_earliest_start_time = request.unix_millis_earliest_start_time;
  }
  return {
    success: true,
    state: {
      booking,
      detail: request.description,
      status: 'queued',
      dispatch: { status: 'queued' },
      assigned_to: { group: fleet, name: robot },
    },
  };
}

export function refused(errors: RmfError[]): Json {
  return { success: false, errors };
}

/** A task request JSON, read far enough to answer it; null when RMF would not answer at all. */
export type ReadRequest =
  | { type: 'dispatch_task_request'; request: Json; category: string }
  | { type: 'robot_task_request'; request: Json; category: string; fleet: string; robot: string }
  | { type: 'malformed_robot_task_request'; detail: string };

export function readTaskRequest(json: string): ReadRequest | null {
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return null; // RMF only logs unparseable JSON
  }
  if (!isObject(payload)) return null;
  const request = payload.request;
  const wellFormed =
    isObject(request) && typeof request.category === 'string' && request.description !== undefined;
  if (payload.type === 'dispatch_task_request') {
    // The dispatcher's "invalid request format" path fails to send its answer (RMF_INTERFACE.md §5).
    return wellFormed ? { type: payload.type, request, category: request.category as string } : null;
  }
  if (payload.type === 'robot_task_request') {
    const { fleet, robot } = payload;
    if (!wellFormed || typeof fleet !== 'string' || typeof robot !== 'string') {
      return {
        type: 'malformed_robot_task_request',
        detail: 'The request does not match robot_task_request.json',
      };
    }
    return { type: payload.type, request, category: request.category as string, fleet, robot };
  }
  return null; // other types are not answered by the dispatcher or by fleets for new tasks
}
