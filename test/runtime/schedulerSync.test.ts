import test, { type ExecutionContext } from 'ava';
import { SimulatedClock } from 'xstate';
import { createMemoryLogger } from '../../src/log.js';
import { occurrenceId } from '../../src/rules/ids.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { createTestDatabase, type TestDialect } from '../helpers/testDb.js';
import { dailyRule, iso, ms, NOW, openHarness } from './schedulerFixture.js';

async function twoReplicas(t: ExecutionContext, dialect: TestDialect = 'sqlite-file') {
  const db = await createTestDatabase(dialect);
  const clock = new SimulatedClock();
  clock.set(NOW);
  const logger = createMemoryLogger();
  const a = await openHarness({ dbUrl: db.dbUrl, clock, replicaId: 'a' });
  const b = await openHarness({ dbUrl: db.dbUrl, clock, replicaId: 'b', logger });
  t.teardown(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });
  return { a, b, clock, logger };
}

test('a change made through one replica reaches the other one within a sync interval', async (t) => {
  const { a, b, clock } = await twoReplicas(t);
  const events: SchedulerEvent[] = [];
  b.scheduler.onEvent((e) => events.push(e));
  b.scheduler.startSync();
  await b.scheduler.syncIdle();

  const rule = await a.scheduler.createRule(dailyRule('shared', ['09:00']), null);
  t.deepEqual(b.engine.refreshed, []);
  clock.increment(999);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, []);
  clock.increment(1);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, [rule.id]);
  t.is(b.engine.nextDueAt(rule.id), ms('2026-03-10T09:00:00.000Z'));
  t.deepEqual(events, [{ type: 'rules.changed', ruleIds: [rule.id] }]);

  await a.scheduler.updateRule(
    rule.id,
    { schedule: { kind: 'daily', times: ['07:00'], timezone: 'UTC' } },
    1,
    null,
  );
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.is(b.engine.nextDueAt(rule.id), ms('2026-03-10T07:00:00.000Z'));

  await a.scheduler.updateOccurrence(
    occurrenceId(rule.id, ms('2026-03-10T07:00:00.000Z')),
    { enabled: false },
    null,
  );
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, [rule.id, rule.id, rule.id]);

  await a.scheduler.deleteRule(rule.id, null, null);
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.removed, [rule.id]);
  t.is(b.engine.nextDueAt(rule.id), null);

  // The other replica's next-due listing learns of rules through the sync, too.
  const other = await a.scheduler.createRule(dailyRule('other', ['10:00']), null);
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  const page = await b.scheduler.listRules({ sort: 'next_due_at', limit: 10, offset: 0 });
  t.deepEqual(
    page.items.map((r) => r.id),
    [other.id],
  );
});

for (const dialect of ['sqlite-file', 'postgres', 'mariadb'] as const) {
  test(`${dialect}: a rule read through one replica shows a change made through the other at once`, async (t) => {
    const { a, b } = await twoReplicas(t, dialect);
    // No sync running: what b answers cannot come from its follower.
    const rule = await a.scheduler.createRule(dailyRule('shared', ['09:00']), null);
    const first = await b.scheduler.getRuleWithUpcoming(rule.id, 2);
    t.is(first.rule.version, 1);
    t.deepEqual(
      first.upcoming.map((o) => iso(o.at)),
      ['2026-03-10T09:00:00.000Z', '2026-03-11T09:00:00.000Z'],
    );
    t.is((await b.scheduler.getRuleWithUpcoming(rule.id, 2)).rule.version, 1);

    await a.scheduler.updateRule(rule.id, { name: 'shared, renamed' }, 1, null);
    const renamed = await b.scheduler.getRuleWithUpcoming(rule.id, 2);
    t.like(renamed.rule, { name: 'shared, renamed', version: 2 });

    await a.scheduler.updateOccurrence(
      occurrenceId(rule.id, ms('2026-03-10T09:00:00.000Z')),
      { enabled: false },
      null,
    );
    t.deepEqual(
      (await b.scheduler.getRuleWithUpcoming(rule.id, 2)).upcoming.map((o) => o.state),
      ['disabled', 'scheduled'],
    );
    t.is((await b.scheduler.getRule(rule.id)).version, 2);

    await a.scheduler.deleteRule(rule.id, null, null);
    await t.throwsAsync(b.scheduler.getRuleWithUpcoming(rule.id, 2), { message: /does not exist/ });
  });
}

test('a replica does not re-apply its own changes', async (t) => {
  const { b, clock } = await twoReplicas(t);
  b.scheduler.startSync();
  await b.scheduler.syncIdle();
  const rule = await b.scheduler.createRule(dailyRule('mine', ['09:00']), null);
  await b.scheduler.updateOccurrence(
    occurrenceId(rule.id, ms('2026-03-10T09:00:00.000Z')),
    { enabled: false },
    null,
  );
  const own = await b.scheduler.createRule(dailyRule('mine too', ['09:00']), null);
  await b.scheduler.deleteRule(own.id, null, null);
  const before = [...b.engine.refreshed];
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, before);
  t.deepEqual(b.engine.removed, [own.id]);
});

test('when the store is down the sync logs and retries at the next tick', async (t) => {
  const { a, b, clock, logger } = await twoReplicas(t);
  let failing = true;
  const changesSince = b.store.rules.changesSince.bind(b.store.rules);
  b.store.rules.changesSince = (cursor, limit) =>
    failing ? Promise.reject(new Error('database is locked')) : changesSince(cursor, limit);
  b.scheduler.startSync();
  await b.scheduler.syncIdle();

  const rule = await a.scheduler.createRule(dailyRule('later', ['09:00']), null);
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, []);
  t.true(
    logger.lines.some((l) => l.level === 'warn' && /sync/.test(l.msg) && l.error === 'database is locked'),
  );

  failing = false;
  clock.increment(1_000);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, [rule.id]);
});

test('a replica started from a change seq catches up on what changed since', async (t) => {
  const { a, b } = await twoReplicas(t);
  const seq = await b.store.rules.latestChangeSeq();
  const rule = await a.scheduler.createRule(dailyRule('while loading', ['09:00']), null);
  b.scheduler.startSync(seq);
  await b.scheduler.syncIdle();
  t.deepEqual(b.engine.refreshed, [rule.id]);
});
