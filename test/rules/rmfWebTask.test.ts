/**
 * The pure side of rmf-web's scheduled tasks: date-times read as pydantic reads them, the periods
 * mapped onto rule schedules as rmf-web's `schedule` library runs them, and back.
 */
import test from 'ava';
import { parseSchedule } from '../../src/rules/schedules.js';
import { parseRmfWebDateTime } from '../../src/rules/rmfWebDateTime.js';
import {
  memberWireOf,
  scheduleProblem,
  taskOfRule,
  type RmfWebSchedule,
} from '../../src/rules/RmfWebTask.js';
import type { Rule } from '../../src/rules/Rule.js';

const dateTimes: Array<[unknown, string | null]> = [
  ['2124-03-01T00:00:05.250000Z', '2124-03-01T00:00:05.250Z'],
  ['2124-03-01 08:00:00+08:00', '2124-03-01T00:00:00.000Z'],
  ['2124-03-01T08:00+0800', '2124-03-01T00:00:00.000Z'],
  ['2124-03-01T08:00:00+08', '2124-03-01T00:00:00.000Z'],
  // Naive: the zone given (here Singapore, UTC+8).
  ['2124-03-01T08:00:00', '2124-03-01T00:00:00.000Z'],
  ['2124-03-01', '2124-02-29T16:00:00.000Z'],
  [2000, '1970-01-01T00:33:20.000Z'],
  ['2000', '1970-01-01T00:33:20.000Z'],
  [4_102_444_800, '2100-01-01T00:00:00.000Z'],
  ['4102444800000', '2100-01-01T00:00:00.000Z'],
  [1.5, '1970-01-01T00:00:01.500Z'],
  ['2124-02-30T00:00:00Z', null],
  ['2124-03-01T24:00:00Z', null],
  ['soon', null],
  [null, null],
  [true, null],
];
for (const [value, expected] of dateTimes) {
  test(`the date-time ${JSON.stringify(value)} is ${expected ?? 'refused'}`, (t) => {
    const at = parseRmfWebDateTime(value, 'Asia/Singapore');
    t.is(at === null ? null : new Date(at).toISOString(), expected);
  });
}

const members: Array<[RmfWebSchedule, Record<string, unknown>]> = [
  [
    { every: null, period: 'friday', at: '18:45' },
    { kind: 'weekly', days: ['fri'], times: ['18:45:00'] },
  ],
  [
    { every: 3, period: 'day', at: '07:30:15' },
    { kind: 'daily', times: ['07:30:15'], every: 3 },
  ],
  [
    { every: 2, period: 'hour', at: '15:30' },
    { kind: 'interval', every_seconds: 7200, between: ['00:15:30', '23:59:59'] },
  ],
  [
    { every: null, period: 'hour', at: ':30' },
    { kind: 'interval', every_seconds: 3600, between: ['00:00:30', '23:59:59'] },
  ],
  [
    { every: 5, period: 'minute', at: ':07' },
    { kind: 'interval', every_seconds: 300, between: ['00:00:07', '23:59:59'] },
  ],
];
for (const [schedule, wire] of members) {
  test(`${schedule.period} every ${schedule.every ?? 1} at ${schedule.at} is ${JSON.stringify(wire)}, and back`, (t) => {
    t.is(scheduleProblem(schedule), null);
    t.deepEqual(memberWireOf(schedule), wire);
    const rule = {
      id: 'r',
      name: 'r',
      enabled: true,
      task: { type: 'dispatch_task_request', request: { category: 'patrol', description: 'x' } },
      schedule: parseSchedule(
        { ...wire, timezone: 'UTC', start: '2124-01-01' },
        { defaultTimezone: 'UTC', now: 0 },
      ),
      metadata: {},
      createdBy: null,
    } as unknown as Rule;
    const back = taskOfRule(1, rule, 'UTC', null);
    if (!('task' in back)) return t.fail(back.problem);
    // Without the schedules as sent, the hour's ":SS" reads back as the same "00:SS".
    const at = schedule.at === ':30' && schedule.period === 'hour' ? '00:30' : schedule.at;
    t.deepEqual(back.task.schedules, [{ ...schedule, at }]);
  });
}
