import test from 'ava';
import { calendarJson } from '../../src/http/calendarJson.js';
import { presentOccurrence } from '../../src/http/presenters.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { DailySchedule } from '../../src/rules/Schedule.js';
import { buildCalendarSlots, calendarOccurrences, type CalendarRule } from '../../src/runtime/calendar.js';

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
    const slots = buildCalendarSlots({ rules, overrides, firings, from, to, limit });
    const expected = JSON.stringify({
      items: calendarOccurrences(slots).map(presentOccurrence),
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    });
    const body = calendarJson(slots, from, to);
    t.is(body.toString('utf8'), expected);
    t.true(body.equals(Buffer.from(expected, 'utf8')));
    // Twice: the second time from the pieces kept per rule.
    t.true(calendarJson(slots, from, to).equals(body));
  });
}

test('a renamed or disabled rule is written with its new name and state', (t) => {
  const first = buildCalendarSlots({ rules, overrides: [], firings: [], from, to, limit: 100 });
  calendarJson(first, from, to);
  const changed = rules.map((r) => ({ ...r, name: `${r.name}!`, enabled: !r.enabled }));
  const slots = buildCalendarSlots({ rules: changed, overrides: [], firings: [], from, to, limit: 100 });
  const items = JSON.parse(calendarJson(slots, from, to).toString('utf8')) as {
    items: Array<{ rule_name: string; state: string }>;
  };
  t.deepEqual(
    items.items.map((o) => [o.rule_name, o.state]),
    calendarOccurrences(slots).map((o) => [o.ruleName, o.state]),
  );
  t.true(items.items.every((o) => o.rule_name.endsWith('!')));
  t.true(items.items.some((o) => o.state === 'disabled'));
});

test('an empty calendar', (t) => {
  t.is(
    calendarJson([], from, to).toString('utf8'),
    '{"items":[],"from":"2026-03-10T00:00:00.000Z","to":"2026-03-13T00:00:00.000Z"}',
  );
});

test('the test calendar holds every kind of item', (t) => {
  const slots = buildCalendarSlots({ rules, overrides, firings, from, to, limit: 100 });
  const states = new Set(calendarOccurrences(slots).map((o) => o.state));
  t.deepEqual([...states].sort(), ['deleted', 'disabled', 'dispatched', 'moved', 'scheduled']);
});
