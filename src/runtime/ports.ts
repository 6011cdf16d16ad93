/**
 * The ports of the runtime: everything it needs from the outside, as interfaces. The store
 * (src/store/) implements the repositories, src/rmf/ and src/ros/ implement Dispatcher, and
 * runtime/wallClock.ts implements Clock. Tests use fakes and a simulated clock.
 */
import type { Firing, FiringCancel, FiringDispatch, FiringStatus, FiringTrigger } from '../rules/Firing.js';
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import type { OverrideCarry } from '../rules/overrideCarry.js';
import type { Actor, NewRule, Rule, RuleChanges } from '../rules/Rule.js';
import type { ChangeNote, RuleHistoryAction, RuleHistoryEntry } from '../rules/RuleHistory.js';

// ---------------------------------------------------------------------------------------------
// Time

/** The shape XState's `createActor(machine, { clock })` calls, plus now(). Epoch ms, UTC. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// ---------------------------------------------------------------------------------------------
// Paging

export interface Page<T> {
  items: T[];
  /** Total number of items matching the filters (ignoring limit/offset). */
  total: number;
  limit: number;
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// Rules

export interface RuleQuery {
  enabled?: boolean;
  /** Rules carrying this label (exact match). */
  label?: string;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  /** Only these ids (used by the calendar and by next-due filters). */
  ids?: string[];
  /** Sort: name ascending (default), created_at ascending/descending; id breaks ties (stable). */
  sort?: 'name' | 'created_at' | '-created_at' | 'updated_at' | '-updated_at';
  limit: number;
  offset: number;
}

/** What a calendar needs of a rule. */
export type RuleHead = Pick<Rule, 'id' | 'name' | 'enabled' | 'version' | 'schedule'>;

/** The compact form the runtime loads for every rule at start-up (100k rules must load fast). */
export interface SchedulingEntry {
  id: string;
  version: number;
  enabled: boolean;
  schedule: Rule['schedule'];
  leadTimeMs: number;
  misfire: Rule['misfire'];
  /** The newest dueAt among this rule's firings with trigger 'schedule', or null if none. */
  lastDueAt: number | null;
  /** When the rule was created: missed occurrences are never counted from before it. */
  createdAt: number;
}

export interface RuleChange {
  /** Monotonic sequence number of the change (the cursor). */
  seq: number;
  ruleId: string;
  kind: 'upsert' | 'delete' | 'override';
}

export interface RuleWithOverrides {
  rule: Rule;
  overrides: OccurrenceOverride[];
}

/** How a rule's overrides follow an edit of its schedule, decided inside the edit's transaction. */
export interface OverrideReplan {
  /** The overrides re-planned: those whose original or moved-to instant is at or after this. */
  from: number;
  /** Pure: where each of them goes, given the rule before and after the edit. */
  plan(before: Rule, after: Rule, pending: OccurrenceOverride[]): OverrideCarry;
}

/** An edit's result: the rule as written and what happened to its overrides. */
export interface RuleEdit {
  rule: Rule;
  overrides: OverrideCarry;
}

/** Who made an edit, why, and what it records in the rule's history (with the fields changed). */
export interface RuleEditNote extends ChangeNote {
  action: Extract<RuleHistoryAction, 'updated' | 'replaced' | 'enabled' | 'disabled'>;
  details?: Record<string, unknown> | null;
}

