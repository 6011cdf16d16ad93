/**
 * On an SQLite file the store reads through several connections next to the writer: many reads
 * issued together, right after a write returned, all see that write.
 */
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { createTestDatabase } from '../helpers/testDb.js';
import { newRule, unique } from './fixtures.js';

test('concurrent reads on an SQLite file see the write committed just before them', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  try {
    const created = await store.rules.create(newRule());
    t.true((await store.rules.list({ limit: 10, offset: 0 })).items.some((r) => r.id === created.id));
    for (let round = 1; round <= 20; round++) {
      const description = unique(`round ${round} `);
      const updated = await store.rules.update(created.id, null, { description });
      const [others, ...seen] = await Promise.all([
        store.rules.create(newRule()),
        ...Array.from({ length: 12 }, () => store.rules.get(created.id)),
      ]);
      t.truthy(others);
      for (const rule of seen) {
        t.is(rule.description, description);
        t.is(rule.version, updated.version);
      }
      const page = await store.rules.list({ limit: 1000, offset: 0 });
      t.is(page.total, round + 1);
    }
    const entries = await store.rules.loadSchedulingEntries();
    t.is(entries.length, 21);
  } finally {
    await store.close();
    await db.drop();
  }
});

test('a closed store on an SQLite file can be opened again and reads what it wrote', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  try {
    const first = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    const rule = await first.rules.create(newRule());
    await first.close();
    const second = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    try {
      t.is((await second.rules.get(rule.id)).name, rule.name);
    } finally {
      await second.close();
    }
  } finally {
    await db.drop();
  }
});
