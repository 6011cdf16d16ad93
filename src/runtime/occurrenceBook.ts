/**
 * Occurrence queries and commands: the calendar over many rules, the upcoming occurrences of one,
 * and "edit this one only" (disable, enable, move, delete) recorded as occurrence overrides.
 */
import { randomUUID } from 'node:crypto';
import { newRequestId } from '../rmf/buildRequest.js';
import type { Firing } from '../rules/Firing.js';
import type { Actor, Rule } from '../rules/Rule.js';
import type { ChangeNote } from '../rules/RuleHistory.js';
import { DomainError } from '../rules/errors.js';
import type { CalendarPage, Occurrence, OccurrenceOverride } from '../rules/Occurrence.js';
import { occurrenceId, parseOccurrenceId } from '../rules/ids.js';
import type { Logger } from '../log.js';
import {
  buildCalendarPage,
  calendarOccurrences,
  ghostRule,
  occurrenceOf,
  type CalendarRule,
} from './calendar.js';
import { logChange } from './changeLog.js';
import type { Engine } from './Engine.js';
import { isOccurrence, occurrencesAfter } from './facadeRecurrence.js';
import type { OwnChanges } from './changeFollower.js';
import type { Clock, RuleHead, Store } from './ports.js';
import type { RuleReadCache } from './ruleReadCache.js';
import type { Cancellation, OccurrenceChange, OccurrenceQuery, Withdrawal } from './Scheduler.js';
import { isSentAhead, type TakeBack } from './takeBack.js';

const DAY_MS = 86_400_000;
export const MAX_WINDOW_MS = 366 * DAY_MS;
export const MAX_OCCURRENCES = 10_000;
export const MAX_UPCOMING = 1_000;
/** Above this many rules, fetch overrides and firings for all rules and filter in memory. */
const MAX_ID_FILTER = 500;

export interface OccurrenceBookDeps {
  store: Store;
  engine: Pick<Engine, 'refresh' | 'resend'>;
  /** Cancelling tasks sent ahead of time (read when an occurrence that was sent changes). */
  takeBack: () => TakeBack;
  clock: Clock;
  logger: Logger;
  own: OwnChanges;
  /** Reads of one rule with its overrides, current as of each call. */
  reads: RuleReadCache;
  changed(ruleIds: string[]): void;
}

const invalid = (field: string, message: string): DomainError => DomainError.invalid({ field, message });

function checkWindow(from: number, to: number, limit: number, max: number): void {
  if (!Number.isFinite(from)) throw invalid('from', 'must be an instant');
  if (!Number.isFinite(to)) throw invalid('to', 'must be an instant');
  if (to <= from) throw invalid('to', 'must be after from');
  if (to - from > MAX_WINDOW_MS) throw invalid('to', 'the window may span at most 366 days');
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalid('limit', `must be an integer from 1 to ${max}`);
  }
}

/** The first `count` occurrences of `rule` after `now`, its overrides (from `now` on) applied. */
export function upcomingOf(
  rule: CalendarRule,
  ruleOverrides: readonly OccurrenceOverride[],
  now: number,
  count: number,
): Occurrence[] {
  const overrides = new Map(ruleOverrides.map((o) => [o.occurrenceAt, o]));
  const originals = occurrencesAfter(rule.schedule, now, count + overrides.size);
  const seen = new Set(originals);
  const out = originals.map((at) => occurrenceOf(rule, at, overrides.get(at), null));
  for (const [at, o] of overrides) {
    if (!seen.has(at) && o.action === 'moved' && isOccurrence(rule.schedule, at)) {
      out.push(occurrenceOf(rule, at, o, null));
    }
  }
  return out
    .filter((o) => o.at > now)
    .sort((a, b) => a.at - b.at)
    .slice(0, count);
}

