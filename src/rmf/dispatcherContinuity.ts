/**
 * Whether a task id RMF's dispatcher gave earlier still names the same task (RMF_INTERFACE.md §6).
 * By default the dispatcher numbers tasks `<category>.dispatch-<n>` with a counter that starts
 * again at 0 when it restarts, so after a restart "patrol.dispatch-3" may be somebody else's
 * task: cancelling it, or recording its dispatch state on our firing, would be wrong. Ids made
 * unique (`use_unique_hex_string_with_task_id`, `use_timestamp_for_task_id`, a robot task's
 * request id) have no such problem.
 *
 * As far as the scheduler can tell, the dispatcher restarted when its counter went back (an id
 * not above the highest it gave since), or when its `dispatch_states` no longer list the newest
 * task it gave (they keep the last 100 finished ones; a restarted dispatcher has none). A
 * sequential id is trusted only if it was given since the last such sign, and not before this
 * process started (what happened while it was down is unknown). PURE: times are arguments.
 */

/** `<category>.dispatch-<n>` with n a decimal counter (below epoch-millisecond magnitudes). */
const SEQUENTIAL = /^.+\.dispatch-(\d{1,11})$/;
/** States published at most this long before an id was given may not list it yet. */
const STATES_GRACE_MS = 5_000;

/** The counter of a sequential dispatch task id, or null for an id that is unique by itself. */
export function dispatchCounter(taskId: string): number | null {
  const m = SEQUENTIAL.exec(taskId);
  return m ? Number(m[1]) : null;
}

export interface DispatcherContinuity {
  /** Since when the dispatcher is believed not to have restarted (epoch ms). */
  since(): number;
  /** The last sign of a restart, for messages. */
  lastRestart(): { at: number; why: string } | null;
  /** A task id the dispatcher gave us (its answer to a dispatch request), at `at`. */
  gave(taskId: string, at: number): void;
  /** The task ids listed in a `dispatch_states` message (active and finished), received at `at`. */
  listed(taskIds: readonly string[], at: number): void;
  /** The earliest instant a firing must have got this id at for it to name the same task. */
  trustedSince(taskId: string): number;
  /** Why an id got at `gotAt` may no longer name the same task, or null if it does. */
  doubt(taskId: string, gotAt: number | null): string | null;
}

export function createDispatcherContinuity(startedAt: number): DispatcherContinuity {
  let since = startedAt;
  let newest: { counter: number; id: string; at: number } | null = null;
  let restart: { at: number; why: string } | null = null;

  const restarted = (at: number, why: string) => {
    since = at;
    restart = { at, why };
    newest = null;
  };

  return {
    since: () => since,
    lastRestart: () => restart,
    gave(taskId, at) {
      const counter = dispatchCounter(taskId);
      if (counter === null) return;
      if (newest !== null && counter <= newest.counter) {
        restarted(at, `the dispatcher gave ${taskId} after ${newest.id}: its task counter started again`);
      }
      newest = { counter, id: taskId, at };
    },
    listed(taskIds, at) {
      if (newest === null || at - newest.at < STATES_GRACE_MS) return;
      const highest = Math.max(-1, ...taskIds.map((id) => dispatchCounter(id) ?? -1));
      if (highest < newest.counter) {
        restarted(at, `the dispatcher's dispatch_states no longer list ${newest.id}`);
      }
    },
    trustedSince: (taskId) => (dispatchCounter(taskId) === null ? 0 : since),
    doubt(taskId, gotAt) {
      if (dispatchCounter(taskId) === null) return null;
      if (gotAt !== null && gotAt >= since) return null;
      const why =
        restart?.why ??
        'it was given before this scheduler started, and the dispatcher may have restarted since';
      return `task id ${taskId} may name another task now (${why}); set the dispatcher parameter use_unique_hex_string_with_task_id to make task ids unique`;
    },
  };
}
