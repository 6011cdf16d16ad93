/**
 * The facade the adapters (REST, ROS, CLI) call. It is the only way in: adapters parse input,
 * call one method, and present the result. Implemented by runtime/scheduler.ts (startScheduler).
 */
import type { Firing, FiringCancel, FiringStatus } from '../rules/Firing.js';
import type { OverrideCarry } from '../rules/overrideCarry.js';
import type { CalendarCursor, CalendarPage, Occurrence } from '../rules/Occurrence.js';
import type { Actor, Rule } from '../rules/Rule.js';
import type { DomainError } from '../rules/errors.js';
import type { RuleHistoryEntry } from '../rules/RuleHistory.js';
import type { RuleInput, RulePatch } from '../rules/RuleInput.js';
import type { RmfWebAnswer, RmfWebTask, RmfWebTaskInput } from '../rules/RmfWebTask.js';
import type { SchedulePreview } from '../rules/scheduleInstant.js';
import type { TriggerOptions } from './Engine.js';
import type { Page, RuleChange } from './ports.js';
import type { ReplicaView } from './replicaHeartbeat.js';

export type { ReplicaView };

export interface RuleView extends Rule {
  /** The next instant the rule will fire (moved/disabled occurrences considered), or null. */
  nextDueAt: number | null;
  /** disabled (not enabled), finished (enabled, no occurrence ahead) or active. */
  state: RuleActivity;
  /** After a change that disabled the rule: the tasks sent ahead of time RMF was asked to cancel. */
  cancellations?: Cancellation[];
}

/** The answer to an edit (PUT, PATCH): the rule, and what its new schedule did to its overrides. */
export interface RuleEditView extends RuleView {
  overrides: OverrideCarry;
}

export interface EditOptions {
  /** Say what the edit would do, and save nothing (no store write, no runtime change). */
  dryRun?: boolean;
}

/** A firing with its rule's zone (null when the rule was deleted since), for local times. */
export interface FiringView extends Firing {
  timezone: string | null;
}

/**
 * What a rule is doing: disabled (not enabled), finished (enabled, no occurrence ahead), or
 * active (enabled, with a next due instant).
 */
export type RuleActivity = 'active' | 'disabled' | 'finished';

export interface RuleListQuery {
  enabled?: boolean;
  state?: RuleActivity;
  label?: string;
  nameContains?: string;
  /** Only rules whose next due instant is before / at-or-after this instant. */
  nextDueBefore?: number;
  nextDueAfter?: number;
  sort?: 'name' | 'created_at' | '-created_at' | 'updated_at' | '-updated_at' | 'next_due_at';
  limit: number;
  offset: number;
}

export interface OccurrenceQuery {
  ruleId?: string;
  label?: string;
  /** Window [from, to) over effective instants; at most 366 days wide. */
  from: number;
  to: number;
  limit: number;
  /** Only what comes after this place in the calendar's order (the previous page's next). */
  after?: CalendarCursor;
}

