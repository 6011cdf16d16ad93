/**
 * On an SQLite file the store reads through several connections next to the writer: many reads
 * issued together, right after a write returned, all see that write.
 */
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { openSqliteReaders } from '../../src/store/sqliteReaders.js';
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

test('a reader keeps statements prepared: reused with other values, evicted past its limit, a bad one fails alone', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  const [reader] = await openSqliteReaders(db.name, 1);
  try {
    const rules = await Promise.all(Array.from({ length: 5 }, () => store.rules.create(newRule())));
    const nameOf = async (id: string) =>
      (await reader!.all<{ name: string }>('SELECT name FROM rules WHERE id = ?', [id]))[0]?.name;
    for (const rule of rules) t.is(await nameOf(rule.id), rule.name);
    // Many texts at once: older statements are finalized while others are still in use.
    const many = await Promise.all(
      Array.from({ length: 150 }, (_, i) => reader!.all<{ n: number }>(`SELECT ? + ${i} AS n`, [1])),
    );
    t.deepEqual(
      many.map((rows) => rows[0]?.n),
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    await t.throwsAsync(reader!.all('SELEC nonsense', []), { message: /syntax error/ });
    await t.throwsAsync(reader!.all('SELEC nonsense', []), { message: /syntax error/ });
    const renamed = await store.rules.update(rules[0]!.id, null, { name: unique('renamed ') });
    t.is(await nameOf(rules[0]!.id), renamed.name, 'a kept statement sees the latest commit');
  } finally {
    await reader!.close();
    await store.close();
    await db.drop();
  }
});

test('closing the store while reads are in flight closes SQLite cleanly (no SQLITE_BUSY)', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  t.teardown(() => db.drop());
  const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  await store.rules.create(newRule());
  const reads = Array.from({ length: 200 }, (_, i) =>
    i % 2 === 0 ? store.rules.list({ limit: 10, offset: 0 }) : store.rules.loadSchedulingEntries(),
  );
  await Promise.race(reads); // the first answered: the others are in flight
  await t.notThrowsAsync(store.close());
  const settled = await Promise.allSettled(reads);
  t.true(settled.filter((r) => r.status === 'fulfilled').length > 1);
  // Closed for good: the file opens again and nothing is locked.
  const again = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  t.is((await again.rules.list({ limit: 10, offset: 0 })).total, 1);
  await again.close();
});
