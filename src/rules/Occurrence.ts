import type { FiringStatus } from './Firing.js';

export type OverrideAction = 'disabled' | 'deleted' | 'moved';

/** An operator's change to one occurrence of a rule ("edit this one only"). */
export interface OccurrenceOverride {
  ruleId: string;
  /** The occurrence's original instant (its identity). */
  occurrenceAt: number;
  action: OverrideAction;
  /** For 'moved': the new instant. */
  movedTo: number | null;
  reason: string | null;
  by: string | null;
  updatedAt: number;
}

export type OccurrenceState = 'scheduled' | 'disabled' | 'deleted' | 'moved' | FiringStatus;

/** One item of the calendar. */
export interface Occurrence {
  /** Stable id derived from (ruleId, original instant); see ids.ts. */
  id: string;
  ruleId: string;
  ruleName: string;
  /** The original instant. */
  originalAt: number;
  /** The effective instant (moved → the new one). */
  at: number;
  state: OccurrenceState;
  /** When past and fired: the firing's id. */
  firingId: string | null;
  rmfTaskId: string | null;
}
