import type { Schedule } from './Schedule.js';
import type { TaskSpec } from './Task.js';

export type MisfirePolicy = 'fire_once' | 'skip';

export interface Misfire {
  /** fire_once: if the newest missed occurrence is within graceMs, fire it once, late. skip: never. */
  policy: MisfirePolicy;
  graceMs: number;
}

/** Retries of a failed or timed-out dispatch. Absent (null) = no retry. */
export interface RetryPolicy {
  /** Total attempts including the first, >= 2. */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles each further attempt. */
  backoffMs: number;
}

export interface Rule {
  id: string; // UUID
  name: string; // unique, 1..150 chars
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  schedule: Schedule;
  task: TaskSpec;
  metadata: Record<string, unknown>;
  labels: string[];
  /** Dispatch this long before each occurrence; the RMF earliest start stays the occurrence instant. */
  leadTimeMs: number;
  misfire: Misfire;
  retry: RetryPolicy | null;
  createdBy: string | null;
  createdAt: number; // epoch ms
  updatedAt: number; // epoch ms
  /** Optimistic concurrency: starts at 1, +1 on every change. */
  version: number;
}

/** What a repository needs to create a rule; id/version/timestamps are set by the store. */
export type NewRule = Omit<Rule, 'id' | 'createdAt' | 'updatedAt' | 'version'> & { id?: string };

/** A change to a rule: any subset of its editable fields. */
export type RuleChanges = Partial<
  Pick<
    Rule,
    | 'name'
    | 'description'
    | 'enabled'
    | 'disabledReason'
    | 'schedule'
    | 'task'
    | 'metadata'
    | 'labels'
    | 'leadTimeMs'
    | 'misfire'
    | 'retry'
  >
>;

/** Who did something: the JWT subject when auth is on, else null (or a ROS/CLI marker). */
export type Actor = string | null;
