/**
 * The firing engine: keeps every rule armed for its next occurrence and runs the firing
 * pipeline (claim → build → publish → await answer → record) exactly once per occurrence.
 * The Scheduler facade (scheduler.ts) owns commands and queries and tells the engine what
 * changed; the engine owns time. Implemented by runtime/engine.ts (createEngine).
 */
import type { Firing } from '../rules/Firing.js';
import type { Actor, Rule } from '../rules/Rule.js';

export interface FiringInfo {
  ruleName: string | null;
  /** publishedAt − (fireAt − leadTime), when published. */
  latenessMs: number | null;
}

export interface EngineStats {
  /** Rules with a next occurrence in the timer queue. */
  armed: number;
  /** Rules whose actor is running now (due soon, or firing). */
  active: number;
  /** Firings between claim and recorded outcome. */
  inFlight: number;
  /** Claims waiting for the store to come back (tried again until it does). */
  pendingClaims: number;
  /** Outcomes and history rows kept in memory until the store takes them. */
  unwrittenOutcomes: number;
}

export interface EngineOverview {
  /** Rules by state: `enabled`, `disabled`. */
  rulesByState: Record<string, number>;
  nextDueAt: number | null;
}

/** A manual trigger's options: fire a disabled rule anyway (force), and why. */
export interface TriggerOptions {
  force?: boolean;
  reason?: string | null;
}

export interface Engine {
  /**
   * Load every rule from the store, record what was missed while down (misfire policy),
   * resolve claims a previous process left without outcome, and arm every enabled rule.
   */
  start(): Promise<void>;
  /**
   * A rule was created or changed (fields, enabled, or its occurrence overrides): re-arm it
   * from this state (or re-read it from the store when given only its id).
   */
  refresh(rule: Rule | string): Promise<void>;
  /** A rule was deleted: disarm it (an in-flight firing finishes and is recorded). */
  remove(ruleId: string): void;
  /**
   * Send a claimed firing again (its row reopened after RMF cancelled its task because the
   * occurrence moved), at its new instant less the rule's lead time, with its request id.
   */
  resend(firing: Firing, rule: Rule): void;
  /** Fire once now, outside the schedule (trigger 'manual'); resolves once the outcome is recorded. */
  trigger(ruleId: string, actor: Actor, options?: TriggerOptions): Promise<Firing>;
  /** The next effective instant the rule will fire (dispatch happens leadTime earlier), or null. */
  nextDueAt(ruleId: string): number | null;
  stats(): EngineStats;
  /**
   * What a scrape of /metrics reads (one pass over the rules): rules by state, and the earliest
   * next effective instant over every enabled rule (null: none will fire).
   */
  overview(): EngineOverview;
  onFiring(listener: (firing: Firing, info: FiringInfo) => void): () => void;
  /** Stop arming; wait (bounded) for in-flight dispatches and record their outcomes. */
  stop(): Promise<void>;
}
