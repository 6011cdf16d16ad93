/**
 * The decision taken inside the claim transaction, from the freshly read rule and override: may
 * this occurrence be claimed and published, or is it skipped (and why)? Pure.
 */
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import { exceptedReason } from '../rules/exceptDates.js';
import type { Rule } from '../rules/Rule.js';
import type { ClaimDecision, ClaimRequest } from './ports.js';
import { isOccurrence } from './occurrenceSequence.js';

/** What the engine believed when it armed the occurrence. */
export interface ClaimExpectation {
  version: number;
}

const iso = (t: number) => new Date(t).toISOString();

export function decideClaim(
  claim: ClaimRequest,
  rule: Rule | null,
  override: OccurrenceOverride | null,
  expected: ClaimExpectation | undefined,
): ClaimDecision {
  if (rule === null) return { action: 'skip', reason: 'the rule was deleted' };
  // A manual trigger fires a disabled rule only when forced (the facade refuses it otherwise;
  // this covers a rule disabled meanwhile).
  const forced = claim.trigger === 'manual' && claim.manual?.forced !== false;
  if (!rule.enabled && !forced) {
    const why = rule.disabledReason ? `: ${rule.disabledReason}` : '';
    return { action: 'skip', reason: `the rule is disabled${why}` };
  }
  if (claim.trigger === 'manual') return { action: 'claim' };
  if (override?.action === 'disabled' || override?.action === 'deleted') {
    const why = override.reason ? `: ${override.reason}` : '';
    return { action: 'skip', reason: `the occurrence was ${override.action}${why}` };
  }
  const stale = expected !== undefined && expected.version !== rule.version;
  // A rule changed since it was armed (another replica, or a change not yet seen): the
  // occurrence still fires if the new schedule has it; otherwise it is skipped, saying why.
  if (!isOccurrence(rule.schedule, claim.dueAt)) {
    return {
      action: 'skip',
      reason: stale
        ? `the rule changed (version ${expected?.version} → ${rule.version}) and no longer has an occurrence at ${iso(claim.dueAt)}`
        : `the schedule has no occurrence at ${iso(claim.dueAt)} (ended or changed)`,
    };
  }
  const excepted = exceptedReason(rule.schedule, claim.dueAt);
  if (excepted !== null) return { action: 'skip', reason: `the occurrence is disabled: ${excepted}` };
  if (override?.action === 'moved' && override.movedTo !== null && override.movedTo !== claim.fireAt) {
    return { action: 'skip', reason: `the occurrence was moved to ${iso(override.movedTo)}` };
  }
  return { action: 'claim' };
}

/**
 * After a change to its rule or overrides: why a scheduled firing claimed ahead of its instant
 * must no longer be sent (the same rules as the claim itself), or null if it still goes.
 */
export function reasonToCancel(
  rule: Rule,
  override: OccurrenceOverride | null,
  claimed: { dueAt: number; fireAt: number; trigger: ClaimRequest['trigger'] },
): string | null {
  if (claimed.trigger !== 'schedule') return null;
  const claim: ClaimRequest = { ruleId: rule.id, ...claimed, requestId: '', claimedAt: 0, replicaId: '' };
  const decision = decideClaim(claim, rule, override, undefined);
  return decision.action === 'skip' ? decision.reason : null;
}
