/**
 * The schedule as the editor's form holds it (strings, as typed) and its wire form (the API's
 * `schedule`), both ways. The form computes no occurrence: the preview asks the server.
 */
export const REPEATS = [
  ['once', 'Once'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['monthly_weekday', 'Monthly on a weekday'],
  ['interval', 'Interval'],
] as const;
export type Repeats = (typeof REPEATS)[number][0];

export const WEEKDAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;

export interface ScheduleDraft {
  repeats: Repeats;
  /** once: local date-time "YYYY-MM-DDTHH:mm". */
  at: string;
  /** Comma- or space-separated "HH:mm" times. */
  times: string;
  days: string[];
  /** monthly: "1".."31" or "last". */
  day: string;
  /** monthly_weekday: "1".."5" or "last". */
  week: string;
  weekday: string;
  ifMissing: 'skip' | 'last_day';
  every: string;
  everySeconds: string;
  windowFrom: string;
  windowTo: string;
  start: string;
  end: string;
  count: string;
  timezone: string;
}

export function emptyDraft(timezone: string): ScheduleDraft {
  return {
    repeats: 'daily',
    at: '',
    times: '09:00',
    days: [],
    day: '1',
    week: '1',
    weekday: 'mon',
    ifMissing: 'skip',
    every: '1',
    everySeconds: '3600',
    windowFrom: '',
    windowTo: '',
    start: '',
    end: '',
    count: '',
    timezone,
  };
}

const list = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A number as typed, or the text itself when it is not one (the server then names the field). */
const num = (text: string): number | string =>
  /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim();

export function toWireSchedule(d: ScheduleDraft): Record<string, unknown> {
  const bounds: Record<string, unknown> = { timezone: d.timezone };
  if (d.start) bounds.start = d.start;
  if (d.end) bounds.end = d.end;
  if (d.count.trim()) bounds.count = num(d.count);
  const every = d.every.trim() && d.every.trim() !== '1' ? { every: num(d.every) } : {};
  switch (d.repeats) {
    case 'once':
      return { kind: 'once', at: d.at, ...bounds };
    case 'daily':
      return { kind: 'daily', times: list(d.times), ...every, ...bounds };
    case 'weekly':
      return { kind: 'weekly', days: d.days, times: list(d.times), ...every, ...bounds };
    case 'monthly':
      return {
        kind: 'monthly',
        day: d.day === 'last' ? -1 : num(d.day),
        times: list(d.times),
        ...(d.day !== 'last' ? { if_missing: d.ifMissing } : {}),
        ...every,
        ...bounds,
      };
    case 'monthly_weekday':
      return {
        kind: 'monthly_weekday',
        week: d.week === 'last' ? -1 : num(d.week),
        weekday: d.weekday,
        times: list(d.times),
        ...(d.week === '5' ? { if_missing: d.ifMissing } : {}),
        ...every,
        ...bounds,
      };
    case 'interval':
      return {
        kind: 'interval',
        every_seconds: num(d.everySeconds),
        ...(d.windowFrom || d.windowTo ? { between: [d.windowFrom, d.windowTo] } : {}),
        ...(d.days.length > 0 ? { days: d.days } : {}),
        ...bounds,
      };
  }
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A rule's schedule (wire form) as the form shows it. */
export function fromWireSchedule(s: Record<string, unknown>, serviceZone: string): ScheduleDraft {
  const d = emptyDraft(typeof s.timezone === 'string' ? s.timezone : serviceZone);
  const kind = REPEATS.some(([k]) => k === s.kind) ? (s.kind as Repeats) : 'daily';
  const between = Array.isArray(s.between) ? (s.between as unknown[]) : [];
  return {
    ...d,
    repeats: kind,
    at: str(s.at).slice(0, 16),
    times: Array.isArray(s.times) ? (s.times as string[]).join(', ') : d.times,
    days: Array.isArray(s.days) ? (s.days as string[]) : [],
    day: s.day === -1 ? 'last' : s.day !== undefined ? str(s.day) : d.day,
    week: s.week === -1 ? 'last' : s.week !== undefined ? str(s.week) : d.week,
    weekday: typeof s.weekday === 'string' ? s.weekday : d.weekday,
    ifMissing: s.if_missing === 'last_day' ? 'last_day' : 'skip',
    every: s.every !== undefined ? str(s.every) : '1',
    everySeconds: s.every_seconds !== undefined ? str(s.every_seconds) : d.everySeconds,
    windowFrom: str(between[0]),
    windowTo: str(between[1]),
    start: str(s.start),
    end: str(s.end),
    count: str(s.count),
  };
}
