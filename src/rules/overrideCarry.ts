/**
 * Occurrence overrides follow their occurrence when a schedule changes (pure): an override of the
 * k-th occurrence on a local date moves to the new schedule's k-th occurrence on that local date
 * (each read in its schedule's zone); without one there, it is removed. A moved occurrence keeps
 * its new instant. Occurrences are identified by their original instant.
 */
import {
  formatLocalDateTime,
  instantOfLocal,
  localDateTimeOf,
  parseLocalDateTime,
} from '../recurrence/index.js';
import { occurrencesBetween } from '../recurrence/occurrencesBetween.js';
import { occurrenceId } from './ids.js';
import type { OccurrenceOverride } from './Occurrence.js';
import type { Schedule } from './Schedule.js';

const DAY_MS = 86_400_000;
/** Beyond any UTC offset change in one day, so that a local day's window holds all of it. */
const MARGIN_MS = 6 * 3_600_000;

export interface CarriedOverride {
  /** The override as it was (its occurrenceAt: the old occurrence). */
  override: OccurrenceOverride;
  /** The new schedule's occurrence it now belongs to. */
  to: number;
}

export interface RemovedOverride {
  override: OccurrenceOverride;
  /** Why it has no occurrence in the new schedule. */
  why: string;
}

export interface OverrideCarry {
  /** Overrides whose occurrence changed instant (those that keep theirs are not listed). */
  carried: CarriedOverride[];
  removed: RemovedOverride[];
}

export const NOTHING_CARRIED: OverrideCarry = { carried: [], removed: [] };

const localDateOf = (at: number, timezone: string): string => localDateTimeOf(at, timezone).slice(0, 10);

/** The schedule's occurrences whose local date (in its zone) is `date`, ascending. */
export function occurrencesOnDate(schedule: Schedule, date: string): number[] {
  const zone = schedule.timezone;
  const next = formatLocalDateTime(parseLocalDateTime(date) + DAY_MS).slice(0, 10);
  const from = instantOfLocal(`${date}T00:00:00`, zone) - MARGIN_MS;
  const to = instantOfLocal(`${next}T00:00:00`, zone) + MARGIN_MS;
  return occurrencesBetween(schedule, from, to, Infinity).filter((at) => localDateOf(at, zone) === date);
}

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
};

/** How far back `from` must reach for isPending to see every pending override. */
export const PENDING_LOOKBACK_MS = 3 * DAY_MS;

/**
 * Does an override still matter at `now`: on a local date (in the schedule's zone) from the day
 * before now's on, or moved to an instant after now? The day before, so that a change of zone
 * never leaves behind the override of an occurrence the operator sees as today's.
 */
export function isPending(schedule: Schedule, override: OccurrenceOverride, now: number): boolean {
  if (override.action === 'moved' && override.movedTo !== null && override.movedTo >= now) return true;
  const today = parseLocalDateTime(localDateOf(now, schedule.timezone));
  return parseLocalDateTime(localDateOf(override.occurrenceAt, schedule.timezone)) >= today - DAY_MS;
}

/**
 * Where each override pending at `now` (see isPending; the others are left as they are) goes when
 * `before` becomes `after`. An override whose instant is not an occurrence of `before` (left from
 * an older schedule) has no place and is removed too.
 */
export function carryOverrides(
  before: Schedule,
  after: Schedule,
  all: readonly OccurrenceOverride[],
  now: number,
): OverrideCarry {
  const carried: CarriedOverride[] = [];
  const removed: RemovedOverride[] = [];
  const overrides = all.filter((o) => isPending(before, o, now));
  const days = new Map<string, { before: number[]; after: number[] }>();
  const dayOf = (date: string) => {
    let day = days.get(date);
    if (day === undefined) {
      day = { before: occurrencesOnDate(before, date), after: occurrencesOnDate(after, date) };
      days.set(date, day);
    }
    return day;
  };
  for (const override of overrides) {
    const date = localDateOf(override.occurrenceAt, before.timezone);
    const day = dayOf(date);
    const position = day.before.indexOf(override.occurrenceAt);
    if (position < 0) {
      removed.push({ override, why: 'it is not an occurrence of the schedule' });
      continue;
    }
    const to = day.after[position];
    if (to === undefined) {
      const which = position === 0 ? 'no occurrence' : `no ${ordinal(position + 1)} occurrence`;
      removed.push({ override, why: `the new schedule has ${which} on ${date}` });
    } else if (to !== override.occurrenceAt) {
      carried.push({ override, to });
    }
  }
  return { carried, removed };
}

/** The carry in wire form (occurrence ids), as an edit's answer and the rule's history give it. */
export function carryOnRecord(ruleId: string, carry: OverrideCarry) {
  return {
    carried: carry.carried.map((c) => ({
      from: occurrenceId(ruleId, c.override.occurrenceAt),
      to: occurrenceId(ruleId, c.to),
      state: c.override.action,
    })),
    removed: carry.removed.map((r) => ({
      occurrence_id: occurrenceId(ruleId, r.override.occurrenceAt),
      state: r.override.action,
      reason: r.override.reason,
      removed_because: r.why,
    })),
  };
}