export interface RuleRepository {
  /** Throws ALREADY_EXISTS if the name is taken, INVALID_INPUT for a bad value. */
  create(rule: NewRule): Promise<Rule>;
  /** Throws RULE_NOT_FOUND. */
  get(id: string): Promise<Rule>;
  find(id: string): Promise<Rule | null>;
  /**
   * The rule and its overrides with occurrenceAt or movedTo >= from (ordered by occurrenceAt), in
   * one read. Throws RULE_NOT_FOUND.
   */
  getWithOverrides(id: string, from: number): Promise<RuleWithOverrides>;
  /** Several at once (missing ids are simply absent from the result). */
  getMany(ids: string[]): Promise<Rule[]>;
  /**
   * Applies the changes and bumps version. expectedVersion null = unconditional.
   * Throws RULE_NOT_FOUND, VERSION_CONFLICT (details.expected, details.actual), ALREADY_EXISTS.
   */
  update(
    id: string,
    expectedVersion: number | null,
    changes: RuleChanges,
    note?: RuleEditNote,
  ): Promise<Rule>;
  /**
   * The same, and when the changes hold a schedule, the rule's overrides from `replan.from` on
   * are carried or removed as `replan.plan` says, in the same transaction (recorded in the rule's
   * history as overrides_carried / overrides_removed).
   */
  edit(
    id: string,
    expectedVersion: number | null,
    changes: RuleChanges,
    replan: OverrideReplan | undefined,
    note?: RuleEditNote,
  ): Promise<RuleEdit>;
  /**
   * Deletes the rule and its overrides; keeps its firing history and its rule history (with a
   * `deleted` entry). Throws RULE_NOT_FOUND, VERSION_CONFLICT.
   */
  delete(id: string, expectedVersion: number | null, note?: ChangeNote): Promise<void>;
  /**
   * The rule's history, newest first. Throws RULE_NOT_FOUND only for an id that never named a
   * rule (a deleted rule's history stays readable).
   */
  history(id: string, limit: number, offset: number): Promise<Page<RuleHistoryEntry>>;
  list(query: RuleQuery): Promise<Page<Rule>>;
  /**
   * Every rule matching the filters, in no particular order, each with only what a calendar needs
   * (no task, metadata or labels to read): one query, no paging, no total.
   */
  listHeads(filters: Omit<RuleQuery, 'sort' | 'limit' | 'offset'>): Promise<RuleHead[]>;
  /** Every rule (enabled or not) in compact form, for the runtime's start-up. */
  loadSchedulingEntries(): Promise<SchedulingEntry[]>;
  /** Changes after `cursor` (exclusive), oldest first, at most `limit`. */
  changesSince(cursor: number, limit: number): Promise<RuleChange[]>;
  /** The newest change seq (0 if none): a replica starts following from here. */
  latestChangeSeq(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Occurrence overrides

export interface OverrideRepository {
  /**
   * Insert or replace the override of (ruleId, occurrenceAt). Records a RuleChange 'override' and
   * the rule's history entry (occurrence_disabled / _moved / _deleted, by override.by).
   */
  set(override: OccurrenceOverride): Promise<OccurrenceOverride>;
  /** Remove it (no error if absent). Records a RuleChange 'override' and an occurrence_enabled entry. */
  clear(ruleId: string, occurrenceAt: number, note?: ChangeNote): Promise<void>;
  get(ruleId: string, occurrenceAt: number): Promise<OccurrenceOverride | null>;
  /**
   * Overrides whose occurrenceAt OR movedTo lies in [from, to), for the given rules (all if
   * ruleIds is undefined).
   */
  listInWindow(from: number, to: number, ruleIds?: string[]): Promise<OccurrenceOverride[]>;
  /** Every override of one rule with occurrenceAt or movedTo >= from. */
  listForRule(ruleId: string, from: number): Promise<OccurrenceOverride[]>;
}

// ---------------------------------------------------------------------------------------------
// Firings

export interface ClaimRequest {
  ruleId: string;
  dueAt: number;
  fireAt: number;
  trigger: FiringTrigger;
  /** Fresh UUID-based id of the RMF ApiRequest this firing will send. */
  requestId: string;
  claimedAt: number;
  replicaId: string;
  /** A manual trigger: who asked, and whether a disabled rule was fired anyway (force). */
  manual?: ManualTrigger;
}

export interface ManualTrigger {
  by: Actor;
  forced: boolean;
  reason: string | null;
}

/**
 * The runtime's decision for one claim, made inside the claim transaction from the freshly read
 * rule and override. 'claim' inserts a `claimed` row; 'skip' inserts a `skipped` row with the
 * reason in `error` (nothing will be published).
 */
export type ClaimDecision = { action: 'claim' } | { action: 'skip'; reason: string };

export type ClaimDecider = (
  claim: ClaimRequest,
  rule: Rule | null,
  override: OccurrenceOverride | null,
) => ClaimDecision;

export type ClaimResult =
  | { status: 'claimed'; firing: Firing; rule: Rule }
  | { status: 'skipped'; firing: Firing; reason: string }
  /** A row for (ruleId, dueAt, trigger) already existed: someone else (a timer, a replica) has it. */
  | { status: 'already_claimed'; existing: Firing | null };

export interface FiringOutcome {
  ruleId: string;
  dueAt: number;
  trigger: FiringTrigger;
  status: Exclude<FiringStatus, 'claimed'>;
  requestId: string | null;
  request: unknown | null;
  response: unknown | null;
  rmfTaskId: string | null;
  error: string | null;
  attempts: number;
  publishedAt: number | null;
  respondedAt: number | null;
}

/** A history row written without a claim: missed (down time) or skipped at start-up. */
export interface HistoryRecord {
  ruleId: string;
  dueAt: number;
  fireAt: number;
  trigger: FiringTrigger;
  status: 'missed' | 'skipped';
  error: string;
  replicaId: string;
  recordedAt: number;
}

export interface FiringQuery {
  ruleId?: string;
  status?: FiringStatus[];
  /** The task id RMF gave it. */
  rmfTaskId?: string;
  /** The rule's name when it fired (exact). */
  ruleName?: string;
  /** dueAt window [from, to). */
  from?: number;
  to?: number;
  /** Only firings whose instant (fireAt) is after this (tasks that have not started). */
  firesAfter?: number;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface FiringRepository {
  /**
   * Group commit: one transaction for the whole batch. For each request, in order: read its rule
   * and its override (ruleId, dueAt), ask `decide`, then insert a `claimed` or `skipped` row.
   * The unique (rule_id, due_at, trigger) index decides races: a request whose row already
   * exists (from anyone, any replica) gets 'already_claimed'. Results are in request order.
   * When this resolves, every claimed row is durable.
   */
  claimBatch(requests: ClaimRequest[], decide: ClaimDecider): Promise<ClaimResult[]>;
  /** Group commit of outcomes (one transaction); updates the rows from 'claimed'. */
  recordOutcomes(outcomes: FiringOutcome[]): Promise<void>;
  /** Insert missed/skipped rows, ignoring ones whose key already exists. Returns how many were inserted. */
  recordHistory(records: HistoryRecord[]): Promise<number>;
  /** Every row still 'claimed' (a previous process died between claim and outcome). */
  listUnresolved(): Promise<Firing[]>;
  get(id: string): Promise<Firing>;
  find(ruleId: string, dueAt: number, trigger: FiringTrigger): Promise<Firing | null>;
  list(query: FiringQuery): Promise<Page<Firing>>;
  /** Firings of these rules with dueAt in [from, to) (for the calendar), any status. */
  listInWindow(from: number, to: number, ruleIds?: string[]): Promise<Firing[]>;
  /** Record the latest RMF task state seen for a dispatched task. */
  updateTaskState(rmfTaskId: string, state: unknown): Promise<void>;
  /** Record the cancellation asked of RMF for one firing; returns the firing as stored. */
  setCancel(firingId: string, cancel: FiringCancel): Promise<Firing>;
  /**
   * Record what RMF's dispatcher did with a task on the firings that got this task id at or after
   * `since` (dispatch task ids repeat after a dispatcher restart); returns the firings whose
   * dispatch state changed (the dispatcher republishes the same states every 2 s).
   */
  recordDispatch(rmfTaskId: string, since: number, dispatch: FiringDispatch): Promise<Firing[]>;
  /**
   * A dispatched firing whose task RMF cancelled because its occurrence moved: back to `claimed`
   * for its new instant with a fresh request id, to be sent again (its cancel record stays).
   * Null if it is not `dispatched` (any more).
   */
  reopenForResend(firingId: string, fireAt: number, requestId: string): Promise<Firing | null>;
}

/** The whole store, as main.ts opens it. */
/** The integer ids of rmf-web's scheduled tasks (the `/scheduled_tasks` drop-in, the importer). */
export interface RmfWebTaskRepository {
  /** Gives the rule an id: the one asked (ALREADY_EXISTS when taken, even by a deleted task) or a new one. */
  assign(ruleId: string, id?: number): Promise<number>;
  /** The rule an id names, or null (never given, or its task deleted). */
  ruleOf(id: number): Promise<string | null>;
  /** Every live id with its rule, ascending. */
  list(): Promise<Array<{ id: number; ruleId: string }>>;
  /** The task is deleted: its id names no rule again, and is never given again. */
  release(id: number): Promise<void>;
}

/** One scheduler process sharing the store, as its heartbeat row says. */
export interface ReplicaRecord {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
  /** When the database last heard from it, by the database's clock. */
  lastSeenAt: number;
  intervalMs: number;
  /** Set when it stopped cleanly. */
  stoppedAt: number | null;
}

export interface ReplicaRepository {
  /**
   * Record this replica as started (its row replaced). Refuses (ALREADY_EXISTS) while a live
   * replica, seen within `liveWithinMs` by the database's clock, has the same id. Returns the
   * database's clock.
   */
  register(
    replica: Omit<ReplicaRecord, 'lastSeenAt' | 'stoppedAt' | 'startedAt'>,
    liveWithinMs: number,
  ): Promise<number>;
  /** A heartbeat: last seen = the database's now. Returns the database's clock. */
  beat(id: string): Promise<number>;
  /** Stopped cleanly (its claims are settled or left for the next start). */
  stopped(id: string): Promise<void>;
  /** Every replica row, and the database's clock when they were read. */
  list(): Promise<{ replicas: ReplicaRecord[]; dbNow: number }>;
}

export interface Store {
  rules: RuleRepository;
  /** Absent in stores that do not keep them (test doubles). */
  replicas?: ReplicaRepository;
  overrides: OverrideRepository;
  firings: FiringRepository;
  /** Absent in stores that do not keep them (test doubles). */
  rmfWebTasks?: RmfWebTaskRepository;
  /** Cheap round trip to the database; throws STORE_UNAVAILABLE. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** 'sqlite' | 'postgres' | 'mysql' | 'mariadb'. */
  readonly dialect: string;
}

// ---------------------------------------------------------------------------------------------
// RMF

/** `rmf_task_msgs/msg/ApiRequest` as rclnodejs represents it. */
export interface ApiRequestMsg {
  json_msg: string;
  request_id: string;
}

/** `rmf_task_msgs/msg/ApiResponse`: type 0 uninitialized, 1 acknowledge, 2 responding. */
export interface ApiResponseMsg {
  type: number;
  json_msg: string;
  request_id: string;
}

export type DispatchAnswer =
  /** RMF's final answer (ApiResponse type 2) for this request id; `response` is json_msg parsed. */
  | { kind: 'responded'; response: unknown; respondedAt: number }
  /** No final answer within the timeout (each acknowledge restarts it). */
  | { kind: 'timed_out'; acknowledged: boolean }
  /** The request could not be published, or the answer was unusable (unparseable JSON, type 0). */
  | { kind: 'failed'; error: string };

/** What the scheduler asks RMF to cancel: one task it was given, and how it got it. */
export interface CancelRequest {
  rmfTaskId: string;
  /** When RMF gave the id (the firing's respondedAt): dispatch task ids repeat after a restart. */
  gotAt: number | null;
  /** Labels describing the cancellation (RMF's cancel_task_request `labels`). */
  labels: string[];
}

export type CancelAnswer =
  | { state: 'canceled'; by: 'dispatcher' | 'fleet_adapter' | 'simulated'; at: number }
  | { state: 'failed'; errors: string[]; at: number };

/** A dispatch state RMF's dispatcher published for one task (`dispatch_states`). */
export interface DispatchStateUpdate {
  taskId: string;
  /** Firings that got this id before this instant hold another task of the same id. */
  since: number;
  dispatch: FiringDispatch;
}

/** RMF's clock when it is not the wall clock (use_sim_time: the ROS clock from /clock). */
export interface RmfClock {
  /**
   * ROS time minus wall time now, in ms; waits up to `waitMs` for the first /clock message and
   * resolves null if none came.
   */
  offsetMs(waitMs: number): Promise<number | null>;
}

export interface Dispatcher {
  /** 'ros' = a real RMF over rclnodejs; 'simulated' = the in-process stand-in. */
  readonly kind: 'ros' | 'simulated';
  /**
   * Publish one ApiRequest and wait for the ApiResponse with the same request_id.
   * `publishedAt` is called with the clock's time right after the publish call returned.
   * Never rejects: failures are answers.
   */
  dispatch(
    request: ApiRequestMsg,
    options: { timeoutMs: number; onPublished?: (publishedAt: number) => void },
  ): Promise<DispatchAnswer>;
  /**
   * After a restart: answers RMF already gave to requests published by a previous process
   * (RMF's responses are TRANSIENT_LOCAL and replayed to a new subscriber). Waits up to `waitMs`
   * for replays of these ids; an id absent from the result was not (or no longer) answered.
   */
  recover?(requestIds: string[], waitMs: number): Promise<Map<string, DispatchAnswer>>;
  /** Task states from RMF (`task_state_update`, Kilted+), when the transport follows them. */
  onTaskState?(listener: (taskId: string, state: unknown) => void): () => void;
  /**
   * Ask RMF to cancel a task it accepted, as RMF's own clients do (RMF_INTERFACE.md §7); resolves
   * with RMF's answer, a failure when nobody answered within `timeoutMs`. Never rejects.
   */
  cancel?(request: CancelRequest, options: { timeoutMs: number }): Promise<CancelAnswer>;
  /** Dispatch states from RMF's dispatcher (`dispatch_states`), when the transport follows them. */
  onDispatchState?(listener: (update: DispatchStateUpdate) => void): () => void;
  /** Present when RMF runs on simulation time: task times are stamped in it. */
  readonly rmfClock?: RmfClock;
  close(): Promise<void>;
}
