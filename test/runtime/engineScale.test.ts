import test, { type ExecutionContext } from 'ava';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { Rule } from '../../src/rules/Rule.js';
import type { Store } from '../../src/runtime/ports.js';
import { openStore } from '../../src/store/openStore.js';
import { createMemoryLogger } from '../../src/log.js';
import { createTestDatabase } from '../helpers/testDb.js';
import { at, daily } from './support/fixtures.js';
import { createHarness, slowStore } from './support/harness.js';

const NINE = at('2026-01-05T09:00:00.000Z');

test('1,000 rules due at the same instant each fire exactly once', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:59:00.000Z') });
  t.teardown(() => h.close());
  const rules: Rule[] = [];
  for (let i = 0; i < 1_000; i++) rules.push(await h.addRule({ schedule: daily(['09:00:00']) }));
  await h.engine.start();
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length >= 1_000, 'all are recorded');
  await h.clock.advance(60_000);
  t.is(h.dispatcher.received.length, 1_000);
  t.is(new Set(h.dispatcher.received.map((r) => r.request_id)).size, 1_000);
  t.is(h.firings.length, 1_000);
  t.true(h.firings.every((f) => f.status === 'dispatched' && f.publishedAt === NINE));
  const rows = await h.store.firings.list({
    from: NINE,
    to: NINE + 1,
    order: 'asc',
    limit: 2_000,
    offset: 0,
  });
  t.is(rows.total, 1_000);
  t.is(new Set(rows.items.map((f) => f.ruleId)).size, 1_000);
  t.true(rows.items.every((f) => f.status === 'dispatched'));
  const claimBatches = h.logger.lines.filter((l) => l.msg === 'firing recorded').length;
  t.is(claimBatches, 1_000, 'one log line per firing');
});

/**
 * Two engines on one SQLite file, each with its own store connection and dispatcher, 200 rules
 * due twice 30 s apart. `slowMs`: each store call of both replicas is delayed by up to this much
 * real time (as on a loaded machine), so which replica commits first varies from run to run.
 */
async function raceTwoReplicas(t: ExecutionContext, slowMs: number): Promise<void> {
  const db = await createTestDatabase('sqlite-file');
  const slow = (store: Store) => (slowMs > 0 ? slowStore(store, slowMs) : store);
  const h = await createHarness({ start: at('2026-01-05T08:59:00.000Z'), dbUrl: db.dbUrl, wrapStore: slow });
  const other = await openStore({ dbUrl: db.dbUrl, logger: createMemoryLogger(), clock: h.clock });
  const otherDispatcher = createSimulatedDispatcher({ clock: h.clock, latencyMs: 20 });
  t.teardown(async () => {
    await h.close();
    await otherDispatcher.close();
    await other.close();
    await db.drop();
  });
  for (let i = 0; i < 200; i++) {
    await h.addRule({ schedule: daily(['09:00:00', '09:00:30']) });
  }
  const second = h.newEngine({ store: slow(other), dispatcher: otherDispatcher, replicaId: 'replica-b' });
  await Promise.all([h.engine.start(), second.start()]);
  await h.clock.advanceTo(NINE + 30_000);
  await h.until(() => h.firings.length >= 400, 'every occurrence is recorded', 120_000);
  await h.clock.advance(30_000);
  const received = [...h.dispatcher.received, ...otherDispatcher.received];
  t.is(received.length, 400, 'each occurrence published once across both replicas');
  t.is(h.firings.length, 400);
  t.true(
    h.firings.every((f) => f.publishedAt === f.fireAt),
    'whichever replica claimed an occurrence published it at its instant',
  );
  const rows = await h.store.firings.list({ order: 'asc', limit: 1_000, offset: 0 });
  t.is(rows.total, 400);
  t.true(rows.items.every((f) => f.status === 'dispatched'));
  const keys = new Set(rows.items.map((f) => `${f.ruleId}|${f.dueAt}`));
  t.is(keys.size, 400);
  t.log(`replica-1 sent ${h.dispatcher.received.length}, replica-b sent ${otherDispatcher.received.length}`);
}

test('two replicas on one store racing the same rules: each occurrence fires once', (t) =>
  raceTwoReplicas(t, 0));

test('two replicas racing on stores that answer slowly (a loaded machine): each occurrence fires once, on time', (t) =>
  raceTwoReplicas(t, 30));
