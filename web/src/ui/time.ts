/** Instants shown to the operator: local time in a zone (with its offset), and UTC. */
import { DateTime } from 'luxon';

export function localTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat("ccc d LLL yyyy, HH:mm (ZZZZ, 'UTC'ZZ)");
}

export function utcTime(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'UTC' }).toFormat("yyyy-LL-dd HH:mm:ss 'UTC'");
}

/** The value of a datetime-local input for an instant, in a zone. */
export function toLocalInput(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** A datetime-local input's value, read in a zone, as a UTC instant; null if it is not one. */
export function fromLocalInput(value: string, zone: string): string | null {
  const dt = DateTime.fromISO(value, { zone });
  return dt.isValid ? dt.toUTC().toISO() : null;
}
