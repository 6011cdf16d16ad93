import test from 'ava';
import { createMemoryLogger } from '../../src/log.js';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import { createEntryPlanner, loadRuleEntries, startCursor } from '../../src/runtime/entryPlanner.js';
import { NO_OVERRIDES } from '../../src/runtime/occurrenceSequence.js';
import type { SchedulingEntry, Store } from '../../src/runtime/ports.js';
import { entryFromScheduling } from '../../src/runtime/ruleEntry.js';
import { at, daily, interval } from './support/fixtures.js';

// Where a rule's next firing is planned after a start: what is due, what is missed (with its
// row), and what fires late.

const HOUR = 3_600_000;
const row = (fields: Partial<SchedulingEntry> = {}): SchedulingEntry => ({
  id: 'r1',
  version: 1,
  enabled: true,
  schedule: interval(3_600, '2026-01-01T00:00:00'),
  leadTimeMs: 0,
  misfire: { policy: 'fire_once', graceMs: HOUR },
  lastDueAt: null,
  createdAt: at('2026-01-01T00:00:00Z'),
  ...fields,
});
const hhmm = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString().slice(11, 16));

test('a rule created at its own instant has that instant due; nothing before its creation is', (t) => {
  const created = at('2026-01-05T09:00:00Z');
  t.is(startCursor(row({ createdAt: created }), created + 5), created - 1);
  const planner = createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' });
  const entry = entryFromScheduling(
    row({ createdAt: created }),
    NO_OVERRIDES,
    startCursor(row({ createdAt: created }), created),
  );
  t.deepEqual(planner.plan(entry, created - 10), []);
  t.is(entry.next?.fireAt, created, 'its 09:00 is due, though it was created at 09:00:00.000');
});

test('the newest fired occurrence is where a restart resumes, never before it', (t) => {
  const created = at('2026-01-01T00:00:00Z');
  const fired = at('2026-01-05T08:00:00Z');
  t.is(startCursor(row({ createdAt: created, lastDueAt: fired }), fired + HOUR), fired);
  t.is(startCursor(row({ createdAt: fired + 5, lastDueAt: fired }), fired + HOUR), fired + 4);
  t.is(startCursor(row({ createdAt: Number.NaN, lastDueAt: fired }), fired + HOUR), fired);
  t.is(startCursor(row({ createdAt: Number.NaN, lastDueAt: null }), fired + HOUR), fired + HOUR - 1);
});

test('after downtime: each missed occurrence gets a row saying so; fire_once fires the newest within grace, late', (t) => {
  const logger = createMemoryLogger();
  const planner = createEntryPlanner({ logger, replicaId: 'replica-b' });
  const entry = entryFromScheduling(row(), NO_OVERRIDES, at('2026-01-05T08:00:00Z'));
  const now = at('2026-01-05T11:30:00Z');
  const missed = planner.plan(entry, now);
  t.deepEqual(
    missed.map((m) => hhmm(m.dueAt)),
    ['09:00', '10:00'],
  );
  t.like(missed[0], {
    ruleId: 'r1',
    fireAt: at('2026-01-05T09:00:00Z'),
    trigger: 'schedule',
    status: 'missed',
    replicaId: 'replica-b',
    recordedAt: now,
    error:
      'missed: the scheduler was not running (or not awake) at 2026-01-05T09:00:00.000Z; the misfire policy did not fire it',
  });
  t.is(hhmm(entry.next?.fireAt), '11:00');
  t.true(entry.lateAccepted, 'the late one is fired, not counted missed');
  t.is(entry.cursor, at('2026-01-05T10:00:00Z'), 'the missed ones are settled');
  t.is(logger.lines.length, 0);
});

test('skip after downtime: all missed, the next one ahead is armed, on time', (t) => {
  const planner = createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' });
  const entry = entryFromScheduling(
    row({ misfire: { policy: 'skip', graceMs: HOUR } }),
    NO_OVERRIDES,
    at('2026-01-05T08:00:00Z'),
  );
  entry.lateAccepted = true;
  const missed = planner.plan(entry, at('2026-01-05T11:30:00Z'));
  t.deepEqual(
    missed.map((m) => hhmm(m.dueAt)),
    ['09:00', '10:00', '11:00'],
  );
  t.is(hhmm(entry.next?.fireAt), '12:00');
  t.false(entry.lateAccepted);
  t.is(entry.cursor, at('2026-01-05T11:00:00Z'));
});

test('a disabled rule is armed with nothing and writes no missed rows', (t) => {
  const planner = createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' });
  const entry = entryFromScheduling(row({ enabled: false }), NO_OVERRIDES, at('2026-01-05T08:00:00Z'));
  entry.lateAccepted = true;
  t.deepEqual(planner.plan(entry, at('2026-01-05T11:30:00Z')), []);
  t.is(entry.next, null);
  t.false(entry.lateAccepted);
});

