/**
 * The calendar: a pure merge of what the schedules say, what operators changed (occurrence
 * overrides) and what happened (firings), over effective instants in [from, to).
 *
 * - A scheduled occurrence shows at its instant, state 'scheduled' ('disabled' when its rule is).
 * - Disabled / deleted overrides keep their slot with that state; a moved occurrence shows at its
 *   new instant with state 'moved', even when its original instant is outside the window.
 * - A firing wins over both: the occurrence shows the firing's status, id and RMF task id, at the
 *   instant it fired for. Manual firings are listed as occurrences of their own.
 */
import type { Firing } from '../rules/Firing.js';
import {
  isPlainOccurrence,
  type CalendarCursor,
  type CalendarItem,
  type CalendarPage,
  type CalendarSlot,
  type Occurrence,
  type OccurrenceOverride,
  type OccurrenceState,
  type PlainOccurrence,
} from '../rules/Occurrence.js';
import type { Rule } from '../rules/Rule.js';
import { exceptDateOf, exceptedReason } from '../rules/exceptDates.js';
import { occurrenceId } from '../rules/ids.js';
import { isoInstant } from '../rules/isoInstant.js';
import { localNote, NO_NOTE } from '../recurrence/localNote.js';
import { instantsBetween, isOccurrence } from './facadeRecurrence.js';

export type CalendarRule = Pick<Rule, 'id' | 'name' | 'enabled' | 'schedule'>;

export interface CalendarInput {
  rules: CalendarRule[];
  overrides: OccurrenceOverride[];
  firings: Firing[];
  from: number;
  to: number;
  limit: number;
  /** Only what comes after this place in the calendar's order (the previous page's end). */
  after?: CalendarCursor;
  /**
   * Deleted rules, known only by their firings (see ghostRule): their firings still show, and
   * nothing else (no schedule).
   */
  ghosts?: CalendarRule[];
}

/**
 * A deleted rule as the calendar shows it: the name its firings recorded, disabled, and no
 * occurrence of its own (its schedule is gone; its times are shown in UTC).
 */
export function ghostRule(id: string, name: string | null): CalendarRule {
  const at = '1970-01-01T00:00:00';
  return {
    id,
    name: name ?? '',
    enabled: false,
    schedule: { kind: 'once', at, timezone: 'UTC', start: at, end: null, count: null },
  };
}

/** One occurrence of `rule` whose identity is `originalAt`, given what changed and what happened. */
export function occurrenceOf(
  rule: CalendarRule,
  originalAt: number,
  override: OccurrenceOverride | null | undefined,
  firing: Firing | null | undefined,
): Occurrence {
  return materialize(entryOf(rule, originalAt, override, firing));
}

/** A calendar item before its id is formatted (ids are made only for the items returned). */
interface Entry {
  rule: CalendarRule;
  originalAt: number;
  at: number;
  state: OccurrenceState;
  reason: string | null;
  firingId: string | null;
  rmfTaskId: string | null;
  /** A manual firing: an instant of its own, not of the schedule. */
  manual: boolean;
  /** The override applied to it, if any. */
  override: OccurrenceOverride | null;
}

function entryOf(
  rule: CalendarRule,
  originalAt: number,
  override: OccurrenceOverride | null | undefined,
  firing: Firing | null | undefined,
): Entry {
  if (firing) {
    return {
      rule,
      originalAt,
      at: firing.fireAt,
      state: firing.status,
      reason: null,
      firingId: firing.id,
      rmfTaskId: firing.rmfTaskId,
      manual: firing.trigger === 'manual',
      override: firing.trigger === 'manual' ? null : (override ?? null),
    };
  }
  if (override?.action === 'moved' && override.movedTo !== null) {
    const reason = override.reason;
    return {
      rule,
      originalAt,
      at: override.movedTo,
      state: 'moved',
      reason,
      firingId: null,
      rmfTaskId: null,
      manual: false,
      override,
    };
  }
  const excepted = exceptedReason(rule.schedule, originalAt);
  if (override || excepted !== null) {
    // An except date disables the occurrence whatever its override says, but deleted stays deleted.
    const state: OccurrenceState =
      override?.action === 'deleted' ? 'deleted' : excepted !== null ? 'disabled' : override!.action;
    const reason = state === 'disabled' && excepted !== null ? excepted : (override?.reason ?? null);
    return {
      rule,
      originalAt,
      at: originalAt,
      state,
      reason,
      firingId: null,
      rmfTaskId: null,
      manual: false,
      override: override ?? null,
    };
  }
  const state: OccurrenceState = rule.enabled ? 'scheduled' : 'disabled';
  return {
    rule,
    originalAt,
    at: originalAt,
    state,
    reason: null,
    firingId: null,
    rmfTaskId: null,
    manual: false,
    override: null,
  };
}

