/**
 * An instant as UTC ISO-8601 with milliseconds, exactly as `Date.prototype.toISOString` writes it
 * ("2026-03-08T07:30:00.000Z"), computed arithmetically: several times cheaper than building a
 * Date, which matters where thousands are written per response (calendars, occurrence ids).
 */
import { civilFromDays, DAY_MS } from '../recurrence/civil.js';

/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z: four-digit years only. */
const FIRST = -62_167_219_200_000;
const END = 253_402_300_800_000;

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number): string => (n < 1000 ? `000${n}`.slice(-4) : `${n}`);

export function isoInstant(ms: number): string {
  // Other years (signed six digits), fractions and invalid values: leave them to Date.
  if (!(ms >= FIRST && ms < END) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const [y, m, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const s = Math.floor(rest / 1000);
  return `${four(y)}-${two(m)}-${two(d)}T${two(h)}:${two(min)}:${two(s)}.${three(rest - s * 1000)}Z`;
}
