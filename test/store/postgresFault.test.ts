/**
 * PostgreSQL going away: while it cannot be reached every call fails with STORE_UNAVAILABLE; once
 * it is back the same Store works again, and nothing committed before was lost.
 */
import test from 'ava';
import { DomainError } from '../../src/rules/errors.js';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { adminQuery, createTestDatabase } from '../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0 } from './fixtures.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';

const unavailable = (e: unknown) => e instanceof DomainError && e.code === 'STORE_UNAVAILABLE';

test('a stopped database connection is STORE_UNAVAILABLE, and the store recovers when it is back', async (t) => {
  const db = await createTestDatabase('postgres');
  const proxy = await startTcpProxy(Number(new URL(db.dbUrl).port || 5432));
  const url = new URL(db.dbUrl);
  url.port = String(proxy.port);
  const store = await openStore({ dbUrl: url.toString(), logger: silentLogger });
  try {
    const rule = await store.rules.create(newRule());
    const before = await store.firings.claimBatch(
      [0, 1, 2].map((i) => claimRequest(rule.id, T0 + i)),
      claimUnlessDisabled,
    );
    t.deepEqual(
      before.map((r) => r.status),
      ['claimed', 'claimed', 'claimed'],
    );

    await proxy.stop();
    const down = [
      await t.throwsAsync(store.ping()),
      await t.throwsAsync(store.rules.get(rule.id)),
      await t.throwsAsync(store.firings.claimBatch([claimRequest(rule.id, T0 + 3)], claimUnlessDisabled)),
      await t.throwsAsync(
        store.firings.recordOutcomes([
          {
            ruleId: rule.id,
            dueAt: T0,
            trigger: 'schedule',
            status: 'failed',
            requestId: null,
            request: null,
            response: null,
            rmfTaskId: null,
            error: 'x',
            attempts: 1,
            publishedAt: null,
            respondedAt: null,
          },
        ]),
      ),
    ];
    t.true(down.every(unavailable), down.map((e) => `${(e as DomainError).code}: ${e?.message}`).join('\n'));
    t.regex(down[0]?.message ?? '', /cannot be reached/);

    await proxy.start();
    // The pool may still hand out one connect failure from while it was down; then it reconnects.
    let pings = 0;
    for (;;) {
      pings++;
      const ok = await store.ping().then(
        () => true,
        (e: unknown) => (unavailable(e) && pings < 50 ? false : Promise.reject(e)),
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    t.log(`answered again after ${pings} ping(s)`);
    const after = await store.firings.claimBatch(
      [0, 1, 2, 3].map((i) => claimRequest(rule.id, T0 + i)),
      claimUnlessDisabled,
    );
    t.deepEqual(
      after.map((r) => r.status),
      ['already_claimed', 'already_claimed', 'already_claimed', 'claimed'],
    );
    t.is((await store.firings.list({ ruleId: rule.id, order: 'asc', limit: 10, offset: 0 })).total, 4);
    t.deepEqual((await store.rules.get(rule.id)).name, rule.name);
  } finally {
    await store.close();
    await proxy.stop();
    await db.drop();
  }
});

test('backends terminated mid-run: failed calls are STORE_UNAVAILABLE, retries succeed, each claim once', async (t) => {
  const db = await createTestDatabase('postgres');
  const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  try {
    const rule = await store.rules.create(newRule());
    const failures: unknown[] = [];
    const claimed = new Set<number>();
    const claimWithRetry = async (dueAt: number) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          const [r] = await store.firings.claimBatch([claimRequest(rule.id, dueAt)], claimUnlessDisabled);
          if (r?.status === 'claimed') claimed.add(dueAt);
          return;
        } catch (err) {
          failures.push(err);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    // Claims keep running until every termination has happened (at least 100 pairs, at most 5,000).
    let terminating = true;
    let pairs = 0;
    const work = (async () => {
      for (; pairs < 5_000 && (terminating || pairs < 100); pairs++)
        await Promise.all([claimWithRetry(T0 + pairs * 2), claimWithRetry(T0 + pairs * 2 + 1)]);
    })();
    for (let k = 0; k < 3; k++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await adminQuery(
        db,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db.name}' AND pid <> pg_backend_pid()`,
      );
    }
    terminating = false;
    await work;
    t.true(failures.every(unavailable), failures.map((e) => String(e)).join('\n'));
    t.log(`${failures.length} calls failed while backends were terminated`);
    const rows = await store.firings.list({ ruleId: rule.id, order: 'asc', limit: 20_000, offset: 0 });
    t.is(rows.total, pairs * 2);
    t.is(new Set(rows.items.map((f) => f.dueAt)).size, pairs * 2);
  } finally {
    await store.close();
    await db.drop();
  }
});
