/**
 * The effective occurrences of one rule: its schedule's instants, with the operator's overrides
 * of single occurrences applied. A moved occurrence keeps its identity (dueAt, the original
 * instant) and fires at its new instant (fireAt); a disabled or deleted one stays in the sequence
 * so that its claim records a `skipped` row with the reason. Pure.
 */
import { formatLocalDateTime, instantOfLocal, parseLocalDateTime } from '../recurrence/index.js';
import { nextOccurrence } from '../recurrence/nextOccurrence.js';

const DAY_MS = 86_400_000;
import { exceptDateOf } from '../rules/exceptDates.js';
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import type { Schedule } from '../rules/Schedule.js';

export interface PlannedFiring {
  /** The occurrence's identity: its original instant. */
  dueAt: number;
  /** When it is for (a moved occurrence: its new instant). */
  fireAt: number;
}

/** Overrides of one rule, indexed for the sequence. */
export interface OverrideIndex {
  /** occurrenceAt → override. */
  readonly byOccurrence: ReadonlyMap<number, OccurrenceOverride>;
  /** The moved ones, by new instant ascending. */
  readonly moved: readonly OccurrenceOverride[];
}

export const NO_OVERRIDES: OverrideIndex = { byOccurrence: new Map(), moved: [] };

export function indexOverrides(overrides: readonly OccurrenceOverride[]): OverrideIndex {
  if (overrides.length === 0) return NO_OVERRIDES;
  const byOccurrence = new Map<number, OccurrenceOverride>();
  for (const o of overrides) byOccurrence.set(o.occurrenceAt, o);
  const moved = [...byOccurrence.values()]
    .filter((o) => o.action === 'moved' && o.movedTo !== null)
    .sort((a, b) => (a.movedTo as number) - (b.movedTo as number));
  return { byOccurrence, moved };
}

/** Is `at` an instant of the schedule? */
export function isOccurrence(schedule: Schedule, at: number): boolean {
  return nextOccurrence(schedule, at - 1) === at;
}

/** At most this many moved originals are stepped over in a row (a guard, never reached in practice). */
const MAX_STEPS = 10_000;

/** The effective firing with the smallest fireAt strictly after `after`, or null. */
export function nextFiring(
  schedule: Schedule,
  overrides: OverrideIndex,
  after: number,
): PlannedFiring | null {
  let original = nextOccurrence(schedule, after);
  for (let steps = 0; original !== null && steps < MAX_STEPS; steps++) {
    const override = overrides.byOccurrence.get(original);
    if (override?.action !== 'moved' || override.movedTo === null) break;
    original = nextOccurrence(schedule, original);
  }
  let best: PlannedFiring | null = original === null ? null : { dueAt: original, fireAt: original };
  for (const m of overrides.moved) {
    const to = m.movedTo as number;
    if (to <= after) continue;
    if (best !== null && to >= best.fireAt) break;
    if (isOccurrence(schedule, m.occurrenceAt)) {
      best = { dueAt: m.occurrenceAt, fireAt: to };
      break;
    }
  }
  return best;
}

/**
 * Is this planned firing cancelled (recorded, never sent): disabled or deleted by its override, or
 * on one of the schedule's except dates?
 */
export function isCancelled(schedule: Schedule, overrides: OverrideIndex, firing: PlannedFiring): boolean {
  const action = overrides.byOccurrence.get(firing.dueAt)?.action;
  return action === 'disabled' || action === 'deleted' || exceptDateOf(schedule, firing.dueAt) !== null;
}

/**
 * Where to look on from after a cancelled firing: past the rest of its local day when it is a
 * plain occurrence on an except date (a minute schedule has 1,440 there), but never past a moved
 * firing that lands in that day.
 */
function pastExceptDate(schedule: Schedule, overrides: OverrideIndex, firing: PlannedFiring): number {
  const date = firing.dueAt === firing.fireAt ? exceptDateOf(schedule, firing.dueAt) : null;
  if (date === null) return firing.fireAt;
  const nextDay = formatLocalDateTime(parseLocalDateTime(date) + DAY_MS);
  let until = instantOfLocal(nextDay, schedule.timezone) - 1;
  for (const m of overrides.moved) {
    const to = m.movedTo as number;
    if (to > firing.fireAt && to <= until) {
      until = to - 1;
      break;
    }
  }
  return Math.max(firing.fireAt, until);
}

/** Like nextFiring, but stepping over cancelled occurrences: the next firing that will be sent. */
export function nextSentFiring(
  schedule: Schedule,
  overrides: OverrideIndex,
  after: number,
): PlannedFiring | null {
  let firing = nextFiring(schedule, overrides, after);
  for (
    let steps = 0;
    firing !== null && isCancelled(schedule, overrides, firing) && steps < MAX_STEPS;
    steps++
  ) {
    firing = nextFiring(schedule, overrides, pastExceptDate(schedule, overrides, firing));
  }
  return firing !== null && isCancelled(schedule, overrides, firing) ? null : firing;
}
