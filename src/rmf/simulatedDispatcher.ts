/**
 * An in-process stand-in for RMF (RMF_INTERFACE.md §3–5): answers dispatch_task_request like the
 * dispatcher and robot_task_request like a fleet adapter, on the injected clock, and can be told
 * to reject, stay silent, be slow, acknowledge first or answer twice. The node runs on it when
 * no ROS 2 is available; tests and benches steer it.
 *
 * Given the site it stands for (`rmf`: the categories its fleets accept, the fleets and robots that
 * exist), it goes the way RMF goes: the dispatcher accepts any well-formed request (`queued`) and,
 * after its bidding window, assigns it to a fleet, or reports `failed_to_assign` with error code 10
 * when no fleet accepts its category (or the fleet it names does not exist); a fleet adapter
 * refuses a robot task of a category it does not accept (error code 4); a robot task for a fleet
 * or robot that does not exist gets no answer at all. Requests with a silent label get no answer,
 * with a slow label a late one (failure drills).
 */
import type { FiringDispatch } from '../rules/Firing.js';
import type {
  ApiRequestMsg,
  ApiResponseMsg,
  Clock,
  DispatchAnswer,
  Dispatcher,
  DispatchStateUpdate,
} from '../runtime/ports.js';
import { silentSink, type LogSink } from './logSink.js';
import {
  API_RESPONSE_ACKNOWLEDGE,
  API_RESPONSE_RESPONDING,
  createPendingRequests,
  type ResponseVerdict,
} from './pendingRequests.js';
import {
  dispatchAccepted,
  dispatchFailed,
  readTaskRequest,
  refused,
  robotAccepted,
  type ReadRequest,
  type RmfError,
} from './simulatedAnswers.js';

/** Said at start, on /health and on every firing while the node runs on the stand-in. */
export const SIMULATED_WARNING =
  'RMF transport is SIMULATED: task requests are NOT sent to RMF; an in-process stand-in answers them';

/** The RMF site the stand-in plays. */
export interface SimulatedRmf {
  /** Task categories the fleets accept. */
  categories: readonly string[];
  /** The robots that exist, by fleet name. */
  fleets: Readonly<Record<string, readonly string[]>>;
  /** Requests carrying any of these labels get no answer (the caller times out). */
  silentLabels: readonly string[];
  /** Requests carrying any of these labels are answered `slowMs` late. */
  slowLabels: readonly string[];
  slowMs: number;
}

/** RMF's built-in categories and one demo fleet (rmf_demos' office world). */
export const DEFAULT_SIMULATED_RMF: SimulatedRmf = {
  categories: ['patrol', 'delivery', 'clean', 'compose'],
  fleets: { tinyRobot: ['tinyRobot1', 'tinyRobot2'] },
  silentLabels: [],
  slowLabels: [],
  slowMs: 5_000,
};

/** The dispatcher's bidding window (its `bidding_time_window` parameter, 2 s by default). */
export const BIDDING_WINDOW_MS = 2_000;

/** `fleet/robot` entries (config `rmf.sim_robots`) → robots by fleet. */
export function fleetsOf(robots: readonly string[]): Record<string, string[]> {
  const fleets: Record<string, string[]> = {};
  for (const entry of robots) {
    const [fleet, robot] = entry.split('/') as [string, string];
    (fleets[fleet] ??= []).push(robot);
  }
  return fleets;
}

/** A received request as the controls see it. */
export interface SimulatedRequest {
  requestId: string;
  /** json_msg parsed, or null if it was not JSON. */
  payload: unknown;
  type: string | null;
  category: string | null;
  labels: string[];
}

/** Which requests a control applies to: a predicate, or fields that must all match. */
export type RequestMatch =
  | ((request: SimulatedRequest) => boolean)
  | { type?: string; category?: string; requestId?: string; label?: string };

export interface ControlOptions {
  /** Apply to this many matching requests, then stop (default: every matching request). */
  times?: number;
}

