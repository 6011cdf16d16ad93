import test from 'ava';
import { mergePatch, patchedSchedule, replacedSchedule } from '../../src/rules/schedulePatch.js';

test('mergePatch follows RFC 7386 (its appendix A cases)', (t) => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) t.deepEqual(mergePatch(target, patch), result);
});

const stored = {
  kind: 'daily',
  times: ['09:00:00'],
  every: 3,
  timezone: 'Europe/Berlin',
  start: '2030-01-01T00:00:00',
  count: 10,
  except_dates: ['2030-01-14'],
};

test('a schedule patch keeps what it does not name; another kind keeps only the bounds', (t) => {
  t.deepEqual(patchedSchedule(stored, { times: ['10:00'] }), { ...stored, times: ['10:00'] });
  t.deepEqual(patchedSchedule(stored, { kind: 'daily', count: null }), {
    kind: 'daily',
    times: ['09:00:00'],
    every: 3,
    timezone: 'Europe/Berlin',
    start: '2030-01-01T00:00:00',
    except_dates: ['2030-01-14'],
  });
  t.deepEqual(patchedSchedule(stored, { kind: 'weekly', days: ['mon'], times: ['08:00'] }), {
    kind: 'weekly',
    days: ['mon'],
    times: ['08:00'],
    timezone: 'Europe/Berlin',
    start: '2030-01-01T00:00:00',
    count: 10,
    except_dates: ['2030-01-14'],
  });
  t.is(patchedSchedule(stored, 'daily'), 'daily'); // not an object: left for validation to refuse
});

test('a replaced schedule without start takes the stored one; a given start stays', (t) => {
  t.deepEqual(replacedSchedule(stored, { kind: 'once', at: '2030-02-01T08:00' }), {
    kind: 'once',
    at: '2030-02-01T08:00',
    start: '2030-01-01T00:00:00',
  });
  const given = { kind: 'once', at: '2030-02-01T08:00', start: '2030-01-15' };
  t.deepEqual(replacedSchedule(stored, given), given);
});
