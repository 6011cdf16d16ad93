/** An interval rule created at any second fires on its windows' grid, from its creation on. */
import test from 'ava';
import { SimulatedClock } from 'xstate';
import { iso, ms, openHarness, task } from './schedulerFixture.js';

test('every 30 minutes between 08:00 and 18:00, created at 08:50:01, is next due at 09:00, then 09:30', async (t) => {
  const clock = new SimulatedClock();
  clock.set(ms('2026-06-01T08:50:01.250Z'));
  const h = await openHarness({ clock });
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(
    {
      name: 'half-hourly',
      schedule: { kind: 'interval', every_seconds: 1800, between: ['08:00', '18:00'], timezone: 'UTC' },
      task,
    },
    null,
  );
  t.is(rule.schedule.start, '2026-06-01T08:50:02');
  t.is(iso(rule.nextDueAt), '2026-06-01T09:00:00.000Z');
  const upcoming = await h.scheduler.upcoming(rule.id, 3);
  t.deepEqual(
    upcoming.map((o) => iso(o.at)),
    ['2026-06-01T09:00:00.000Z', '2026-06-01T09:30:00.000Z', '2026-06-01T10:00:00.000Z'],
  );
});

test('an interval count counts only occurrences after the creation instant', async (t) => {
  const clock = new SimulatedClock();
  clock.set(ms('2026-06-01T07:10:00.000Z'));
  const h = await openHarness({ clock });
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(
    { name: 'three', schedule: { kind: 'interval', every_seconds: 3600, count: 3, timezone: 'UTC' }, task },
    null,
  );
  t.deepEqual(
    (await h.scheduler.upcoming(rule.id, 10)).map((o) => iso(o.at)),
    ['2026-06-01T08:00:00.000Z', '2026-06-01T09:00:00.000Z', '2026-06-01T10:00:00.000Z'],
  );
});
