/**
 * The waiting side of RMF's pseudo-service (RMF_INTERFACE.md §1, §9): requests in flight keyed
 * by request_id, each with a timeout on the injected clock. Every client sees every response, so
 * answers to ids we never sent are dropped, an acknowledge (type 1) restarts the timer, the first
 * final answer (type 2) wins and repeats are dropped. Shared by every Dispatcher transport.
 */
import type { ApiResponseMsg, Clock, DispatchAnswer } from '../runtime/ports.js';
import { silentSink, type LogSink } from './logSink.js';

export const API_RESPONSE_UNINITIALIZED = 0;
export const API_RESPONSE_ACKNOWLEDGE = 1;
export const API_RESPONSE_RESPONDING = 2;

/**
 * What became of one ApiResponse: `final` answered a pending request; `ack` extended its
 * timeout; `unknown` is for an id we are not waiting for and never were (another client's);
 * `duplicate` repeats an answer already taken; `late` came after the request timed out or
 * failed; `invalid` was for a pending request but unusable (type 0, unknown type, bad JSON), and
 * that request fails.
 */
export type ResponseVerdict = 'final' | 'ack' | 'unknown' | 'duplicate' | 'late' | 'invalid';

export interface PendingRequests {
  /**
   * Waits for the final answer to `requestId`; call it before publishing, so a fast answer is not
   * missed. Never rejects. Waiting again on an id already pending answers `failed` at once.
   */
  wait(requestId: string, timeoutMs: number): Promise<DispatchAnswer>;
  /** Feed every ApiResponse received; returns what it meant. */
  onResponse(msg: ApiResponseMsg): ResponseVerdict;
  /** Ends one wait with a failure (e.g. the publish threw). False if it was not pending. */
  fail(requestId: string, error: string): boolean;
  /** Requests still waiting. */
  readonly size: number;
  /** Ends every wait with `failed: reason` (shutdown). */
  closeAll(reason: string): void;
}

interface Entry {
  resolve(answer: DispatchAnswer): void;
  timer: unknown;
  timeoutMs: number;
  acknowledged: boolean;
}

type Ending = 'answered' | 'unanswered';

export function createPendingRequests(options: {
  clock: Clock;
  logger?: LogSink;
  /** How many finished ids to remember, to tell duplicates and late answers from strangers. */
  remember?: number;
}): PendingRequests {
  const { clock } = options;
  const log = options.logger ?? silentSink;
  const remember = options.remember ?? 1000;
  const pending = new Map<string, Entry>();
  const finished = new Map<string, Ending>();

  function finish(requestId: string, answer: DispatchAnswer): void {
    const entry = pending.get(requestId);
    if (!entry) return;
    pending.delete(requestId);
    clock.clearTimeout(entry.timer);
    finished.delete(requestId);
    finished.set(requestId, answer.kind === 'responded' ? 'answered' : 'unanswered');
    while (finished.size > remember) finished.delete(finished.keys().next().value as string);
    entry.resolve(answer);
  }

  function arm(requestId: string, entry: Entry): void {
    entry.timer = clock.setTimeout(
      () => finish(requestId, { kind: 'timed_out', acknowledged: entry.acknowledged }),
      Math.max(0, entry.timeoutMs),
    );
  }

  return {
    wait(requestId, timeoutMs) {
      if (pending.has(requestId)) {
        return Promise.resolve({
          kind: 'failed',
          error: `request id ${requestId} is already waiting for an answer`,
        });
      }
      return new Promise<DispatchAnswer>((resolve) => {
        const entry: Entry = { resolve, timer: undefined, timeoutMs, acknowledged: false };
        pending.set(requestId, entry);
        finished.delete(requestId);
        arm(requestId, entry);
      });
    },

    onResponse(msg) {
      const requestId = msg.request_id;
      const entry = pending.get(requestId);
      if (!entry) {
        const ending = finished.get(requestId);
        const verdict: ResponseVerdict =
          ending === 'answered' ? 'duplicate' : ending === 'unanswered' ? 'late' : 'unknown';
        if (verdict === 'late')
          log.warn('RMF answered a request after it timed out or failed', { requestId, type: msg.type });
        else log.debug(`dropped ${verdict} RMF response`, { requestId, type: msg.type });
        return verdict;
      }
      if (msg.type === API_RESPONSE_ACKNOWLEDGE) {
        clock.clearTimeout(entry.timer);
        entry.acknowledged = true;
        arm(requestId, entry);
        return 'ack';
      }
      if (msg.type !== API_RESPONSE_RESPONDING) {
        finish(requestId, {
          kind: 'failed',
          error: `RMF answered with ApiResponse type ${msg.type} (not a final answer)`,
        });
        return 'invalid';
      }
      let response: unknown;
      try {
        response = JSON.parse(msg.json_msg);
      } catch {
        finish(requestId, {
          kind: 'failed',
          error: `RMF answered with unparseable JSON: ${msg.json_msg.slice(0, 200)}`,
        });
        return 'invalid';
      }
      finish(requestId, { kind: 'responded', response, respondedAt: clock.now() });
      return 'final';
    },

    fail(requestId, error) {
      if (!pending.has(requestId)) return false;
      finish(requestId, { kind: 'failed', error });
      return true;
    },

    get size() {
      return pending.size;
    },

    closeAll(reason) {
      for (const requestId of [...pending.keys()]) finish(requestId, { kind: 'failed', error: reason });
    },
  };
}
