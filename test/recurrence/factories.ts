import type { Schedule, ScheduleBounds } from '../../src/rules/Schedule.js';

/** Domain schedules for tests, with defaults for the bounds. */
type Without<T> = Omit<T, keyof ScheduleBounds | 'kind'> & Partial<ScheduleBounds>;
type Of<K extends Schedule['kind']> = Extract<Schedule, { kind: K }>;

const bounds = (b: Partial<ScheduleBounds>): ScheduleBounds => ({
  timezone: b.timezone ?? 'UTC',
  start: b.start ?? '2020-01-01T00:00:00',
  end: b.end ?? null,
  count: b.count ?? null,
});

export const once = (f: Without<Of<'once'>>): Schedule => ({ ...f, ...bounds(f), kind: 'once' });
export const daily = (f: Without<Of<'daily'>>): Schedule => ({ ...f, ...bounds(f), kind: 'daily' });
export const weekly = (f: Without<Of<'weekly'>>): Schedule => ({ ...f, ...bounds(f), kind: 'weekly' });
export const monthly = (f: Without<Of<'monthly'>>): Schedule => ({ ...f, ...bounds(f), kind: 'monthly' });
export const monthlyWeekday = (f: Without<Of<'monthly_weekday'>>): Schedule => ({
  ...f,
  ...bounds(f),
  kind: 'monthly_weekday',
});
export const interval = (f: Without<Of<'interval'>>): Schedule => ({ ...f, ...bounds(f), kind: 'interval' });

/** An instant written with its offset ("2026-03-08T03:30-04:00") as UTC ISO with milliseconds. */
export const utc = (isoWithOffset: string): string => new Date(Date.parse(isoWithOffset)).toISOString();
