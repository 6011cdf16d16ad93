import type { DstShift } from '../recurrence/localNote.js';
import type { FiringStatus } from './Firing.js';
import type { Schedule } from './Schedule.js';

export type OverrideAction = 'disabled' | 'deleted' | 'moved';

/** An operator's change to one occurrence of a rule ("edit this one only"). */
export interface OccurrenceOverride {
  ruleId: string;
  /** The occurrence's original instant (its identity). */
  occurrenceAt: number;
  action: OverrideAction;
  /** For 'moved': the new instant. */
  movedTo: number | null;
  reason: string | null;
  by: string | null;
  updatedAt: number;
}

export type OccurrenceState = 'scheduled' | 'disabled' | 'deleted' | 'moved' | FiringStatus;

/** One item of the calendar. */
export interface Occurrence {
  /** Stable id derived from (ruleId, original instant); see ids.ts. */
  id: string;
  ruleId: string;
  ruleName: string;
  /** The original instant. */
  originalAt: number;
  /** The effective instant (moved → the new one). */
  at: number;
  state: OccurrenceState;
  /** Why it is disabled, deleted or moved (the operator's reason, or its except date), else null. */
  reason: string | null;
  /** Its override (disabled, deleted, moved), if it has one: who made it and when. */
  override?: { by: string | null; updatedAt: number };
  /** When past and fired: the firing's id. */
  firingId: string | null;
  rmfTaskId: string | null;
  /** The rule's zone: the one its local times are presented in. */
  timezone: string;
  /** How the schedule's local time for it (its original instant) met a DST change, if it did. */
  dst: DstShift | null;
  /** Two times of the day that landed on its instant and so are this one occurrence, else null. */
  mergedTimes: readonly string[] | null;
}

/**
 * A rule's plain scheduled occurrence in a calendar slot: no override, no firing, at the slot's
 * instant (which is then both its original and its effective instant). One per rule is shared by
 * all its slots.
 */
export interface PlainOccurrence {
  readonly kind: 'plain';
  readonly ruleId: string;
  readonly ruleName: string;
  /** 'disabled' when its rule is. */
  readonly state: 'scheduled' | 'disabled';
  /** Its rule's schedule: its zone and what DST did to each of its instants. */
  readonly schedule: Schedule;
}

export type CalendarItem = Occurrence | PlainOccurrence;

/** The calendar's items at one effective instant, in rule name then id order. */
export interface CalendarSlot {
  at: number;
  items: CalendarItem[];
}

/**
 * A place in the calendar's order (instant, then rule id; then original instant, scheduled before
 * manual, for the rare rule with two items at one instant): where the next page starts.
 */
export interface CalendarCursor {
  at: number;
  ruleId: string;
  originalAt: number;
  manual: boolean;
}

/** A calendar cut by its limit says where it goes on: `next` is null when nothing was cut. */
export interface CalendarPage {
  slots: CalendarSlot[];
  next: CalendarCursor | null;
}

export const isPlainOccurrence = (item: CalendarItem | object): item is PlainOccurrence =>
  (item as Partial<PlainOccurrence>).kind === 'plain';