export interface SimulatedDispatcher extends Dispatcher {
  readonly kind: 'simulated';
  /** The requests received, in order (the latest `history` of them). */
  readonly received: ApiRequestMsg[];
  /** The ApiResponses it sent (acks, answers, duplicates), in order (the latest `history`). */
  readonly sent: ApiResponseMsg[];
  /** Answer matching requests with `{success: false, errors}`. */
  reject(match: RequestMatch, errors: RmfError[], options?: ControlOptions): void;
  /** Never answer matching requests (the caller times out). */
  drop(match: RequestMatch, options?: ControlOptions): void;
  /** Answer every later request after `ms` on the clock. */
  delay(ms: number): void;
  /** Send `count` acknowledges (ApiResponse type 1), `everyMs` apart, before answering. */
  acknowledge(match: RequestMatch, ack: { count?: number; everyMs: number }, options?: ControlOptions): void;
  /** Send the final answer `copies` times (default 2). */
  duplicate(match: RequestMatch, copies?: number, options?: ControlOptions): void;
  /** Deliver any ApiResponse as if RMF had published it (stray ids, late answers…). */
  respond(msg: ApiResponseMsg): ResponseVerdict;
  onTaskState(listener: (taskId: string, state: unknown) => void): () => void;
  /** Publish a task state, as RMF's task_state_update would. */
  emitTaskState(state: { booking: { id: string } } & Record<string, unknown>): void;
  /** Cancel requests received, in order: [task id, answered canceled]. */
  readonly cancels: Array<[string, boolean]>;
  /** Answer the next cancel requests (`times`, default all) with a failure naming `errors`. */
  refuseCancel(errors: string[], options?: ControlOptions): void;
  /** Dispatch states (dispatcher's `dispatch_states`): assigned after bidding, or failed_to_assign. */
  onDispatchState(listener: (update: DispatchStateUpdate) => void): () => void;
  /** Forget controls, received/sent lists and the task id counter (like a restarted RMF). */
  reset(): void;
}

type Control =
  | { kind: 'reject'; match: RequestMatch; left: number; errors: RmfError[] }
  | { kind: 'drop'; match: RequestMatch; left: number }
  | { kind: 'ack'; match: RequestMatch; left: number; count: number; everyMs: number }
  | { kind: 'duplicate'; match: RequestMatch; left: number; copies: number };

function describe(msg: ApiRequestMsg): SimulatedRequest {
  let payload: unknown = null;
  try {
    payload = JSON.parse(msg.json_msg);
  } catch {
    payload = null;
  }
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const request = (typeof p.request === 'object' && p.request !== null ? p.request : {}) as Record<
    string,
    unknown
  >;
  return {
    requestId: msg.request_id,
    payload,
    type: typeof p.type === 'string' ? p.type : null,
    category: typeof request.category === 'string' ? request.category : null,
    labels: Array.isArray(request.labels)
      ? request.labels.filter((l): l is string => typeof l === 'string')
      : [],
  };
}

function matches(match: RequestMatch, request: SimulatedRequest): boolean {
  if (typeof match === 'function') return match(request);
  return (
    (match.type === undefined || match.type === request.type) &&
    (match.category === undefined || match.category === request.category) &&
    (match.requestId === undefined || match.requestId === request.requestId) &&
    (match.label === undefined || request.labels.includes(match.label))
  );
}

