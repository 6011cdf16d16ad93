import test from 'ava';
import { buildCalendar, type CalendarRule } from '../../src/runtime/calendar.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { DailySchedule } from '../../src/rules/Schedule.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const ms = (iso: string): number => Date.parse(iso);
const iso = (at: number): string => new Date(at).toISOString();

const daily = (times: string[], timezone = 'UTC', start = '2026-03-01T00:00:00'): DailySchedule => ({
  kind: 'daily',
  times,
  every: 1,
  timezone,
  start,
  end: null,
  count: null,
});

const rule = (id: string, name: string, schedule: DailySchedule, enabled = true): CalendarRule => ({
  id,
  name,
  enabled,
  schedule,
});

const override = (ruleId: string, at: string, action: OccurrenceOverride['action'], movedTo?: string) => ({
  ruleId,
  occurrenceAt: ms(at),
  action,
  movedTo: movedTo ? ms(movedTo) : null,
  reason: null,
  by: 'ops',
  updatedAt: 0,
});

const firing = (ruleId: string, dueAt: string, extra: Partial<Firing> = {}): Firing => ({
  id: `f-${ruleId}-${dueAt}`,
  ruleId,
  dueAt: ms(dueAt),
  fireAt: ms(dueAt),
  trigger: 'schedule',
  status: 'dispatched',
  requestId: 'r',
  request: null,
  response: null,
  rmfTaskId: `task-${dueAt}`,
  error: null,
  attempts: 1,
  claimedAt: ms(dueAt),
  publishedAt: ms(dueAt),
  respondedAt: ms(dueAt),
  replicaId: 'a',
  taskState: null,
  cancel: null,
  dispatch: null,
  ruleName: null,
  triggeredBy: null,
  ...extra,
});

const window = { from: ms('2026-03-10T00:00:00.000Z'), to: ms('2026-03-12T00:00:00.000Z'), limit: 100 };

test('occurrences of several rules are merged and sorted by instant, within [from, to)', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00'])), rule(B, 'patrol', daily(['08:00:00', '20:00:00']))],
    overrides: [],
    firings: [],
    ...window,
  });
  t.deepEqual(
    items.map((o) => [o.ruleName, iso(o.at), o.state]),
    [
      ['patrol', '2026-03-10T08:00:00.000Z', 'scheduled'],
      ['clean', '2026-03-10T09:00:00.000Z', 'scheduled'],
      ['patrol', '2026-03-10T20:00:00.000Z', 'scheduled'],
      ['patrol', '2026-03-11T08:00:00.000Z', 'scheduled'],
      ['clean', '2026-03-11T09:00:00.000Z', 'scheduled'],
      ['patrol', '2026-03-11T20:00:00.000Z', 'scheduled'],
    ],
  );
  t.is(items[0]?.id, `${B}@2026-03-10T08:00:00.000Z`);
});

test('the window end is exclusive and the limit cuts the earliest first', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'midnight', daily(['00:00:00']))],
    overrides: [],
    firings: [],
    ...window,
    limit: 1,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    ['2026-03-10T00:00:00.000Z'],
  );
  const all = buildCalendar({
    rules: [rule(A, 'midnight', daily(['00:00:00']))],
    overrides: [],
    firings: [],
    ...window,
  });
  t.deepEqual(
    all.map((o) => iso(o.at)),
    ['2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
  );
});

test('disabled and deleted occurrences keep their slot; moved ones show at their new instant', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']))],
    overrides: [
      override(A, '2026-03-10T09:00:00.000Z', 'disabled'),
      override(A, '2026-03-11T09:00:00.000Z', 'deleted'),
      // original outside the window, moved into it
      override(A, '2026-03-12T09:00:00.000Z', 'moved', '2026-03-11T15:00:00.000Z'),
    ],
    firings: [],
    ...window,
  });
  t.deepEqual(
    items.map((o) => [iso(o.originalAt), iso(o.at), o.state]),
    [
      ['2026-03-10T09:00:00.000Z', '2026-03-10T09:00:00.000Z', 'disabled'],
      ['2026-03-11T09:00:00.000Z', '2026-03-11T09:00:00.000Z', 'deleted'],
      ['2026-03-12T09:00:00.000Z', '2026-03-11T15:00:00.000Z', 'moved'],
    ],
  );
});

test('an occurrence moved out of the window leaves it', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']))],
    overrides: [override(A, '2026-03-10T09:00:00.000Z', 'moved', '2026-03-20T09:00:00.000Z')],
    firings: [],
    ...window,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    ['2026-03-11T09:00:00.000Z'],
  );
});

test('an override of an instant that is not an occurrence (the schedule changed) is ignored', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']))],
    overrides: [override(A, '2026-03-13T07:00:00.000Z', 'moved', '2026-03-10T12:00:00.000Z')],
    firings: [],
    ...window,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    ['2026-03-10T09:00:00.000Z', '2026-03-11T09:00:00.000Z'],
  );
});

test('past occurrences show what happened; manual firings are listed too', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']))],
    overrides: [override(A, '2026-03-11T09:00:00.000Z', 'disabled')],
    firings: [
      firing(A, '2026-03-10T09:00:00.000Z'),
      firing(A, '2026-03-11T09:00:00.000Z', {
        status: 'skipped',
        rmfTaskId: null,
        error: 'occurrence disabled',
      }),
      firing(A, '2026-03-10T12:34:56.789Z', { trigger: 'manual', rmfTaskId: 'task-manual' }),
    ],
    ...window,
  });
  t.deepEqual(
    items.map((o) => [iso(o.at), o.state, o.rmfTaskId, o.firingId !== null]),
    [
      ['2026-03-10T09:00:00.000Z', 'dispatched', 'task-2026-03-10T09:00:00.000Z', true],
      ['2026-03-10T12:34:56.789Z', 'dispatched', 'task-manual', true],
      ['2026-03-11T09:00:00.000Z', 'skipped', null, true],
    ],
  );
});

test('a firing of an instant the schedule no longer has is still shown', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']))],
    overrides: [],
    firings: [firing(A, '2026-03-10T07:00:00.000Z', { status: 'missed', rmfTaskId: null })],
    ...window,
  });
  t.deepEqual(
    items.map((o) => [iso(o.at), o.state]),
    [
      ['2026-03-10T07:00:00.000Z', 'missed'],
      ['2026-03-10T09:00:00.000Z', 'scheduled'],
      ['2026-03-11T09:00:00.000Z', 'scheduled'],
    ],
  );
});

test('a disabled rule shows its occurrences as disabled', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'clean', daily(['09:00:00']), false)],
    overrides: [],
    firings: [],
    ...window,
  });
  t.deepEqual(
    items.map((o) => o.state),
    ['disabled', 'disabled'],
  );
});

test('the calendar is DST-correct: 02:30 Berlin across the spring-forward gap', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'night clean', daily(['02:30:00'], 'Europe/Berlin'))],
    overrides: [],
    firings: [],
    from: ms('2026-03-28T00:00:00.000Z'),
    to: ms('2026-03-31T00:00:00.000Z'),
    limit: 10,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    [
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ],
  );
});

test('the calendar is DST-correct: 02:30 Berlin on the fall-back day fires once, at the first instant', (t) => {
  const items = buildCalendar({
    rules: [rule(A, 'night clean', daily(['02:30:00'], 'Europe/Berlin'))],
    overrides: [],
    firings: [],
    from: ms('2026-10-24T12:00:00.000Z'),
    to: ms('2026-10-26T12:00:00.000Z'),
    limit: 10,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
  );
});