function materialize(e: Entry): Occurrence {
  const note = e.manual ? NO_NOTE : localNote(e.rule.schedule, e.originalAt);
  return {
    id: occurrenceId(e.rule.id, e.originalAt),
    ruleId: e.rule.id,
    ruleName: e.rule.name,
    originalAt: e.originalAt,
    at: e.at,
    state: e.state,
    reason: e.reason,
    ...(e.override ? { override: { by: e.override.by, updatedAt: e.override.updatedAt } } : {}),
    firingId: e.firingId,
    rmfTaskId: e.rmfTaskId,
    timezone: e.rule.schedule.timezone,
    dst: note.dst,
    mergedTimes: note.mergedTimes,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const NO_OVERRIDES: ReadonlyMap<number, OccurrenceOverride> = new Map();
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An item's place inside its instant: its rule, its original instant, scheduled before manual. */
function keyOf(item: Entry | PlainOccurrence, at: number): CalendarCursor {
  return isPlainOccurrence(item)
    ? { at, ruleId: item.ruleId, originalAt: at, manual: false }
    : { at, ruleId: item.rule.id, originalAt: item.originalAt, manual: item.manual };
}

/** The calendar's order: instant, then rule id, then original instant, scheduled before manual. */
export function compareCursors(a: CalendarCursor, b: CalendarCursor): number {
  return (
    a.at - b.at ||
    cmp(a.ruleId, b.ruleId) ||
    a.originalAt - b.originalAt ||
    Number(a.manual) - Number(b.manual)
  );
}

/** One instant's items in the calendar's order (already so unless a rule has several there). */
function inOrder(group: Array<Entry | PlainOccurrence>, at: number): Array<Entry | PlainOccurrence> {
  for (let i = 1; i < group.length; i++) {
    if (compareCursors(keyOf(group[i - 1]!, at), keyOf(group[i]!, at)) > 0) {
      return group.sort((a, b) => compareCursors(keyOf(a, at), keyOf(b, at)));
    }
  }
  return group;
}

/** The calendar's items in slots, at most `limit`. */
export const buildCalendarSlots = (input: CalendarInput): CalendarSlot[] => buildCalendarPage(input).slots;

/**
 * The calendar grouped by effective instant (see CalendarSlot): what the window holds after
 * `input.after`, at most `limit` items, in the order instant, rule id (then original instant,
 * scheduled before manual), and where the next page starts when the limit cut it. Plain scheduled
 * occurrences, most of a calendar, are one shared PlainOccurrence per rule, not an object each.
 */
export function buildCalendarPage(input: CalendarInput): CalendarPage {
  const { from, to, limit, after } = input;
  // With a cursor, the schedules are read from its instant on.
  const start = after === undefined ? from : Math.max(from, after.at);
  const overridesByRule = groupBy(input.overrides, (o) => o.ruleId);
  const firingsByRule = groupBy(input.firings, (f) => f.ruleId);
  // Entries grouped by effective instant, each group in rule order: sorting the distinct instants
  // (few: rules share times of day) is far cheaper than sorting every entry.
  const byAt = new Map<number, Array<Entry | PlainOccurrence>>();
  const put = (at: number, item: Entry | PlainOccurrence): void => {
    if (at < start || at >= to) return;
    if (after !== undefined && at === after.at && compareCursors(keyOf(item, at), after) <= 0) return;
    const group = byAt.get(at);
    if (group) group.push(item);
    else byAt.set(at, [item]);
  };
  const add = (e: Entry): void => put(e.at, e);

  // Rules in id order, so that each instant's group lists them in that order.
  const rules = [...input.rules].sort((a, b) => cmp(a.id, b.id));
  for (const rule of rules) {
    const plain: PlainOccurrence = {
      kind: 'plain',
      ruleId: rule.id,
      ruleName: rule.name,
      state: rule.enabled ? 'scheduled' : 'disabled',
      schedule: rule.schedule,
    };
    const ruleOverrides = overridesByRule.get(rule.id);
    const ruleFirings = firingsByRule.get(rule.id);
    const overrides = ruleOverrides ? new Map(ruleOverrides.map((o) => [o.occurrenceAt, o])) : NO_OVERRIDES;
    const scheduled = new Map<number, Firing>();
    for (const f of ruleFirings ?? []) {
      if (f.trigger === 'schedule') scheduled.set(f.dueAt, f);
      else add(entryOf(rule, f.dueAt, null, f)); // manual: an occurrence of its own
    }
    // One more than the limit, to know whether the limit cut the window.
    const cap = limit + 1 + overrides.size + scheduled.size;
    const instants = instantsBetween(rule.schedule, start, to, cap);
    for (const at of instants) {
      const firing = scheduled.get(at);
      const override = overrides.get(at);
      if (firing) scheduled.delete(at);
      if (firing || override || exceptDateOf(rule.schedule, at) !== null)
        add(entryOf(rule, at, override, firing));
      else put(at, plain);
    }
    for (const [at, override] of overrides) {
      // Originals inside the window were handled with the instants above.
      if (override.action !== 'moved' || (at >= start && at < to)) continue;
      if (!isOccurrence(rule.schedule, at)) continue; // the schedule changed since it was moved
      const firing = scheduled.get(at);
      if (firing) scheduled.delete(at);
      add(entryOf(rule, at, override, firing));
    }
    // Firings of instants the schedule no longer has (it was edited since) still show.
    for (const [dueAt, firing] of scheduled) add(entryOf(rule, dueAt, overrides.get(dueAt), firing));
  }
  for (const ghost of input.ghosts ?? [])
    for (const f of firingsByRule.get(ghost.id) ?? []) add(entryOf(ghost, f.dueAt, null, f));

  const order = Float64Array.from(byAt.keys()).sort();
  const slots: CalendarSlot[] = [];
  let room = limit;
  let last: CalendarCursor | null = null;
  let cut = false;
  for (const at of order) {
    if (room === 0) {
      cut = true;
      break;
    }
    const group = inOrder(byAt.get(at)!, at);
    const taken = group.length > room ? group.slice(0, room) : group;
    slots.push({ at, items: taken.map(materializeItem) });
    room -= taken.length;
    last = keyOf(taken[taken.length - 1]!, at);
    if (taken.length < group.length) {
      cut = true;
      break;
    }
  }
  // Cut by the limit: the next page starts after the last item returned.
  return { slots, next: cut ? last : null };
}

const materializeItem = (item: Entry | PlainOccurrence): CalendarItem =>
  isPlainOccurrence(item) ? item : materialize(item);

/** The calendar's items one by one, as Occurrence values. */
export function calendarOccurrences(slots: readonly CalendarSlot[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const { at, items } of slots) {
    const iso = isoInstant(at);
    for (const item of items) {
      const note = isPlainOccurrence(item) ? localNote(item.schedule, at) : NO_NOTE;
      out.push(
        isPlainOccurrence(item)
          ? {
              id: `${item.ruleId}@${iso}`, // occurrenceId(item.ruleId, at)
              ruleId: item.ruleId,
              ruleName: item.ruleName,
              originalAt: at,
              at,
              state: item.state,
              reason: null,
              firingId: null,
              rmfTaskId: null,
              timezone: item.schedule.timezone,
              dst: note.dst,
              mergedTimes: note.mergedTimes,
            }
          : item,
      );
    }
  }
  return out;
}

export function buildCalendar(input: CalendarInput): Occurrence[] {
  return calendarOccurrences(buildCalendarSlots(input));
}
