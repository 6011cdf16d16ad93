/**
 * The real PostgreSQL (and MariaDB) taken away during a burst and brought back: a TCP proxy
 * between the engine and the database refuses new connections and breaks the open ones for
 * several seconds (the shared servers themselves are never stopped). Afterwards every occurrence
 * has exactly one firing row in a final state, none is left `claimed`, none is without a row,
 * and no request was published twice.
 */
import test from 'ava';
import type { Rule } from '../../src/rules/Rule.js';
import { createTestDatabase, type TestDialect } from '../helpers/testDb.js';
import { portOf, startTcpProxy, throughProxy } from '../helpers/tcpProxy.js';
import { at, once } from '../runtime/support/fixtures.js';
import { createHarness } from '../runtime/support/harness.js';

const RULES_PER_SECOND = 6;
const SPREAD_S = 20;
const iso = (t: number) => new Date(t).toISOString().slice(0, 19);

const outageDuringBurst = test.macro(async (t, dialect: TestDialect) => {
  const db = await createTestDatabase(dialect);
  t.teardown(() => db.drop());
  const proxy = await startTcpProxy(portOf(db.dbUrl));
  t.teardown(() => proxy.stop());
  const base = at('2026-01-05T09:00:00.000Z');
  const h = await createHarness({
    start: base - 30_000,
    dbUrl: throughProxy(db.dbUrl, proxy),
    latencyMs: 100,
  });
  t.teardown(() => h.close());

  const rules: Rule[] = [];
  for (let s = 0; s < SPREAD_S; s++) {
    const batch = Array.from({ length: RULES_PER_SECOND }, (_, k) =>
      h.addRule({
        schedule: once(iso(base + s * 1_000)),
        misfire: k % 2 === 0 ? { policy: 'skip', graceMs: 0 } : { policy: 'fire_once', graceMs: 60_000 },
      }),
    );
    rules.push(...(await Promise.all(batch)));
  }
  await h.engine.start();
  await h.clock.advanceTo(base + 5_500);

  // Cut: at least 4 s of real time and 8 s on the scheduler's clock.
  await proxy.stop();
  const cutAt = Date.now();
  let pendingSeen = 0;
  let unwrittenSeen = 0;
  while (h.clock.now() < base + 13_500 || Date.now() - cutAt < 4_000) {
    if (h.clock.now() < base + 13_500) await h.clock.advance(100);
    else await new Promise((resolve) => setTimeout(resolve, 50));
    const s = h.engine.stats();
    pendingSeen = Math.max(pendingSeen, s.pendingClaims);
    unwrittenSeen = Math.max(unwrittenSeen, s.unwrittenOutcomes);
  }
  await proxy.start();
  t.log(
    `cut for ${Date.now() - cutAt} ms of real time; most claims waiting ${pendingSeen}, outcomes ${unwrittenSeen}`,
  );

  await h.until(
    () =>
      h.clock.now() > base + (SPREAD_S + 5) * 1_000 &&
      h.engine.stats().inFlight === 0 &&
      h.engine.stats().pendingClaims === 0,
    'every occurrence is settled',
    120_000,
  );
  t.true(pendingSeen > 0, 'claims waited for the store');

  const rows = (await h.store.firings.list({ order: 'asc', limit: 10_000, offset: 0 })).items;
  const perRule = new Map<string, number>();
  for (const r of rows) perRule.set(r.ruleId, (perRule.get(r.ruleId) ?? 0) + 1);
  t.is(perRule.size, rules.length, 'every occurrence has a row');
  t.true(
    [...perRule.values()].every((n) => n === 1),
    'exactly one row per occurrence',
  );
  t.deepEqual(
    rows.filter((r) => r.status === 'claimed').map((r) => iso(r.dueAt)),
    [],
    'none left claimed',
  );
  const requestIds = h.dispatcher.received.map((m) => m.request_id);
  t.is(new Set(requestIds).size, requestIds.length, 'no request published twice');
  const dispatched = rows.filter((r) => r.status === 'dispatched');
  t.is(dispatched.length, requestIds.length, 'every published request has its dispatched row');
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  t.log(byStatus);
  t.true((byStatus.missed ?? 0) > 0, 'late claims under the skip policy are recorded missed');
  t.is((byStatus.missed ?? 0) + (byStatus.dispatched ?? 0), rules.length);
});

test(
  'PostgreSQL cut during a burst and restored: one final row per occurrence',
  outageDuringBurst,
  'postgres',
);
test('MariaDB cut during a burst and restored: one final row per occurrence', outageDuringBurst, 'mariadb');
