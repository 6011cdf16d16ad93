import test from 'ava';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import {
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