export function createOccurrenceBook(deps: OccurrenceBookDeps) {
  const { store, engine, clock, logger, own, reads } = deps;

  /**
   * The schedule object last seen for each rule version. Handing recurrence the same object again
   * lets it reuse what it compiled from it (its cache is keyed by object), instead of compiling a
   * fresh copy of every schedule on every calendar query.
   */
  const schedules = new Map<string, { version: number; schedule: Rule['schedule'] }>();
  function calendarRule(rule: RuleHead): CalendarRule {
    const known = schedules.get(rule.id);
    if (known?.version === rule.version) {
      return { id: rule.id, name: rule.name, enabled: rule.enabled, schedule: known.schedule };
    }
    schedules.set(rule.id, { version: rule.version, schedule: rule.schedule });
    return rule;
  }

  /** The rules of a query that names no rule. */
  async function rulesInScope(query: OccurrenceQuery): Promise<CalendarRule[]> {
    const heads = await store.rules.listHeads(query.label !== undefined ? { label: query.label } : {});
    return heads.map(calendarRule);
  }

  /** The rules the firings are for that are not among `rules` (deleted since), as ghosts. */
  function ghostsOf(rules: readonly CalendarRule[], firings: readonly Firing[]): CalendarRule[] {
    const known = new Set(rules.map((r) => r.id));
    const ghosts = new Map<string, CalendarRule>();
    for (const f of firings)
      if (!known.has(f.ruleId) && !ghosts.has(f.ruleId))
        ghosts.set(f.ruleId, ghostRule(f.ruleId, f.ruleName));
    return [...ghosts.values()];
  }

  async function calendar(query: OccurrenceQuery): Promise<CalendarPage> {
    const { from, to, limit, after } = query;
    checkWindow(from, to, limit, MAX_OCCURRENCES);
    if (query.ruleId === undefined && query.label === undefined) {
      // All rules: the three reads are independent.
      const [rules, overrides, firings] = await Promise.all([
        rulesInScope(query),
        store.overrides.listInWindow(from, to),
        store.firings.listInWindow(from, to),
      ]);
      const ghosts = ghostsOf(rules, firings);
      return buildCalendarPage({ rules, ghosts, overrides, firings, from, to, limit, after });
    }
    let rules: CalendarRule[];
    if (query.ruleId !== undefined) {
      const rule = await store.rules.find(query.ruleId);
      if (rule === null) {
        // A deleted rule (RULE_NOT_FOUND if it never existed): its firings still show.
        await store.rules.history(query.ruleId, 1, 0);
        if (query.label !== undefined) return { slots: [], next: null };
        const firings = await store.firings.listInWindow(from, to, [query.ruleId]);
        const ghosts = ghostsOf([], firings);
        return buildCalendarPage({ rules: [], ghosts, overrides: [], firings, from, to, limit, after });
      }
      rules = query.label === undefined || rule.labels.includes(query.label) ? [calendarRule(rule)] : [];
    } else rules = await rulesInScope(query);
    if (rules.length === 0) return { slots: [], next: null };
    const ids = rules.length <= MAX_ID_FILTER ? rules.map((r) => r.id) : undefined;
    const [overrides, firings] = await Promise.all([
      store.overrides.listInWindow(from, to, ids),
      store.firings.listInWindow(from, to, ids),
    ]);
    return buildCalendarPage({ rules, overrides, firings, from, to, limit, after });
  }

  const occurrences = async (query: OccurrenceQuery): Promise<Occurrence[]> =>
    calendarOccurrences((await calendar(query)).slots);

  /** The next `count` occurrences of a rule after now, with the rule as read (one store read). */
  async function ruleWithUpcoming(
    ruleId: string,
    count: number,
  ): Promise<{ rule: Rule; upcoming: Occurrence[] }> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_UPCOMING) {
      throw invalid('count', `must be an integer from 1 to ${MAX_UPCOMING}`);
    }
    const now = clock.now();
    const { rule, overrides } = await reads.getWithOverrides(ruleId, now);
    return { rule, upcoming: upcomingOf(calendarRule(rule), overrides, now, count) };
  }

  const upcoming = async (ruleId: string, count: number): Promise<Occurrence[]> =>
    (await ruleWithUpcoming(ruleId, count)).upcoming;

  async function load(id: string) {
    const { ruleId, originalAt } = parseOccurrenceId(id);
    const notFound = () =>
      new DomainError('OCCURRENCE_NOT_FOUND', `Occurrence ${id} does not exist.`, { field: 'id', id });
    const rule = await store.rules.find(ruleId);
    if (!rule) throw notFound();
    const [override, firing] = await Promise.all([
      store.overrides.get(ruleId, originalAt),
      store.firings.find(ruleId, originalAt, 'schedule'),
    ]);
    if (!firing && !isOccurrence(rule.schedule, originalAt)) throw notFound();
    return { rule, originalAt, override, firing };
  }

  async function getOccurrence(id: string): Promise<Occurrence> {
    const { rule, originalAt, override, firing } = await load(id);
    return occurrenceOf(rule, originalAt, override, firing);
  }

  async function write(ruleId: string, op: () => Promise<unknown>): Promise<void> {
    const undo = own.overriding(ruleId);
    try {
      await op();
    } catch (error) {
      undo();
      throw error;
    }
    await engine.refresh(ruleId);
    deps.changed([ruleId]);
  }

  async function checkMoveTarget(
    ruleId: string,
    originalAt: number,
    at: number,
    schedule: CalendarRule['schedule'],
  ) {
    if (!(at > clock.now())) throw invalid('at', 'must be in the future');
    if (isOccurrence(schedule, at)) {
      const other = await store.overrides.get(ruleId, at);
      if (!other || other.action === 'disabled') {
        throw invalid('at', `another occurrence of this rule is at ${new Date(at).toISOString()}`);
      }
    }
    const movedThere = (await store.overrides.listForRule(ruleId, at)).find(
      (o) => o.action === 'moved' && o.movedTo === at && o.occurrenceAt !== originalAt,
    );
    if (movedThere) {
      throw invalid('at', `another occurrence of this rule was moved to ${new Date(at).toISOString()}`);
    }
  }

  /**
   * The firing of an occurrence that may still change: none; or one whose task RMF has and has
   * not started (lead time), when RMF can be asked to cancel it; or one whose task RMF already
   * cancelled (`withdrawn`: it can be disabled, deleted, moved or enabled again freely, moving or
   * enabling sends it again). Anything else already fired.
   */
  function sentOrNone(firing: Firing | null): { firing: Firing; withdrawn: boolean } | null {
    if (!firing) return null;
    const ahead =
      firing.trigger === 'schedule' &&
      firing.status === 'dispatched' &&
      firing.fireAt > clock.now() &&
      deps.takeBack().enabled;
    if (ahead && firing.cancel?.state === 'requested')
      throw invalid('id', 'RMF is being asked to cancel its task: try again in a few seconds');
    if (ahead && firing.cancel?.state === 'canceled') return { firing, withdrawn: true };
    if (ahead && isSentAhead(firing, clock.now())) return { firing, withdrawn: false };
    throw invalid('id', `this occurrence already fired (${firing.status}); it can no longer change`);
  }

  /**
   * enabled false → disabled; enabled true → back to plain (clears any override, so a moved
   * occurrence returns to its original instant); at → moved there (the future only, not onto
   * another occurrence of the rule; its own original instant clears the move; the time it already
   * has changes nothing). An occurrence
   * that already fired no longer changes, unless its task was sent ahead of time and has not
   * started: disabling it asks RMF to cancel the task; moving it cancels the task and, once RMF
   * has cancelled it, sends it again for the new time (if RMF does not cancel it, the move is
   * refused and nothing changes).
   */
  async function updateOccurrence(
    id: string,
    change: OccurrenceChange,
    actor: Actor,
  ): Promise<Occurrence & Withdrawal> {
    const { rule, originalAt, override: current, firing } = await load(id);
    const sent = sentOrNone(firing);
    const base = { ruleId: rule.id, occurrenceAt: originalAt, reason: change.reason ?? null, by: actor };
    const note: ChangeNote = { actor, reason: change.reason ?? null };
    let next: OccurrenceOverride | null;
    if (change.at !== undefined) {
      if (change.enabled === false) throw invalid('at', 'cannot move and disable an occurrence at once');
      // Moved to the time it already has: nothing to change (not "another occurrence is there").
      const now = current?.action === 'moved' && current.movedTo !== null ? current.movedTo : originalAt;
      if (change.at === now && current?.action !== 'deleted')
        return { ...occurrenceOf(rule, originalAt, current, firing), cancellations: [] };
      await checkMoveTarget(rule.id, originalAt, change.at, rule.schedule);
      next =
        change.at === originalAt
          ? null
          : { ...base, action: 'moved', movedTo: change.at, updatedAt: clock.now() };
    } else if (change.enabled === false) {
      next = { ...base, action: 'disabled', movedTo: null, updatedAt: clock.now() };
    } else if (change.enabled === true) {
      if (sent && !sent.withdrawn)
        throw invalid('enabled', 'its task was already sent to RMF: disable or move it instead');
      next = null;
    } else {
      throw invalid('enabled', 'give enabled or at');
    }
    if (sent === null) {
      await saveOverride(rule.id, originalAt, next, note);
      return { ...occurrenceOf(rule, originalAt, next, null), cancellations: [] };
    }
    const at = next?.action === 'moved' ? (next.movedTo as number) : originalAt;
    const sendsAgain = next === null || next.action === 'moved';
    if (sendsAgain && at === sent.firing.fireAt && !sent.withdrawn) {
      return { ...occurrenceOf(rule, originalAt, current, sent.firing), cancellations: [] };
    }
    if (!sendsAgain) {
      // Disabled: stored first (it holds whatever RMF answers), then RMF is asked.
      await saveOverride(rule.id, originalAt, next, note);
      const why = `the occurrence was disabled${next?.reason ? `: ${next.reason}` : ''}`;
      const cancellations = sent.withdrawn ? [] : await deps.takeBack().cancel([sent.firing], why);
      return {
        ...occurrenceOf(rule, originalAt, next, cancellations[0]?.firing ?? sent.firing),
        cancellations,
      };
    }
    // Moved (or back to its time): RMF must have cancelled the task before it goes out again.
    let cancellations: Cancellation[] = [];
    if (!sent.withdrawn) {
      cancellations = await deps
        .takeBack()
        .cancel([sent.firing], `the occurrence was moved to ${new Date(at).toISOString()}`);
      refuseUnlessCancelled(sent.firing, cancellations[0]);
    }
    await saveOverride(rule.id, originalAt, next, note);
    return { ...occurrenceOf(rule, originalAt, next, await sendAgain(rule, sent.firing, at)), cancellations };
  }

  async function saveOverride(
    ruleId: string,
    originalAt: number,
    next: OccurrenceOverride | null,
    note: ChangeNote,
  ) {
    await write(ruleId, () =>
      next ? store.overrides.set(next) : store.overrides.clear(ruleId, originalAt, note),
    );
    const action = next === null ? 'occurrence_enabled' : (`occurrence_${next.action}` as const);
    logChange(logger, action, ruleId, note.actor, note.reason ?? null, {
      occurrence_id: occurrenceId(ruleId, originalAt),
    });
  }

  /** A move needs RMF to have cancelled the task first: otherwise it would run twice. */
  function refuseUnlessCancelled(sent: Firing, cancellation: Cancellation | undefined): void {
    if (cancellation?.cancel.state === 'canceled') return;
    throw new DomainError(
      'RMF_UNAVAILABLE',
      `RMF did not cancel the task already sent for this occurrence (${cancellation?.cancel.errors.join('; ') ?? 'no answer'}): it was not moved, and may still run at ${new Date(sent.fireAt).toISOString()}`,
      { field: 'at', firing_id: sent.id, rmf_task_id: sent.rmfTaskId },
    );
  }

  /** The firing, its task cancelled by RMF, goes out again for `at` (lead time before it). */
  async function sendAgain(rule: Rule, sent: Firing, at: number): Promise<Firing> {
    const reopened = await store.firings.reopenForResend(sent.id, at, newRequestId(rule.id, randomUUID()));
    if (reopened === null) return sent;
    engine.resend(reopened, rule);
    return reopened;
  }

  async function deleteOccurrence(id: string, reason: string | null, actor: Actor): Promise<Withdrawal> {
    const { rule, originalAt, firing } = await load(id);
    const sent = sentOrNone(firing);
    const override: OccurrenceOverride = {
      ruleId: rule.id,
      occurrenceAt: originalAt,
      action: 'deleted',
      movedTo: null,
      reason,
      by: actor,
      updatedAt: clock.now(),
    };
    await write(rule.id, () => store.overrides.set(override));
    logChange(logger, 'occurrence_deleted', rule.id, actor, reason, { occurrence_id: id });
    const why = `the occurrence was deleted${reason ? `: ${reason}` : ''}`;
    return { cancellations: sent && !sent.withdrawn ? await deps.takeBack().cancel([sent.firing], why) : [] };
  }

  /** A rule was deleted: drop what was kept for it. */
  const forget = (ruleId: string): void => void schedules.delete(ruleId);

  return {
    calendar,
    occurrences,
    upcoming,
    ruleWithUpcoming,
    getOccurrence,
    updateOccurrence,
    deleteOccurrence,
    forget,
  };
}
