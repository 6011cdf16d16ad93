import type { Misfire, RetryPolicy } from './Rule.js';
import type { TaskSpec } from './Task.js';

/**
 * What REST (and other adapters) hand to the Scheduler to create or replace a rule, after the
 * wire body passed its schema. `schedule` is still in wire form (snake_case, see
 * rules/schedules.ts): the Scheduler normalizes it with the service's default zone and clock.
 */
export interface RuleInput {
  name: string;
  description?: string;
  enabled?: boolean;
  schedule: unknown;
  task: TaskSpec;
  metadata?: Record<string, unknown>;
  labels?: string[];
  leadTimeMs?: number;
  misfire?: Partial<Misfire>;
  retry?: RetryPolicy | null;
  /** The rule's id when the caller chose it (a fresh UUID; the rmf-web drop-in names it first). */
  id?: string;
  /**
   * Take the task as given (rmf-web's `/scheduled_tasks` accepts any description): only its
   * shape as a task spec is kept, not checked against RMF's schemas.
   */
  taskAsGiven?: boolean;
}

/**
 * A partial update (PATCH). `schedule`, when present, is a JSON merge patch (wire form) of the
 * stored schedule: the fields it does not name are kept, `null` removes one.
 */
export type RulePatch = Partial<RuleInput> & { disabledReason?: string | null };
