import test from 'ava';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import {
  NO_OVERRIDES,
  indexOverrides,
  isCancelled,
  nextFiring,
  nextSentFiring,
} from '../../src/runtime/occurrenceSequence.js';
import { at, daily } from './support/fixtures.js';

const nineDaily = daily(['09:00:00']);
const override = (
  o: Partial<OccurrenceOverride> & Pick<OccurrenceOverride, 'occurrenceAt' | 'action'>,
): OccurrenceOverride => ({
  ruleId: 'r',
  movedTo: null,
  reason: null,
  by: null,
  updatedAt: 0,
  ...o,
});

test('a moved occurrence keeps its identity and fires at its new instant, in order', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-06T12:00:00Z'),
    }),
  ]);
  const first = nextFiring(nineDaily, index, at('2026-01-05T08:00:00Z'));
  t.deepEqual(first, { dueAt: at('2026-01-06T09:00:00Z'), fireAt: at('2026-01-06T09:00:00Z') });
  const second = nextFiring(nineDaily, index, first!.fireAt);
  t.deepEqual(second, { dueAt: at('2026-01-05T09:00:00Z'), fireAt: at('2026-01-06T12:00:00Z') });
  const third = nextFiring(nineDaily, index, second!.fireAt);
  t.deepEqual(third, { dueAt: at('2026-01-07T09:00:00Z'), fireAt: at('2026-01-07T09:00:00Z') });
});

test('an occurrence moved earlier fires first; its original instant is not fired', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-06T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T07:00:00Z'),
    }),
  ]);
  const list = [];
  let after = at('2026-01-05T06:00:00Z');
  for (let i = 0; i < 3; i++) {
    const f = nextFiring(nineDaily, index, after)!;
    list.push([new Date(f.dueAt).toISOString(), new Date(f.fireAt).toISOString()]);
    after = f.fireAt;
  }
  t.deepEqual(list, [
    ['2026-01-06T09:00:00.000Z', '2026-01-05T07:00:00.000Z'],
    ['2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z'],
    ['2026-01-07T09:00:00.000Z', '2026-01-07T09:00:00.000Z'],
  ]);
});

test('disabled and deleted occurrences stay in the sequence (their claim records the skip)', (t) => {
  const index = indexOverrides([override({ occurrenceAt: at('2026-01-05T09:00:00Z'), action: 'disabled' })]);
  t.deepEqual(nextFiring(nineDaily, index, at('2026-01-05T08:00:00Z')), {
    dueAt: at('2026-01-05T09:00:00Z'),
    fireAt: at('2026-01-05T09:00:00Z'),
  });
});

test('a move of an instant that is not an occurrence of the schedule is ignored', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T10:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T08:30:00Z'),
    }),
  ]);
  t.is(nextFiring(nineDaily, index, at('2026-01-05T08:00:00Z'))?.fireAt, at('2026-01-05T09:00:00Z'));
});

test('the next firing that will be sent steps over disabled and deleted occurrences', (t) => {
  const index = indexOverrides([
    override({ occurrenceAt: at('2026-01-05T09:00:00Z'), action: 'disabled' }),
    override({ occurrenceAt: at('2026-01-06T09:00:00Z'), action: 'deleted' }),
  ]);
  const after = at('2026-01-05T08:00:00Z');
  t.true(isCancelled(nineDaily, index, nextFiring(nineDaily, index, after)!));
  t.deepEqual(nextSentFiring(nineDaily, index, after), {
    dueAt: at('2026-01-07T09:00:00Z'),
    fireAt: at('2026-01-07T09:00:00Z'),
  });
});

const iso = (f: { dueAt: number; fireAt: number } | null) =>
  f === null ? null : `${new Date(f.dueAt).toISOString()} → ${new Date(f.fireAt).toISOString()}`;
function walk(
  schedule: Parameters<typeof nextFiring>[0],
  index: ReturnType<typeof indexOverrides>,
  from: number,
  n: number,
) {
  const list: Array<string | null> = [];
  let after = from;
  for (let i = 0; i < n; i++) {
    const f = nextFiring(schedule, index, after);
    list.push(iso(f));
    if (f === null) break;
    after = f.fireAt;
  }
  return list;
}