export function createSimulatedDispatcher(options: {
  clock: Clock;
  /** Answer this long after the request (default 0: on the clock's next tick). */
  latencyMs?: number;
  logger?: LogSink;
  /**
   * The site it stands for. Without it, every category, fleet and robot exists and nothing is
   * assigned after bidding (a bare stand-in for tests of the caller).
   */
  rmf?: SimulatedRmf;
  /**
   * How many requests and answers `received` / `sent` keep, and how many accepted task ids it
   * remembers for cancels (default 1,000 each): the stand-in runs for months in a service
   * without ROS, and must not keep every request it ever got.
   */
  history?: number;
}): SimulatedDispatcher {
  const { clock } = options;
  const site = options.rmf ?? null;
  const log = options.logger ?? silentSink;
  const pending = createPendingRequests({ clock, logger: log });
  const timers = new Set<unknown>();
  const listeners = new Set<(taskId: string, state: unknown) => void>();
  const dispatchListeners = new Set<(update: DispatchStateUpdate) => void>();
  let assignments = 0;
  let latencyMs = options.latencyMs ?? 0;
  let controls: Control[] = [];
  let nextTaskNumber = 0;
  let closed = false;
  /** Task ids it gave and has not cancelled. */
  const tasks = new Set<string>();
  const cancels: Array<[string, boolean]> = [];
  let cancelRefusals: Array<{ errors: string[]; left: number }> = [];
  const received: ApiRequestMsg[] = [];
  const sent: ApiResponseMsg[] = [];
  const history = options.history ?? 1_000;
  /** Keep the latest `history` items (trimmed in steps, so a push stays cheap). */
  const keep = <T>(list: T[], item: T): void => {
    list.push(item);
    if (list.length > history + Math.max(1, history >> 3)) list.splice(0, list.length - history);
  };
  /** Remember an accepted task id (the oldest forgotten past `history`). */
  const hold = (taskId: string): void => {
    tasks.add(taskId);
    if (tasks.size > history) tasks.delete(tasks.values().next().value as string);
  };

  /** The first control of this kind that matches, used up once. */
  function take<K extends Control['kind']>(
    kind: K,
    request: SimulatedRequest,
  ): Extract<Control, { kind: K }> | null {
    const control = controls.find((c) => c.kind === kind && c.left > 0 && matches(c.match, request));
    if (!control) return null;
    control.left -= 1;
    return control as Extract<Control, { kind: K }>;
  }

  function later(ms: number, fn: () => void): void {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
  }

  function send(msg: ApiResponseMsg): void {
    keep(sent, msg);
    pending.onResponse(msg);
  }

  function answerFor(read: ReadRequest, request: SimulatedRequest, rejection: RmfError[] | null): object {
    if (rejection) return refused(rejection);
    switch (read.type) {
      case 'malformed_robot_task_request':
        return refused([{ code: 5, category: 'Invalid request format', detail: read.detail }]);
      case 'robot_task_request':
        if (site && !site.categories.includes(read.category))
          return refused([
            {
              code: 4,
              category: 'Unsupported type',
              detail: `Fleet [${read.fleet}] does not support task category [${read.category}]`,
            },
          ]);
        hold(request.requestId);
        return robotAccepted(read.request, request.requestId, read.fleet, read.robot);
      case 'dispatch_task_request': {
        const id = `${read.category}.dispatch-${nextTaskNumber++}`;
        hold(id);
        const answeredAt = clock.now();
        if (site) later(BIDDING_WINDOW_MS, () => bid(read, id, answeredAt));
        return dispatchAccepted(read.request, id);
      }
    }
  }

  /** The end of bidding: a fleet that accepts the category (and is the one named, if any) wins. */
  function bid(
    read: Extract<ReadRequest, { type: 'dispatch_task_request' }>,
    taskId: string,
    since: number,
  ): void {
    if (!site || !tasks.has(taskId)) return; // cancelled in bidding
    const named = typeof read.request.fleet_name === 'string' ? read.request.fleet_name : null;
    const candidates = Object.entries(site.fleets).filter(
      ([fleet, robots]) => robots.length > 0 && (named === null || fleet === named),
    );
    const at = clock.now();
    let dispatch: FiringDispatch;
    if (!site.categories.includes(read.category) || candidates.length === 0) {
      tasks.delete(taskId);
      const error: RmfError = {
        code: 10,
        category: 'rejection',
        detail: `No fleet adapters offered a bid for task [${taskId}]`,
      };
      dispatch = {
        status: 'failed_to_assign',
        fleet: null,
        robot: null,
        errors: [JSON.stringify(error)],
        at,
      };
      const state = dispatchFailed(read.request, taskId, error);
      for (const listener of listeners) listener(taskId, state);
    } else {
      const [fleet, robots] = candidates[assignments % candidates.length] as [string, string[]];
      const robot = robots[assignments % robots.length] as string;
      assignments += 1;
      dispatch = { status: 'dispatched', fleet, robot, errors: [], at };
    }
    for (const listener of dispatchListeners) listener({ taskId, since, dispatch });
  }

  const hasLabel = (request: SimulatedRequest, labels: readonly string[]) =>
    labels.some((label) => request.labels.includes(label));

  function handle(msg: ApiRequestMsg): void {
    const request = describe(msg);
    if (take('drop', request))
      return log.debug('simulated RMF drops the request', { requestId: msg.request_id });
    if (site && hasLabel(request, site.silentLabels))
      return log.warn('simulated RMF stays silent (a drill: the request has a silent label)', {
        requestId: msg.request_id,
        labels: request.labels,
      });
    const read = readTaskRequest(msg.json_msg);
    if (!read) return log.debug('simulated RMF ignores the request', { requestId: msg.request_id });
    if (site && read.type === 'robot_task_request' && !site.fleets[read.fleet]?.includes(read.robot))
      // No fleet adapter matches: nobody answers (RMF_INTERFACE.md §3).
      return log.debug('simulated RMF has no such fleet or robot: no answer', {
        requestId: msg.request_id,
        fleet: read.fleet,
        robot: read.robot,
      });
    const rejection = take('reject', request)?.errors ?? null;
    const ack = take('ack', request);
    const copies = take('duplicate', request)?.copies ?? 1;
    const delayMs = latencyMs + (site && hasLabel(request, site.slowLabels) ? site.slowMs : 0);
    for (let i = 1; ack && i <= ack.count; i++) {
      later(ack.everyMs * i, () =>
        send({ type: API_RESPONSE_ACKNOWLEDGE, json_msg: '', request_id: msg.request_id }),
      );
    }
    later(delayMs, () => {
      const json = JSON.stringify(answerFor(read, request, rejection));
      for (let i = 0; i < copies; i++)
        send({ type: API_RESPONSE_RESPONDING, json_msg: json, request_id: msg.request_id });
    });
  }

  /**
   * RMF is another process: what it does with a request happens after the publish returns (in a
   * microtask, so still before the clock can move on). A burst of publishes is not slowed by the
   * stand-in's own parsing and answering.
   */
  let inbox: ApiRequestMsg[] = [];
  function receive(msg: ApiRequestMsg): void {
    inbox.push(msg);
    if (inbox.length === 1) queueMicrotask(drain);
  }
  function drain(): void {
    const batch = inbox;
    inbox = [];
    if (closed) return;
    for (const msg of batch) {
      try {
        handle(msg);
      } catch (error) {
        log.warn('simulated RMF failed on a request', { requestId: msg.request_id, error: String(error) });
      }
    }
  }

  const control = (c: Control): void => {
    controls.push(c);
  };
  const times = (o?: ControlOptions): number => o?.times ?? Number.POSITIVE_INFINITY;

  return {
    kind: 'simulated',
    received,
    sent,

    dispatch(request, { timeoutMs, onPublished }): Promise<DispatchAnswer> {
      if (closed) return Promise.resolve({ kind: 'failed', error: 'the simulated dispatcher is closed' });
      const answer = pending.wait(request.request_id, timeoutMs);
      keep(received, request);
      try {
        onPublished?.(clock.now());
      } catch (error) {
        log.warn('onPublished threw', { requestId: request.request_id, error: String(error) });
      }
      receive(request);
      return answer;
    },

    onTaskState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    onDispatchState(listener) {
      dispatchListeners.add(listener);
      return () => dispatchListeners.delete(listener);
    },

    /** Like RMF: a task it holds is cancelled; anything else fails (on the clock's next tick). */
    cancel(request) {
      if (closed)
        return Promise.resolve({
          state: 'failed',
          errors: ['the simulated dispatcher is closed'],
          at: clock.now(),
        });
      return new Promise((resolve) => {
        later(latencyMs, () => {
          const refusal = cancelRefusals.find((r) => r.left > 0);
          if (refusal) refusal.left -= 1;
          const held = refusal === undefined && tasks.delete(request.rmfTaskId);
          keep(cancels, [request.rmfTaskId, held] as [string, boolean]);
          if (held) resolve({ state: 'canceled', by: 'simulated', at: clock.now() });
          else
            resolve({
              state: 'failed',
              errors: refusal?.errors ?? [`the simulated RMF holds no task ${request.rmfTaskId}`],
              at: clock.now(),
            });
        });
      });
    },

    async close() {
      closed = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      pending.closeAll('the simulated dispatcher closed');
    },

    reject: (match, errors, o) => control({ kind: 'reject', match, errors, left: times(o) }),
    drop: (match, o) => control({ kind: 'drop', match, left: times(o) }),
    acknowledge: (match, ack, o) =>
      control({ kind: 'ack', match, count: ack.count ?? 1, everyMs: ack.everyMs, left: times(o) }),
    duplicate: (match, copies = 2, o) => control({ kind: 'duplicate', match, copies, left: times(o) }),
    delay(ms) {
      latencyMs = ms;
    },
    respond: (msg) => {
      keep(sent, msg);
      return pending.onResponse(msg);
    },
    cancels,
    refuseCancel(errors, o) {
      cancelRefusals.push({ errors, left: times(o) });
    },
    emitTaskState(state) {
      for (const listener of listeners) listener(state.booking.id, state);
    },
    reset() {
      controls = [];
      cancelRefusals = [];
      tasks.clear();
      cancels.length = 0;
      received.length = 0;
      sent.length = 0;
      nextTaskNumber = 0;
      assignments = 0;
      latencyMs = options.latencyMs ?? 0;
    },
  };
}
