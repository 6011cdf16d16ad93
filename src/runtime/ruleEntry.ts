/**
 * A rule as the engine keeps it between occurrences: a compact entry in the timer queue
 * (no actor), holding only what is needed to compute and arm its next firing.
 */
import type { Misfire, Rule } from '../rules/Rule.js';
import type { Schedule } from '../rules/Schedule.js';
import type { HeapNode } from './binaryHeap.js';
import type { OverrideIndex, PlannedFiring } from './occurrenceSequence.js';
import type { SchedulingEntry } from './ports.js';
import type { RuleActor } from './ruleMachine.js';

export interface RuleEntry extends HeapNode {
  readonly id: string;
  version: number;
  enabled: boolean;
  schedule: Schedule;
  leadTimeMs: number;
  misfire: Misfire;
  overrides: OverrideIndex;
  /** Firings with fireAt <= cursor are settled (fired, skipped, missed). */
  cursor: number;
  /** The armed firing, or null (disabled, ended). */
  next: PlannedFiring | null;
  /** next.fireAt − leadTimeMs: the timer queue's key. */
  dispatchAt: number;
  /** The armed firing is late on purpose (fire_once after downtime). */
  lateAccepted: boolean;
  /** Claim ahead by this much when activated (more when many fall due together), or null. */
  claimAheadMs: number | null;
  /** Waiting in the activation list. */
  queued: boolean;
  /** Its actor while the next firing is near or being claimed; otherwise null. */
  actor: RuleActor | null;
}

export function entryFromScheduling(
  row: SchedulingEntry,
  overrides: OverrideIndex,
  cursor: number,
): RuleEntry {
  return {
    heapIndex: -1,
    id: row.id,
    version: row.version,
    enabled: row.enabled,
    schedule: row.schedule,
    leadTimeMs: row.leadTimeMs,
    misfire: row.misfire,
    overrides,
    cursor,
    next: null,
    dispatchAt: 0,
    lateAccepted: false,
    claimAheadMs: null,
    queued: false,
    actor: null,
  };
}

export function entryFromRule(rule: Rule, overrides: OverrideIndex, cursor: number): RuleEntry {
  return entryFromScheduling(
    {
      id: rule.id,
      version: rule.version,
      enabled: rule.enabled,
      schedule: rule.schedule,
      leadTimeMs: rule.leadTimeMs,
      misfire: rule.misfire,
      lastDueAt: null,
      createdAt: rule.createdAt,
    },
    overrides,
    cursor,
  );
}
