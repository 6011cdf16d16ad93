import { occurrencesBetween } from '../recurrence/index.js';
import { DomainError } from './errors.js';
import type { SchedulePreview } from './scheduleInstant.js';
import { parseSchedule, type ParseScheduleContext } from './schedules.js';

/** Largest number of instants one preview may return. */
export const PREVIEW_MAX_LIMIT = 100_000;

/**
 * A wire-form schedule, normalized, and its instants (epoch ms) in [from, to), at most `limit`:
 * what the CLI's preview shows. Throws DomainError INVALID_INPUT naming the field.
 */
export function previewSchedule(
  wire: unknown,
  ctx: ParseScheduleContext,
  from: number,
  to: number,
  limit: number,
): SchedulePreview {
  if (!Number.isFinite(from)) throw DomainError.invalid({ field: 'from', message: 'must be an instant' });
  if (!Number.isFinite(to)) throw DomainError.invalid({ field: 'to', message: 'must be an instant' });
  if (to < from) throw DomainError.invalid({ field: 'to', message: 'must not be before from' });
  if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX_LIMIT) {
    throw DomainError.invalid({
      field: 'limit',
      message: `must be an integer from 1 to ${PREVIEW_MAX_LIMIT}`,
    });
  }
  const schedule = parseSchedule(wire, ctx);
  const instants = occurrencesBetween(schedule, from, to, limit + 1);
  return { schedule, instants: instants.slice(0, limit), next: instants[limit] ?? null };
}