export interface FiringListQuery {
  ruleId?: string;
  status?: FiringStatus[];
  rmfTaskId?: string;
  /** The rule's name when it fired (exact): also finds a deleted or renamed rule's firings. */
  ruleName?: string;
  from?: number;
  to?: number;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface OccurrenceChange {
  enabled?: boolean;
  /** Move to this instant (epoch ms). */
  at?: number;
  reason?: string | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  store: {
    ok: boolean;
    dialect: string;
    error?: string;
    /** Claims waiting for the store to come back (tried again until it does). */
    pendingClaims: number;
    /** Outcomes and history rows kept in memory until the store takes them. */
    unwrittenOutcomes: number;
  };
  rmf: { transport: 'ros' | 'simulated'; simulated: boolean };
  rules: { total: number; enabled: number; armed: number };
  replicaId: string;
  /** Replicas sharing the store alive at the last heartbeat (null: no heartbeat kept). */
  replicas: { alive: number } | null;
  /** This clock minus the database's at the last heartbeat, in ms (null: not measured). */
  clockSkewMs: number | null;
  startedAt: number;
  now: number;
}

/** What the scheduler tells the world (ROS ~/events, ~/rules, logs, metrics). */
export type SchedulerEvent =
  | { type: 'firing.recorded'; firing: Firing; ruleName: string; latenessMs: number | null }
  /** A recorded firing learned more: a cancellation asked of RMF, or RMF's dispatch state. */
  | { type: 'firing.updated'; firing: Firing; ruleName: string; change: 'cancel' | 'dispatch' }
  | { type: 'rules.changed'; ruleIds: string[] };

/** A task sent to RMF ahead of time that the operator took back: RMF was asked to cancel it. */
export interface Cancellation {
  firing: Firing;
  cancel: FiringCancel;
}

/** What a change that takes occurrences back reports (empty when nothing had been sent). */
export interface Withdrawal {
  cancellations: Cancellation[];
}

/** A rule a change made for a label left as it was, and why. */
export interface LabelSkip {
  id: string;
  error: DomainError;
}

export interface RuleSummary {
  id: string;
  name: string;
  enabled: boolean;
  state: RuleActivity;
  nextDueAt: number | null;
  labels: string[];
}

export interface RmfWebTaskQuery {
  /** Keep tasks with start_from <= this, or none. */
  startBefore: number;
  /** Keep tasks with until >= this, or none. */
  untilAfter: number;
  limit: number;
  offset: number;
  /** Fields to sort by, `-` for descending (id breaks ties, ascending). */
  orderBy: Array<{ field: 'id' | 'start_from' | 'until' | 'last_ran' | 'created_by'; desc: boolean }>;
}

/**
 * rmf-web's scheduled tasks, each one rule (rules/RmfWebTask.ts), by their integer ids: what the
 * `/scheduled_tasks` drop-in calls. NOT_FOUND for an id that names no task.
 */
export interface RmfWebTasks {
  create(input: RmfWebTaskInput, actor: Actor): Promise<RmfWebTask>;
  /** The task, or why rmf-web's model cannot express its rule (edited through /rules). */
  get(id: number): Promise<RmfWebAnswer>;
  /** The tasks rmf-web's model can express, filtered and paged (the others are left out). */
  list(query: RmfWebTaskQuery): Promise<RmfWebTask[]>;
  /** Adds a local date of the server zone to the rule's except dates. */
  addExceptDate(id: number, date: string, actor: Actor): Promise<void>;
  /** Replaces the task (a full replace, as rmf-web's /update). */
  update(id: number, input: RmfWebTaskInput, actor: Actor): Promise<RmfWebTask>;
  delete(id: number, actor: Actor): Promise<void>;
}

export interface Scheduler {
  /** rmf-web's scheduled tasks; absent when the store keeps no rmf-web ids. */
  rmfWeb?: RmfWebTasks;
  createRule(input: RuleInput, actor: Actor): Promise<RuleView>;
  getRule(id: string): Promise<RuleView>;
  /** The rule and its next `count` (0 to 1,000) occurrences after now, from one store read. */
  getRuleWithUpcoming(id: string, count: number): Promise<{ rule: RuleView; upcoming: Occurrence[] }>;
  listRules(query: RuleListQuery): Promise<Page<RuleView>>;
  /**
   * Full replace (an omitted schedule start keeps the stored one); expectedVersion null =
   * unconditional. When the schedule changes, pending overrides follow it (see overrideCarry.ts).
   */
  replaceRule(
    id: string,
    input: RuleInput,
    expectedVersion: number | null,
    actor: Actor,
    options?: EditOptions,
  ): Promise<RuleEditView>;
  /** Partial update (the schedule merge-patched); overrides follow a new schedule as for replace. */
  updateRule(
    id: string,
    patch: RulePatch,
    expectedVersion: number | null,
    actor: Actor,
    options?: EditOptions,
  ): Promise<RuleEditView>;
  /** Deletes it; tasks already sent to RMF for occurrences still ahead are cancelled. */
  deleteRule(id: string, expectedVersion: number | null, actor: Actor): Promise<Withdrawal>;
  setRuleEnabled(
    id: string,
    enabled: boolean,
    reason: string | null,
    expectedVersion: number | null,
    actor: Actor,
  ): Promise<RuleView>;
  /**
   * Enable or disable every rule carrying `label` (exact) that is not so already, with one
   * reason: each gets its history entry (with the label). Rules that cannot be enabled (no
   * occurrence ahead any more) are skipped, saying why.
   */
  setLabelEnabled(
    label: string,
    enabled: boolean,
    reason: string | null,
    actor: Actor,
  ): Promise<{ changed: RuleView[]; skipped: LabelSkip[] }>;
  /**
   * The rule's history, newest first: every change, who made it and why. Readable after the rule
   * is deleted; RULE_NOT_FOUND only for an id that never named a rule.
   */
  ruleHistory(id: string, limit: number, offset: number): Promise<Page<RuleHistoryEntry>>;
  /** Fire now, once, without touching the schedule; resolves with the recorded firing (outcome known). */
  /**
   * A disabled rule is refused with RULE_DISABLED (details.reason: why it was disabled) unless
   * `force`; the rule's history records who triggered it and whether it was forced.
   */
  triggerRule(id: string, actor: Actor, options?: TriggerOptions): Promise<FiringView>;
  /** The next `count` occurrences of one rule after now. */
  upcoming(id: string, count: number): Promise<Occurrence[]>;
  occurrences(query: OccurrenceQuery): Promise<Occurrence[]>;
  /** The same occurrences grouped by effective instant, plain ones compactly (for large calendars). */
  calendar(query: OccurrenceQuery): Promise<CalendarPage>;
  getOccurrence(id: string): Promise<Occurrence>;
  /**
   * Disable, enable or move it. If its task was already sent to RMF (lead time) and has not
   * started, disabling asks RMF to cancel it; moving cancels it and sends it again for the new
   * time (refused, changing nothing, if RMF does not cancel it).
   */
  updateOccurrence(id: string, change: OccurrenceChange, actor: Actor): Promise<Occurrence & Withdrawal>;
  deleteOccurrence(id: string, reason: string | null, actor: Actor): Promise<Withdrawal>;
  /** Instants of a wire-form schedule in [from, to), at most `limit`; INVALID_INPUT names the field. */
  preview(schedule: unknown, from: number, to: number, limit: number): SchedulePreview;
  listFirings(query: FiringListQuery): Promise<Page<FiringView>>;
  getFiring(id: string): Promise<FiringView>;
  /** Every rule, compactly, with its next due instant (for ROS ~/rules). */
  rulesSummary(): Promise<RuleSummary[]>;
  health(): Promise<HealthReport>;
  /** The replicas sharing the store (heartbeat rows) with their state; empty without heartbeats. */
  replicas(): Promise<ReplicaView[]>;
  /**
   * The store's log of rule and occurrence changes after `after` (its seq, the same on every
   * replica sharing the store), oldest first, at most `limit`.
   */
  ruleChanges(after: number, limit: number): Promise<RuleChange[]>;
  /** The newest change seq (0 if none). */
  latestChangeSeq(): Promise<number>;
  onEvent(listener: (event: SchedulerEvent) => void): () => void;
  stop(): Promise<void>;
}
