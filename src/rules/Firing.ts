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

export interface Firing {
  id: string;
  ruleId: string;
  /** The occurrence's identity: its original instant (a manual trigger: the instant it was asked). */
  dueAt: number;
  /** The instant the occurrence was for (a moved occurrence: its new instant); RMF earliest start. */
  fireAt: number;
  trigger: FiringTrigger;
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
}
