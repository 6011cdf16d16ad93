import test from 'ava';
import type { Schedule } from '../../src/rules/Schedule.js';
import type { RecurrenceSchedule } from '../../src/recurrence/types.js';
import { nextOccurrence } from '../../src/recurrence/nextOccurrence.js';

// Fails to compile if the domain Schedule drifts away from the shape the engine reads.
type Assignable<T, U> = [T] extends [U] ? true : false;
const domainFitsEngine: Assignable<Schedule, RecurrenceSchedule> = true;

test('a domain Schedule is accepted by the engine as is', (t) => {
  const schedule: Schedule = {
    kind: 'daily',
    times: ['09:00:00'],
    every: 1,
    timezone: 'UTC',
    start: '2026-01-01T00:00:00',
    end: null,
    count: null,
  };
  t.true(domainFitsEngine);
  t.is(nextOccurrence(schedule, Date.parse('2026-01-01T00:00:00Z')), Date.parse('2026-01-01T09:00:00Z'));
});
