import test from 'ava';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import { carryOverrides, occurrencesOnDate } from '../../src/rules/overrideCarry.js';
import type { DailySchedule } from '../../src/rules/Schedule.js';

const daily = (times: string[], timezone = 'Europe/Berlin'): DailySchedule => ({
  kind: 'daily',
  times,
  every: 1,
  timezone,
  start: '2030-01-01T00:00:00',
  end: null,
  count: null,
});
const ms = (iso: string): number => Date.parse(iso);
const disabled = (at: string): OccurrenceOverride => ({
  ruleId: 'r',
  occurrenceAt: ms(at),
  action: 'disabled',
  movedTo: null,
  reason: 'ward closed',
  by: 'ops',
  updatedAt: 0,
});
const NOW = ms('2030-03-01T00:00:00Z');

test('on the Berlin spring-forward day 02:30 and 03:30 are one occurrence, so positions follow that', (t) => {
  const before = daily(['02:30:00', '03:30:00', '12:00:00']);
  t.deepEqual(
    occurrencesOnDate(before, '2030-03-31').map((at) => new Date(at).toISOString()),
    ['2030-03-31T01:30:00.000Z', '2030-03-31T10:00:00.000Z'],
  );
  const after = daily(['04:00:00', '05:00:00', '13:00:00']);
  const carry = carryOverrides(before, after, [disabled('2030-03-31T10:00:00Z')], NOW);
  // 12:00 was the 2nd occurrence of that day: it goes to the new 2nd, 05:00.
  t.deepEqual(
    carry.carried.map((c) => new Date(c.to).toISOString()),
    ['2030-03-31T03:00:00.000Z'],
  );
});

test('an override on no occurrence of the old schedule is removed; one before the day before the edit is left', (t) => {
  const before = daily(['09:00:00']);
  const after = daily(['10:00:00']);
  const stale = disabled('2030-03-05T09:30:00Z'); // no 09:30 occurrence
  const past = disabled('2030-02-20T08:00:00Z'); // 09:00 Berlin, long before the edit
  const carry = carryOverrides(before, after, [stale, past], NOW);
  t.deepEqual(carry.carried, []);
  t.deepEqual(carry.removed, [{ override: stale, why: 'it is not an occurrence of the schedule' }]);
});
