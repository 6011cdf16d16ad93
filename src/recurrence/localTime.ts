import { formatLocalDateTime, parseLocalDateTime } from './civil.js';
import { ZoneTable } from './ZoneTable.js';

/** Whether luxon (Intl) knows this IANA zone name. */
export const isValidTimeZone = (name: string): boolean => ZoneTable.isValidZone(name);

/** The local date-time "YYYY-MM-DDTHH:mm:ss" of an instant in a zone (sub-second part dropped). */
export function localDateTimeOf(instant: number, timezone: string): string {
  return formatLocalDateTime(ZoneTable.for(timezone).toLocal(instant));
}

/**
 * The instant of a local date-time ("YYYY-MM-DD[THH:mm[:ss]]") in a zone, by the schedule rules:
 * the first instant when repeated, shifted by the gap when skipped. NaN when malformed.
 */
export function instantOfLocal(local: string, timezone: string): number {
  const ms = parseLocalDateTime(local);
  return Number.isNaN(ms) ? NaN : ZoneTable.for(timezone).toUtc(ms);
}
