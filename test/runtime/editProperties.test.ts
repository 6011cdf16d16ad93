/**
 * A property of edits, through the Scheduler facade on the real store (SQLite in memory) and a
 * simulated clock: for random schedules and random edits that keep `start`,
 * - the occurrences before the edit instant (what already happened) are unchanged;
 * - each pending override is carried exactly when its local date still has an occurrence at its
 *   position (1st, 2nd, …) in the new schedule, to that occurrence, and removed otherwise;
 * - after an edit back to the first schedule, the carried overrides are back on their
 *   occurrences and the removed ones stay gone.
 */
import test from 'ava';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { occurrencesBetween } from '../../src/recurrence/occurrencesBetween.js';
import { isDomainError } from '../../src/rules/errors.js';
import { occurrenceId } from '../../src/rules/ids.js';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { Schedule } from '../../src/rules/Schedule.js';
import { scheduleToWire } from '../../src/rules/schedules.js';
import { openHarness, recordFiring, task } from './schedulerFixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const two = (n: number): string => String(n).padStart(2, '0');
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${two(h)}:${two(m)}`);
const times = fc.uniqueArray(time, { minLength: 1, maxLength: 3 });
const days = fc.subarray([...WEEKDAYS], { minLength: 1, maxLength: 4 });

/** The fields of one kind (wire form, no bounds). */
const single = fc.oneof(
  fc.record({ kind: fc.constant('daily'), times, every: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('weekly'), times, days, every: fc.integer({ min: 1, max: 2 }) }),
  fc.record({
    kind: fc.constant('monthly_weekday'),
    times,
    weekday: fc.constantFrom(...WEEKDAYS),
    week: fc.constantFrom(1, 2, -1),
  }),
  fc
    .record({
      every_seconds: fc.constantFrom(1800, 3600, 5400),
      from: fc.integer({ min: 0, max: 23 }),
      hours: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ every_seconds, from, hours }) => ({
      kind: 'interval',
      every_seconds,
      between: [`${two(from)}:00`, `${two((from + hours) % 24)}:00`],
    })),
);
const kindFields = fc.oneof(
  { weight: 4, arbitrary: single },
  {
    weight: 1,
    arbitrary: fc
      .tuple(single, single)
      .filter(([a, b]) => a.kind !== 'interval' && b.kind !== 'interval')
      .map(([a, b]) => ({ kind: 'any_of', schedules: [a, b] })),
  },
);

const scenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  /** Creation instant: some day of 2027, around its DST changes. */
  createdAt: fc
    .integer({ min: Date.UTC(2027, 2, 1), max: Date.UTC(2027, 10, 30) })
    .map((t) => t - (t % 60_000)),
  /** The start is the creation instant (no start given), or a local date up to ten days before. */
  startDaysBefore: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  count: fc.option(fc.integer({ min: 5, max: 60 }), { nil: null }),
  before: kindFields,
  after: kindFields,
  newZone: fc.option(fc.constantFrom(...ZONES), { nil: null, freq: 3 }),
  /** The edit comes this long after the creation. */
  editAfterMs: fc.integer({ min: HOUR, max: 4 * DAY }),
  /** Occurrences (by index after the edit instant) to disable, delete or move. */
  overrides: fc.array(
    fc.record({ index: fc.nat({ max: 40 }), action: fc.constantFrom('disabled', 'deleted', 'moved') }),
    { maxLength: 5 },
  ),
  /** An occurrence before the edit moved to after it (by index after the creation). */
  movedAcross: fc.option(fc.nat({ max: 10 }), { nil: null }),
});

const localDate = (at: number, zone: string): string => DateTime.fromMillis(at, { zone }).toISODate()!;

/** The schedule's occurrences on a local date, by luxon's reading of the date. */
function onDate(schedule: Schedule, date: string): number[] {
  const midnight = DateTime.fromISO(date, { zone: schedule.timezone }).toMillis();
  return occurrencesBetween(schedule, midnight - 14 * HOUR, midnight + DAY + 14 * HOUR, Infinity).filter(
    (at) => localDate(at, schedule.timezone) === date,
  );
}

const shape = (o: OccurrenceOverride | null) =>
  o === null ? null : { action: o.action, movedTo: o.movedTo, reason: o.reason };

test('edits that keep start keep the past, and carry overrides exactly when their date has that position', async (t) => {
  let checked = 0;
  let carriedSeen = 0;
  let removedSeen = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const h = await openHarness();
      try {
        h.clock.set(s.createdAt);
        const start =
          s.startDaysBefore === null
            ? {}
            : { start: localDate(s.createdAt - s.startDaysBefore * DAY, s.zone) };
        let rule;
        try {
          rule = await h.scheduler.createRule(
            {
              name: 'prop',
              task,
              schedule: { ...s.before, timezone: s.zone, ...start, ...(s.count ? { count: s.count } : {}) },
            },
            null,
          );
        } catch (error) {
          if (isDomainError(error, 'NEVER_FIRES')) return;
          throw error;
        }
        const id = rule.id;
        const editAt = s.createdAt + s.editAfterMs;
        const first = rule.schedule;

        // Before the edit: one occurrence moved across the edit instant, then the clock runs to
        // the edit, every occurrence on the way recorded as fired, and overrides set ahead.
        const early = occurrencesBetween(first, s.createdAt + 1, editAt, 40);
        const across = s.movedAcross === null ? undefined : early[s.movedAcross];
        if (across !== undefined) {
          await h.scheduler
            .updateOccurrence(occurrenceId(id, across), { at: editAt + 5 * HOUR + 60_000 }, 'ops')
            .catch(() => undefined);
        }
        const movedEarly = new Set((await h.store.overrides.listForRule(id, 0)).map((o) => o.occurrenceAt));
        for (const at of early) if (!movedEarly.has(at)) await recordFiring(h.store, id, at);
        h.clock.set(editAt);
        const ahead = occurrencesBetween(first, editAt + 1, editAt + 60 * DAY, 41);
        for (const [i, o] of s.overrides.entries()) {
          const at = ahead[o.index];
          if (at === undefined) continue;
          const occ = occurrenceId(id, at);
          const reason = `reason ${i}`;
          const change =
            o.action === 'disabled'
              ? h.scheduler.updateOccurrence(occ, { enabled: false, reason }, 'ops')
              : o.action === 'deleted'
                ? h.scheduler.deleteOccurrence(occ, reason, 'ops')
                : h.scheduler.updateOccurrence(occ, { at: at + 7 * 60_000 + i * 1000, reason }, 'ops');
          await change.catch(() => undefined); // a move onto another occurrence is refused: fine
        }
        const window = { from: s.createdAt - DAY, to: editAt, limit: 10_000 };
        const happened = async () =>
          (await h.scheduler.occurrences(window))
            .filter((o) => o.firingId !== null)
            // What happened (the zone they are shown in is the rule's current one).
            .map(({ id, originalAt, at, state, firingId, rmfTaskId }) => ({
              id,
              originalAt,
              at,
              state,
              firingId,
              rmfTaskId,
            }));
        const pastBefore = await happened();
        const pending = await h.store.overrides.listForRule(id, editAt - 3 * DAY);

        // The edit: another kind or other fields, maybe another zone; never a start.
        let edited;
        try {
          edited = await h.scheduler.updateRule(
            id,
            { schedule: { ...s.after, ...(s.newZone ? { timezone: s.newZone } : {}) } },
            null,
            'ops',
          );
        } catch (error) {
          if (isDomainError(error, 'NEVER_FIRES')) return;
          throw error;
        }
        const second = edited.schedule;
        t.is(second.start, first.start);
        t.is(second.count, first.count);
        t.deepEqual(await happened(), pastBefore);

        carriedSeen += edited.overrides.carried.length;
        removedSeen += edited.overrides.removed.length;
        const carried = new Map(edited.overrides.carried.map((c) => [c.override.occurrenceAt, c.to]));
        const removed = new Set(edited.overrides.removed.map((r) => r.override.occurrenceAt));
        const targets = new Set<number>();
        for (const o of pending) {
          const date = localDate(o.occurrenceAt, first.timezone);
          const todayBefore = DateTime.fromMillis(editAt, { zone: first.timezone }).minus({ days: 1 });
          const isPending =
            (o.action === 'moved' && (o.movedTo as number) >= editAt) || date >= todayBefore.toISODate()!;
          if (!isPending) continue;
          const position = onDate(first, date).indexOf(o.occurrenceAt);
          const target = position < 0 ? undefined : onDate(second, date)[position];
          if (target === undefined) {
            t.true(removed.has(o.occurrenceAt), `${occurrenceId(id, o.occurrenceAt)} should be removed`);
            continue;
          }
          targets.add(target);
          t.false(removed.has(o.occurrenceAt));
          if (target !== o.occurrenceAt) t.is(carried.get(o.occurrenceAt), target);
          else t.false(carried.has(o.occurrenceAt));
          t.deepEqual(shape(await h.store.overrides.get(id, target)), shape(o));
        }
        for (const at of removed) {
          if (!targets.has(at)) t.is(await h.store.overrides.get(id, at), null);
        }

        // Back to the first schedule (disabled: its count may be used up): carried ones return,
        // removed ones stay gone.
        await h.scheduler.updateRule(id, { schedule: scheduleToWire(first), enabled: false }, null, 'ops');
        for (const o of pending) {
          if (removed.has(o.occurrenceAt)) t.is(await h.store.overrides.get(id, o.occurrenceAt), null);
          else if (carried.has(o.occurrenceAt))
            t.deepEqual(shape(await h.store.overrides.get(id, o.occurrenceAt)), shape(o));
        }
        checked += 1;
      } finally {
        await h.close();
      }
    }),
    { numRuns: 60 },
  );
  t.true(checked > 30, `only ${checked} scenarios got to the edit`);
  t.true(carriedSeen > 0 && removedSeen > 0, `${carriedSeen} carried, ${removedSeen} removed`);
});
