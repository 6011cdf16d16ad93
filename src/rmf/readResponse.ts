/**
 * Reading RMF's answers (RMF_INTERFACE.md §5, §8) into firing outcomes. Pure.
 */
import type { DispatchAnswer } from '../runtime/ports.js';

export interface AnswerReading {
  status: 'dispatched' | 'rejected' | 'timed_out' | 'failed';
  /** RMF's task id (`state.booking.id`) when dispatched. */
  rmfTaskId: string | null;
  /** Why it was not dispatched, for people. */
  error: string | null;
  /** RMF's answer (json_msg parsed), when there was one. */
  response: unknown | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a dispatch answer means for the firing. */
export function readAnswer(answer: DispatchAnswer): AnswerReading {
  switch (answer.kind) {
    case 'timed_out':
      return {
        status: 'timed_out',
        rmfTaskId: null,
        error: answer.acknowledged
          ? 'RMF acknowledged the request but sent no final answer in time'
          : 'RMF did not answer in time (no RMF node handled the request, or it was refused without an answer)',
        response: null,
      };
    case 'failed':
      return { status: 'failed', rmfTaskId: null, error: answer.error, response: null };
    case 'responded':
      return readResponse(answer.response);
  }
}

function readResponse(response: unknown): AnswerReading {
  const failed = (error: string): AnswerReading => ({ status: 'failed', rmfTaskId: null, error, response });
  if (!isObject(response)) return failed('RMF answered with something that is not a JSON object');
  if (response.success === true) {
    const booking =
      isObject(response.state) && isObject(response.state.booking) ? response.state.booking : null;
    const id = booking?.id;
    if (typeof id !== 'string' || id === '') {
      return failed('RMF accepted the request but its answer has no task id (state.booking.id)');
    }
    return { status: 'dispatched', rmfTaskId: id, error: null, response };
  }
  // dispatch_task_response.json's failure branch requires nothing, so `{}` is a valid rejection.
  if (response.success === false || response.success === undefined) {
    return { status: 'rejected', rmfTaskId: null, error: summarizeErrors(response.errors), response };
  }
  return failed(`RMF answered with a non-boolean "success" (${JSON.stringify(response.success)})`);
}

/** `[{code, category, detail}…]` → "code 4 Unsupported type: …; code 20 …" (repeats merged). */
export function summarizeErrors(errors: unknown): string {
  const list = Array.isArray(errors) ? errors : [];
  const lines = list.map((e) => {
    if (!isObject(e)) return JSON.stringify(e);
    const code = typeof e.code === 'number' ? `code ${e.code}` : '';
    const category = typeof e.category === 'string' ? e.category : '';
    const head = [code, category].filter((s) => s !== '').join(' ');
    const detail = typeof e.detail === 'string' ? e.detail : '';
    return [head, detail].filter((s) => s !== '').join(': ') || JSON.stringify(e);
  });
  const unique = [...new Set(lines)];
  return unique.length === 0 ? 'RMF gave no reason' : unique.join('; ');
}

/**
 * A `task_state_update` message (std_msgs/String data, RMF_INTERFACE.md §8) → the task id and its
 * state; null for anything else (other message types, unparseable JSON, no booking id).
 */
export function readTaskStateUpdate(json: string): { taskId: string; state: unknown } | null {
  let message: unknown;
  try {
    message = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(message) || message.type !== 'task_state_update' || !isObject(message.data)) return null;
  const booking = message.data.booking;
  const taskId = isObject(booking) ? booking.id : undefined;
  if (typeof taskId !== 'string' || taskId === '') return null;
  return { taskId, state: message.data };
}
