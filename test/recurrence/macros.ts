import test from 'ava';
import type { Schedule } from '../../src/rules/Schedule.js';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';
import { occurrencesBetween } from '../../src/recurrence/occurrencesBetween.js';
import { utc } from './factories.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** nextOccurrence(schedule, after) is `expected` (instants may carry any offset; null = none). */
export const next = test.macro((t, schedule: Schedule, after: string, expected: string | null) => {
  t.is(iso(nextOccurrence(schedule, Date.parse(after))), expected === null ? null : utc(expected));
});

/** occurrencesBetween(schedule, from, to, 1000) is exactly `expected`, in order. */
export const between = test.macro((t, schedule: Schedule, from: string, to: string, expected: string[]) => {
  t.deepEqual(
    occurrencesBetween(schedule, Date.parse(from), Date.parse(to), 1000).map(iso),
    expected.map(utc),
  );
});
