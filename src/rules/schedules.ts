// TEMPORARY STUB (not committed)
import { z } from 'zod';
import { DateTime } from 'luxon';
import type { Schedule } from './Schedule.js';
import { DomainError } from './errors.js';
export const scheduleWireSchema = z.looseObject({ kind: z.string(), timezone: z.string().optional() });
export function parseSchedule(wire: unknown, o: { defaultTimezone: string; now: number; path?: string }): Schedule {
  const w = wire as Record<string, unknown>;
  if (typeof w !== 'object' || w === null || typeof w.kind !== 'string') throw DomainError.invalid({ field: o.path ?? 'schedule', message: 'bad' });
  const tz = (w.timezone as string) ?? o.defaultTimezone;
  const start = (w.start as string) ?? DateTime.fromMillis(o.now, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const times = ((w.times as string[]) ?? []).map((t) => (t.length === 5 ? `${t}:00` : t));
  const b = { timezone: tz, start, end: (w.end as string) ?? null, count: null };
  if (w.kind === 'once') return { ...b, kind: 'once', at: w.at as string };
  if (w.kind === 'weekly') return { ...b, kind: 'weekly', times, days: w.days as never, every: 1 };
  return { ...b, kind: 'daily', times, every: 1 };
}
export const scheduleToWire = (s: Schedule): unknown => s;
