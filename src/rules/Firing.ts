/**
 * One row of firing history: an occurrence that fell due (or a manual trigger) and what became
 * of it. (ruleId, dueAt, trigger) is unique: that key is the exactly-once claim.
 */
export type FiringStatus =
  | 'claimed' // durably claimed, outcome not yet known
  | 'dispatched' // RMF accepted it (rmfTaskId set)
  | 'rejected' // RMF answered success=false (errors in response / error)
  | 'timed_out' // RMF never answered in time
  | 'failed' // could not be published / internal error
  | 'skipped' // not sent on purpose: rule disabled/ended, occurrence disabled/deleted/moved (reason in error)
  | 'missed'; // fell due while the service was down and the misfire policy did not fire it

export const TERMINAL_STATUSES: readonly FiringStatus[] = [
  'dispatched',
  'rejected',
  'timed_out',
  'failed',
  'skipped',
  'missed',
];

export type FiringTrigger = 'schedule' | 'manual';

/** A request to RMF to cancel the firing's task, because the operator took it back. */
export type CancelState = 'requested' | 'canceled' | 'failed';

export interface FiringCancel {
  state: CancelState;
  /** When it was asked (requested) or answered (canceled, failed). */
  at: number;
  /** Why it failed (RMF's errors, no answer in time, …); empty otherwise. */
  errors: string[];
  /** What the operator did: "the occurrence was disabled", "the rule was deleted", … */
  reason: string;
  /** The RMF task it is about (after a move, the firing carries the task sent for the new time). */
  rmfTaskId: string;
  /** Who cancelled it: RMF's dispatcher (still bidding), the fleet adapter holding it, the stand-in. */
  by: 'dispatcher' | 'fleet_adapter' | 'simulated' | null;
}

/** DispatchState.status of RMF's dispatcher (RMF_INTERFACE.md §8), as words. */
export type DispatchStatus = 'queued' | 'selected' | 'dispatched' | 'failed_to_assign' | 'canceled_in_flight';

/** What RMF's dispatcher did with the task after accepting it for bidding (`dispatch_states`). */
export interface FiringDispatch {
  status: DispatchStatus;
  /** The fleet it was assigned to (dispatched), and the robot the fleet expected to use. */
  fleet: string | null;
  robot: string | null;
  /** RMF's errors (failed_to_assign). */
  errors: string[];
  /** When this state was first seen. */
  at: number;
}

export interface Firing {
  id: string;
  ruleId: string;
  /** The occurrence's identity: its original instant (a manual trigger: the instant it was asked). */
  dueAt: number;
  /** The instant the occurrence was for (a moved occurrence: its new instant); RMF earliest start. */
  fireAt: number;
  trigger: FiringTrigger;
  /** The rule's name when it fired (kept after a rename or delete); null if unknown. */
  ruleName: string | null;
  /** Who triggered it by hand (the token's user); null for scheduled firings or without auth. */
  triggeredBy: string | null;
  status: FiringStatus;
  requestId: string | null;
  /** The ApiRequest json_msg sent, parsed. */
  request: unknown | null;
  /** RMF's answer, parsed. */
  response: unknown | null;
  rmfTaskId: string | null;
  /** Human-readable reason for skipped/missed/rejected/failed/timed_out. */
  error: string | null;
  attempts: number;
  claimedAt: number | null;
  publishedAt: number | null;
  respondedAt: number | null;
  replicaId: string | null;
  /** The latest RMF task state seen for rmfTaskId (Kilted+ task_state_update), if followed. */
  taskState: unknown | null;
  /** The cancellation asked of RMF when the operator took the occurrence back, if any. */
  cancel: FiringCancel | null;
  /** What RMF's dispatcher did with the task (assigned to a fleet, failed to assign), if seen. */
  dispatch: FiringDispatch | null;
}
