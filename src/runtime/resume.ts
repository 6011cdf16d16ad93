/**
 * What to do with the occurrences a rule missed (the process was down, the machine slept, the
 * wall clock jumped): each one gets a `missed` history row, except the newest when the misfire
 * policy is fire_once and it is still within the grace window: that one fires once, late. Pure.
 */
import type { Misfire } from '../rules/Rule.js';
import type { PlannedFiring } from './occurrenceSequence.js';

export interface ResumePlan {
  /** Missed firings to record (oldest first); at most `maxMissed` of them. */
  missed: PlannedFiring[];
  /** Missed firings beyond `maxMissed`, counted but not listed. */
  notListed: number;
  /** The one missed firing to fire now, late (fire_once within grace). */
  fireNow: PlannedFiring | null;
  /** The first firing that is not yet due (fireAt > now), or null when the schedule has ended. */
  next: PlannedFiring | null;
}

/**
 * @param nextAfter the rule's effective sequence (see occurrenceSequence.ts nextFiring)
 * @param from firings with fireAt <= from are settled (the last one fired, or the creation instant)
 * @param now the current instant; firings with fireAt <= now are missed
 */
export function planResume(
  nextAfter: (after: number) => PlannedFiring | null,
  from: number,
  now: number,
  misfire: Misfire,
  maxMissed = 1_000,
): ResumePlan {
  const missed: PlannedFiring[] = [];
  let notListed = 0;
  let newest: PlannedFiring | null = null;
  let cursor = from;
  let next = nextAfter(cursor);
  while (next !== null && next.fireAt <= now) {
    if (missed.length < maxMissed) missed.push(next);
    else notListed++;
    newest = next;
    cursor = next.fireAt;
    if (notListed > 0 && notListed % maxMissed === 0) {
      // A long outage of a frequent rule: stop walking it one step at a time. Only the tail that a
      // fire_once grace window can still reach matters; the rest is counted in bulk.
      const skipTo = Math.max(cursor, now - misfire.graceMs - 1);
      if (skipTo > cursor) {
        notListed += estimateBetween(nextAfter, cursor, skipTo);
        cursor = skipTo;
      }
    }
    next = nextAfter(cursor);
  }
  let fireNow: PlannedFiring | null = null;
  if (newest !== null && misfire.policy === 'fire_once' && now - newest.fireAt <= misfire.graceMs) {
    fireNow = newest;
    if (missed[missed.length - 1] === newest) missed.pop();
    else notListed--;
  }
  return { missed, notListed, fireNow, next };
}

/** Firings in (from, to], counted from the spacing of two steps (only for bulk counting). */
function estimateBetween(
  nextAfter: (after: number) => PlannedFiring | null,
  from: number,
  to: number,
): number {
  const a = nextAfter(from);
  if (a === null || a.fireAt > to) return 0;
  const b = nextAfter(a.fireAt);
  if (b === null || b.fireAt > to) return 1;
  return Math.floor((to - a.fireAt) / Math.max(1, b.fireAt - a.fireAt)) + 1;
}