test('a long outage of a frequent rule is logged with how many rows were written and how many only counted', (t) => {
  const logger = createMemoryLogger();
  const planner = createEntryPlanner({ logger, replicaId: 'a' });
  const everyMinute = row({
    schedule: interval(60, '2026-01-01T00:00:00'),
    misfire: { policy: 'skip', graceMs: 0 },
  });
  const entry = entryFromScheduling(everyMinute, NO_OVERRIDES, at('2026-01-01T00:00:00Z'));
  const missed = planner.plan(entry, at('2026-01-03T00:00:30Z'));
  t.is(missed.length, 1_000);
  const warning = logger.lines.find((l) => l.msg.startsWith('many occurrences missed'));
  t.like(warning, { ruleId: 'r1', recorded: 1_000 });
  t.true((warning?.notListed as number) > 1_800);
  t.is(entry.next?.fireAt, at('2026-01-03T00:01:00Z'));
});

test('loading: overrides are read from the oldest enabled cursor (a year back at most) and reach their rule', async (t) => {
  const now = at('2026-01-05T11:30:00Z');
  const asked: Array<[number, number]> = [];
  const moved: OccurrenceOverride = {
    ruleId: 'r1',
    occurrenceAt: at('2026-01-05T12:00:00Z'),
    action: 'moved',
    movedTo: at('2026-01-05T12:20:00Z'),
    reason: null,
    by: null,
    updatedAt: 0,
  };
  const rows = [
    row({ id: 'r1', lastDueAt: at('2026-01-05T11:00:00Z'), createdAt: at('2026-01-01T00:00:00Z') }),
    row({ id: 'r2', lastDueAt: at('2026-01-05T06:00:00Z'), createdAt: at('2026-01-01T00:00:00Z') }),
    row({ id: 'off', enabled: false, lastDueAt: null, createdAt: at('2020-01-01T00:00:00Z') }),
  ];
  const store = {
    rules: { loadSchedulingEntries: async () => rows },
    overrides: {
      listInWindow: async (from: number, to: number) => {
        asked.push([from, to]);
        return [moved];
      },
    },
  } as unknown as Store;
  const planner = createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' });
  const { entries, missed } = await loadRuleEntries(store, planner, now, 5_000);
  t.deepEqual(asked, [[at('2026-01-05T06:00:00Z'), 8_640_000_000_000_000]]);
  t.deepEqual(
    entries.map((e) => [e.id, hhmm(e.next?.fireAt)]),
    [
      ['r1', '12:20'],
      ['r2', '11:00'],
      ['off', 'none'],
    ],
  );
  t.deepEqual(
    missed.map((m) => `${m.ruleId} ${hhmm(m.dueAt)}`),
    ['r2 07:00', 'r2 08:00', 'r2 09:00', 'r2 10:00'],
  );
});

test('loading after a year or more down: overrides are read from a year back, not from the rule’s creation', async (t) => {
  const now = at('2026-01-05T11:30:00Z');
  const asked: number[] = [];
  const store = {
    rules: {
      loadSchedulingEntries: async () => [
        row({ schedule: daily(['09:00:00']), createdAt: at('2020-01-01T00:00:00Z') }),
      ],
    },
    overrides: {
      listInWindow: async (from: number) => {
        asked.push(from);
        return [];
      },
    },
  } as unknown as Store;
  const planner = createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' });
  await loadRuleEntries(store, planner, now, 5_000);
  t.deepEqual(asked, [now - 366 * 86_400_000]);
});

test('loading with no enabled rule: overrides are read from just before now (the late tolerance)', async (t) => {
  const now = at('2026-01-05T11:30:00Z');
  const asked: number[] = [];
  const store = {
    rules: { loadSchedulingEntries: async () => [row({ enabled: false })] },
    overrides: {
      listInWindow: async (from: number) => {
        asked.push(from);
        return [];
      },
    },
  } as unknown as Store;
  await loadRuleEntries(
    store,
    createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' }),
    now,
    5_000,
  );
  t.deepEqual(asked, [now - 5_000]);
});

test('loading: every override of a rule reaches it, not only the last one read', async (t) => {
  const now = at('2026-01-05T11:30:00Z');
  const moved = (from: string, to: string): OccurrenceOverride => ({
    ruleId: 'r1',
    occurrenceAt: at(from),
    action: 'moved',
    movedTo: at(to),
    reason: null,
    by: null,
    updatedAt: 0,
  });
  const store = {
    rules: { loadSchedulingEntries: async () => [row({ lastDueAt: at('2026-01-05T11:00:00Z') })] },
    overrides: {
      listInWindow: async () => [
        moved('2026-01-05T12:00:00Z', '2026-01-05T12:20:00Z'),
        moved('2026-01-05T13:00:00Z', '2026-01-05T13:40:00Z'),
      ],
    },
  } as unknown as Store;
  const { entries } = await loadRuleEntries(
    store,
    createEntryPlanner({ logger: createMemoryLogger(), replicaId: 'a' }),
    now,
    5_000,
  );
  t.deepEqual(
    entries[0]?.overrides.moved.map((o) => hhmm(o.movedTo ?? undefined)),
    ['12:20', '13:40'],
  );
});
