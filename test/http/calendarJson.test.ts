import test from 'ava';
import { encodeCursor } from '../../src/http/calendarCursor.js';
import { calendarJson } from '../../src/http/calendarJson.js';
import { presentOccurrence } from '../../src/http/presenters.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { DailySchedule } from '../../src/rules/Schedule.js';
import { buildCalendarPage, calendarOccurrences, type CalendarRule } from '../../src/runtime/calendar.js';

const ms = (iso: string): number => Date.parse(iso);
const from = ms('2026-03-10T00:00:00.000Z');
const to = ms('2026-03-13T00:00:00.000Z');
const daily = (times: string[]): DailySchedule => ({
  kind: 'daily',
  times,
  every: 1,
  timezone: 'Europe/Berlin',
  start: '2026-03-01T00:00:00',
  end: null,
  count: null,
});
const rule = (n: number, name: string, times: string[], enabled = true): CalendarRule => ({
  id: `${n}${n}${n}${n}${n}${n}${n}${n}-1111-4111-8111-111111111111`,
  name,
  enabled,
  schedule: daily(times),
});
const rules = [
  rule(1, 'clean "lobby" \\ 🧹', ['09:00']),
  rule(2, 'patrol\u2028night \ud800', ['08:00', '20:00']),
  rule(3, 'Küche', ['09:00'], false),
  rule(4, 'quiet', ['09:00']),
];
const id = (n: number): string => rules[n - 1]!.id;
const override = (
  n: number,
  at: string,
  action: OccurrenceOverride['action'],
  movedTo: string | null = null,
) => ({
  ruleId: id(n),
  occurrenceAt: ms(at),
  action,
  movedTo: movedTo === null ? null : ms(movedTo),
  reason: null,
  by: 'ops',
  updatedAt: 0,
});
const firing = (n: number, dueAt: string, trigger: Firing['trigger']): Firing => ({
  id: `f-${n}-${dueAt}`,
  ruleId: id(n),
  dueAt: ms(dueAt),
  fireAt: ms(dueAt) + 5,
  trigger,
  status: 'dispatched',
  requestId: 'r',
  request: null,
  response: null,
  rmfTaskId: 'task "1"',
  error: null,
  attempts: 1,
  claimedAt: null,
  publishedAt: null,
  respondedAt: null,
  replicaId: 'a',
  taskState: null,
  cancel: null,
  dispatch: null,
  ruleName: null,
  triggeredBy: null,
});
const overrides = [
  override(1, '2026-03-10T08:00:00.000Z', 'moved', '2026-03-11T07:00:00.000Z'),
  override(2, '2026-03-11T07:00:00.000Z', 'disabled'),
  override(4, '2026-03-12T08:00:00.000Z', 'deleted'),
];
const firings = [
  firing(2, '2026-03-10T07:00:00.000Z', 'schedule'),
  firing(4, '2026-03-10T12:00:00.000Z', 'manual'),
];

for (const limit of [1, 2, 7, 100]) {
  test(`the calendar body is JSON.stringify of the presented occurrences, byte for byte (limit ${limit})`, (t) => {
    const slots = buildCalendarPage({ rules, overrides, firings, from, to, limit });
    const expected = JSON.stringify({
      items: calendarOccurrences(slots.slots).map((o) => presentOccurrence(o)),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      truncated: slots.next !== null,
      next_cursor: slots.next === null ? null : encodeCursor(slots.next),
    });
    const body = calendarJson(slots, { from, to });
    t.is(body.toString('utf8'), expected);
    t.true(body.equals(Buffer.from(expected, 'utf8')));
    // Twice: the second time from the pieces kept per rule.
    t.true(calendarJson(slots, { from, to }).equals(body));
  });
}

test('near a DST change, and in a zone asked for, the body is still JSON.stringify of the presented occurrences', (t) => {
  const ny = (n: number, name: string, times: string[]): CalendarRule => ({
    ...rule(n, name, times),
    schedule: { ...daily(times), timezone: 'America/New_York' },
  });
  const dstRules = [
    ny(5, 'gap', ['02:30']),
    ny(6, 'merged', ['02:30', '03:30']),
    rule(7, 'berlin', ['08:30']),
  ];
  const window = { from: ms('2026-03-07T00:00:00.000Z'), to: ms('2026-03-10T00:00:00.000Z') };
  const dstOverrides = [override(1, '2026-03-08T07:30:00.000Z', 'disabled')].map((o) => ({
    ...o,
    ruleId: dstRules[0]!.id,
  }));
  for (const timezone of [undefined, 'Asia/Kolkata']) {
    const slots = buildCalendarPage({
      rules: dstRules,
      overrides: dstOverrides,
      firings: [],
      ...window,
      limit: 100,
    });
    const presented = calendarOccurrences(slots.slots).map((o) => presentOccurrence(o, timezone));
    const expected = JSON.stringify({
      items: presented,
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
      truncated: false,
      next_cursor: null,
    });
    t.is(calendarJson(slots, { ...window, timezone }).toString('utf8'), expected);
    const shifted = presented.filter((o) => o.dst === 'gap_shifted');
    t.deepEqual(
      shifted.map((o) => [o.rule_name, o.state, o.merged_times]),
      [
        ['gap', 'disabled', null],
        ['merged', 'scheduled', ['02:30:00', '03:30:00']],
      ],
    );
  }
});

test('a renamed or disabled rule is written with its new name and state', (t) => {
  const first = buildCalendarPage({ rules, overrides: [], firings: [], from, to, limit: 100 });
  calendarJson(first, { from, to });
  const changed = rules.map((r) => ({ ...r, name: `${r.name}!`, enabled: !r.enabled }));
  const slots = buildCalendarPage({ rules: changed, overrides: [], firings: [], from, to, limit: 100 });
  const items = JSON.parse(calendarJson(slots, { from, to }).toString('utf8')) as {
    items: Array<{ rule_name: string; state: string }>;
  };
  t.deepEqual(
    items.items.map((o) => [o.rule_name, o.state]),
    calendarOccurrences(slots.slots).map((o) => [o.ruleName, o.state]),
  );
  t.true(items.items.every((o) => o.rule_name.endsWith('!')));
  t.true(items.items.some((o) => o.state === 'disabled'));
});

test('an empty calendar', (t) => {
  t.is(
    calendarJson({ slots: [], next: null }, { from, to }).toString('utf8'),
    '{"items":[],"from":"2026-03-10T00:00:00.000Z","to":"2026-03-13T00:00:00.000Z","truncated":false,"next_cursor":null}',
  );
});

test('the test calendar holds every kind of item', (t) => {
  const slots = buildCalendarPage({ rules, overrides, firings, from, to, limit: 100 });
  const states = new Set(calendarOccurrences(slots.slots).map((o) => o.state));
  t.deepEqual([...states].sort(), ['deleted', 'disabled', 'dispatched', 'moved', 'scheduled']);
});
