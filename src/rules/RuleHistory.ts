/**
 * The history of a rule: one entry per change made to it or to one of its occurrences, who made
 * it and why. Entries outlive the rule.
 */
import type { Actor } from './Rule.js';

export const RULE_HISTORY_ACTIONS = [
  'created',
  'updated',
  'replaced',
  'enabled',
  'disabled',
  'deleted',
  'triggered',
  'occurrence_disabled',
  'occurrence_enabled',
  'occurrence_moved',
  'occurrence_deleted',
  'overrides_carried',
  'overrides_removed',
] as const;

export type RuleHistoryAction = (typeof RULE_HISTORY_ACTIONS)[number];

/** One field of a rule before and after an edit (domain values). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

export interface RuleHistoryEntry {
  ruleId: string;
  /** Epoch ms. */
  at: number;
  actor: Actor;
  action: RuleHistoryAction;
  reason: string | null;
  /** Rule edits: the fields that changed, by domain name (schedule, leadTimeMs, …). */
  changes: Record<string, FieldChange> | null;
  /**
   * What else the entry says: the occurrence (`occurrence_id`, `moved_to`), a trigger (`firing_id`,
   * `forced`), the overrides carried or removed by an edit, the rule's name (created, deleted).
   */
  details: Record<string, unknown> | null;
}

/** Who did it and why, for a change about to be recorded. */
export interface ChangeNote {
  actor: Actor;
  reason?: string | null;
}