test('several moves, given in any order, fire in the order of their new instants, each once', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-06T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T11:00:00Z'),
    }),
    override({
      occurrenceAt: at('2026-01-07T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T10:00:00Z'),
    }),
  ]);
  t.deepEqual(walk(nineDaily, index, at('2026-01-05T08:00:00Z'), 4), [
    '2026-01-05T09:00:00.000Z → 2026-01-05T09:00:00.000Z',
    '2026-01-07T09:00:00.000Z → 2026-01-05T10:00:00.000Z',
    '2026-01-06T09:00:00.000Z → 2026-01-05T11:00:00.000Z',
    '2026-01-08T09:00:00.000Z → 2026-01-08T09:00:00.000Z',
  ]);
});

test('consecutive occurrences moved away are both stepped over at their original instants', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-10T12:00:00Z'),
    }),
    override({
      occurrenceAt: at('2026-01-06T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-10T13:00:00Z'),
    }),
  ]);
  t.deepEqual(walk(nineDaily, index, at('2026-01-05T08:00:00Z'), 1), [
    '2026-01-07T09:00:00.000Z → 2026-01-07T09:00:00.000Z',
  ]);
  t.deepEqual(walk(nineDaily, index, at('2026-01-10T09:00:00Z'), 3), [
    '2026-01-05T09:00:00.000Z → 2026-01-10T12:00:00.000Z',
    '2026-01-06T09:00:00.000Z → 2026-01-10T13:00:00.000Z',
    '2026-01-11T09:00:00.000Z → 2026-01-11T09:00:00.000Z',
  ]);
});

test('the last occurrence of an ending schedule moved later still fires, at its new instant, and then nothing', (t) => {
  const ending = { ...nineDaily, end: '2026-01-05T23:59:59' };
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-06T15:00:00Z'),
    }),
  ]);
  t.deepEqual(walk(ending, index, at('2026-01-05T08:00:00Z'), 3), [
    '2026-01-05T09:00:00.000Z → 2026-01-06T15:00:00.000Z',
    null,
  ]);
  t.is(nextFiring(ending, NO_OVERRIDES, at('2026-01-05T09:00:00Z')), null);
});

test('a moved occurrence is not found again from its own new instant (it fired there)', (t) => {
  const index = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T12:00:00Z'),
    }),
  ]);
  t.is(
    iso(nextFiring(nineDaily, index, at('2026-01-05T11:59:59.999Z'))),
    '2026-01-05T09:00:00.000Z → 2026-01-05T12:00:00.000Z',
  );
  t.is(
    iso(nextFiring(nineDaily, index, at('2026-01-05T12:00:00Z'))),
    '2026-01-06T09:00:00.000Z → 2026-01-06T09:00:00.000Z',
  );
});

test('a move without a new instant changes nothing; of two overrides of one occurrence the last given counts', (t) => {
  const nowhere = indexOverrides([
    override({ occurrenceAt: at('2026-01-05T09:00:00Z'), action: 'moved', movedTo: null }),
  ]);
  t.deepEqual(nowhere.moved, []);
  t.is(
    iso(nextFiring(nineDaily, nowhere, at('2026-01-05T08:00:00Z'))),
    '2026-01-05T09:00:00.000Z → 2026-01-05T09:00:00.000Z',
  );
  const twice = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T12:00:00Z'),
    }),
    override({ occurrenceAt: at('2026-01-05T09:00:00Z'), action: 'disabled' }),
  ]);
  t.deepEqual(twice.moved, []);
  t.true(
    isCancelled(nineDaily, twice, { dueAt: at('2026-01-05T09:00:00Z'), fireAt: at('2026-01-05T09:00:00Z') }),
  );
});

test('nothing more will be sent when every remaining occurrence is cancelled', (t) => {
  const ending = { ...nineDaily, end: '2026-01-06T23:59:59' };
  const index = indexOverrides([
    override({ occurrenceAt: at('2026-01-05T09:00:00Z'), action: 'deleted' }),
    override({ occurrenceAt: at('2026-01-06T09:00:00Z'), action: 'disabled' }),
  ]);
  t.is(nextSentFiring(ending, index, at('2026-01-05T08:00:00Z')), null);
  t.false(
    isCancelled(ending, index, { dueAt: at('2026-01-07T09:00:00Z'), fireAt: at('2026-01-07T09:00:00Z') }),
  );
  const movedAway = indexOverrides([
    override({
      occurrenceAt: at('2026-01-05T09:00:00Z'),
      action: 'moved',
      movedTo: at('2026-01-05T10:00:00Z'),
    }),
  ]);
  t.false(
    isCancelled(nineDaily, movedAway, {
      dueAt: at('2026-01-05T09:00:00Z'),
      fireAt: at('2026-01-05T10:00:00Z'),
    }),
  );
});
