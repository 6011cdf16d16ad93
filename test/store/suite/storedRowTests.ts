/** Rows written by hand: unusual but valid JSON loads; unreadable rows are named in the error. */
import type { DomainError } from '../../../src/rules/errors.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/openStore.js';
import type { TestDialect } from '../../helpers/testDb.js';
import { adminQuery, createTestDatabase } from '../../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0 } from '../fixtures.js';
import { isCode, test } from './context.js';

export function storedRowTests(dialect: TestDialect): void {
  if (dialect !== 'sqlite-memory') {
    test('a schedule stored with tabs and line breaks in its JSON still loads', async (t) => {
      const { db, store } = t.context;
      const rule = await store.rules.create(newRule());
      const spaced = JSON.stringify(rule.schedule, null, '\t').replace(/'/g, "''");
      await adminQuery(db, `UPDATE rules SET schedule = '${spaced}' WHERE id = '${rule.id}'`);
      const entries = await store.rules.loadSchedulingEntries();
      t.deepEqual(entries.find((e) => e.id === rule.id)?.schedule, rule.schedule);
      t.deepEqual((await store.rules.get(rule.id)).schedule, rule.schedule);
    });

    test('an unreadable row is INTERNAL naming table, row and column', async (t) => {
      const db = await createTestDatabase(dialect);
      const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
      try {
        const good = await store.rules.create(newRule());
        const kind = await store.rules.create(newRule());
        await adminQuery(
          db,
          `UPDATE rules SET schedule = '{"kind":"hourly","timezone":"UTC"}' WHERE id = '${kind.id}'`,
        );
        await adminQuery(db, `UPDATE rules SET metadata = 'not json' WHERE id = '${good.id}'`);
        const e1 = await t.throwsAsync(store.rules.get(kind.id));
        t.true(isCode('INTERNAL')(e1));
        t.like((e1 as DomainError).details, { table: 'rules', id: kind.id, column: 'schedule' });
        t.regex((e1 as Error).message, /rules row .* schedule .*unknown schedule kind/);
        const e2 = await t.throwsAsync(store.rules.list({ limit: 10, offset: 0 }));
        t.true(isCode('INTERNAL')(e2));
        t.true(isCode('INTERNAL')(await t.throwsAsync(store.rules.loadSchedulingEntries())));
        await adminQuery(
          db,
          `UPDATE rules SET metadata = '{}', schedule = '${JSON.stringify(good.schedule)}'`,
        );
        const [claim] = await store.firings.claimBatch([claimRequest(good.id, T0)], claimUnlessDisabled);
        const id = claim?.status === 'claimed' ? claim.firing.id : '';
        await adminQuery(db, `UPDATE firings SET request = '{broken' WHERE id = '${id}'`);
        const e3 = await t.throwsAsync(store.firings.get(id));
        t.like((e3 as DomainError).details, { table: 'firings', id, column: 'request' });
      } finally {
        await store.close();
        await db.drop();
      }
    });
  }
}
