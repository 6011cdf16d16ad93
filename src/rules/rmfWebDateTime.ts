/**
 * Date-times as rmf-web reads them (pydantic's lax datetime): ISO 8601 with `T` or a space, with
 * or without seconds, fractions and an offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`); a bare date
 * (midnight); a number or numeric string = unix time, seconds when |v| <= 2·10¹⁰, else
 * milliseconds. A value without an offset is read in the zone the caller names. Pure.
 */
import { instantOfLocal, parseLocalDateTime } from '../recurrence/index.js';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Epoch ms of `value`, naive values read in `naiveZone`; null when it is not a date-time. */
export function parseRmfWebDateTime(value: unknown, naiveZone: string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? unixOf(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (NUMBER.test(text)) return unixOf(Number(text));
  const m = ISO.exec(text);
  if (m === null) return null;
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', offset] = m;
  // Dates and times that do not exist (February 30th, 24:00) are refused, as pydantic does.
  const local = `${y}-${mo}-${d}T${hh}:${mi}:${ss}`;
  if (Number.isNaN(parseLocalDateTime(local)) || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59)
    return null;
  const millis = frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (offset === undefined) return instantOfLocal(local, naiveZone) + millis;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss)) + millis;
  if (offset === 'Z' || offset === 'z') return base;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  if (minutes >= 24 * 60) return null;
  return base - sign * minutes * 60_000;
}

function unixOf(v: number): number | null {
  const ms = Math.abs(v) > 2e10 ? v : v * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? Math.round(ms) : null;
}
