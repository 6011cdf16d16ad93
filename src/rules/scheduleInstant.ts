/**
 * One instant of a schedule as the API and the CLI show it: UTC, local in the schedule's zone
 * with its offset, and what DST did to it (see recurrence/localNote.ts).
 */
import { localIso, localNote, type DstShift } from '../recurrence/localNote.js';
import { isoInstant } from './isoInstant.js';
import type { Schedule } from './Schedule.js';

export interface ScheduleInstantJson {
  at: string;
  at_local: string;
  dst: DstShift | null;
  merged_times: readonly string[] | null;
}

export function presentScheduleInstant(schedule: Schedule, at: number): ScheduleInstantJson {
  const note = localNote(schedule, at);
  return {
    at: isoInstant(at),
    at_local: localIso(at, schedule.timezone),
    dst: note.dst,
    merged_times: note.mergedTimes,
  };
}

/** A schedule and its instants in a window: what a preview answers. */
export interface SchedulePreview {
  schedule: Schedule;
  instants: number[];
  /** When the limit cut the window: the first instant left out, else null. */
  next: number | null;
}
