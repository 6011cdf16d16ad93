/** Rules and schedules for runtime tests (normalized domain values). */
import type { NewRule } from '../../../src/rules/Rule.js';
import type {
  DailySchedule,
  IntervalSchedule,
  MonthlySchedule,
  OnceSchedule,
} from '../../../src/rules/Schedule.js';

let counter = 0;

const bounds = (timezone: string, start: string) => ({ timezone, start, end: null, count: null });

export const daily = (times: string[], timezone = 'UTC', start = '2025-01-01T00:00:00'): DailySchedule => ({
  kind: 'daily',
  ...bounds(timezone, start),
  times,
  every: 1,
});

export const monthly = (
  day: number,
  times: string[],
  timezone = 'UTC',
  start = '2025-01-01T00:00:00',
): MonthlySchedule => ({
  kind: 'monthly',
  ...bounds(timezone, start),
  times,
  day,
  ifMissing: 'skip',
  every: 1,
});

export const interval = (everySeconds: number, start: string, timezone = 'UTC'): IntervalSchedule => ({
  kind: 'interval',
  ...bounds(timezone, start),
  everySeconds,
  between: null,
  days: null,
});

export const once = (at: string, timezone = 'UTC', start = '2025-01-01T00:00:00'): OnceSchedule => ({
  kind: 'once',
  ...bounds(timezone, start),
  at,
});

export function newRule(fields: Partial<NewRule> = {}): NewRule {
  counter++;
  return {
    name: `rule ${process.pid}-${counter}`,
    description: '',
    enabled: true,
    disabledReason: null,
    schedule: daily(['09:00:00']),
    task: {
      type: 'dispatch_task_request',
      request: { category: 'patrol', description: { places: ['pantry', 'lounge'], rounds: 1 } },
    },
    metadata: {},
    labels: [],
    leadTimeMs: 0,
    misfire: { policy: 'fire_once', graceMs: 60_000 },
    retry: null,
    createdBy: null,
    ...fields,
  };
}

export const at = (iso: string): number => Date.parse(iso);
