/**
 * Proleptic Gregorian calendar arithmetic on "local milliseconds": a wall-clock date-time written
 * as if it were UTC epoch milliseconds. Days are counted from 1970-01-01; weekdays are 0 = Monday.
 */
export const DAY_MS = 86_400_000;

/** The last local day the engine produces occurrences on: 9999-12-31. */
export const LAST_DAY = 2_932_896;

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Year, month (1..12) and day of a day number. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? 31);
}

/** 0 = Monday … 6 = Sunday. 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export const dayOf = (local: number): number => Math.floor(local / DAY_MS);

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** "HH:mm" or "HH:mm:ss" → milliseconds since local midnight, or NaN. */
export function parseTimeOfDay(text: string): number {
  const m = TIME.exec(text);
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || s > 59) return NaN;
  return ((h * 60 + min) * 60 + s) * 1000;
}

/** "YYYY-MM-DD", "YYYY-MM-DDTHH:mm" or "YYYY-MM-DDTHH:mm:ss" → local milliseconds, or NaN. */
export function parseLocalDateTime(text: string): number {
  const m = DATE_TIME.exec(text);
  if (!m) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
  const tod =
    m[4] === undefined ? 0 : parseTimeOfDay(`${m[4]}:${m[5]}${m[6] === undefined ? '' : `:${m[6]}`}`);
  return daysFromCivil(y, mo, d) * DAY_MS + tod;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local milliseconds → "YYYY-MM-DDTHH:mm:ss" (sub-second part dropped). */
export function formatLocalDateTime(local: number): string {
  const day = dayOf(local);
  const [y, m, d] = civilFromDays(day);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}T${formatTimeOfDay(local - day * DAY_MS)}`;
}

/** Milliseconds since midnight → "HH:mm:ss". */
export function formatTimeOfDay(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
