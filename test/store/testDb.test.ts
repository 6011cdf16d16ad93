/** The test database helper other test suites rely on: fresh, isolated, and gone afterwards. */
import { existsSync } from 'node:fs';
import test from 'ava';
import { Sequelize, QueryTypes } from 'sequelize';
import type { TestDialect } from '../helpers/testDb.js';
import { openTestStore } from '../helpers/testDb.js';
import { newRule } from './fixtures.js';

async function databaseExists(dialect: TestDialect, name: string): Promise<boolean> {
  const url =
    dialect === 'postgres' ? 'postgres://postgres@127.0.0.1:5432/test' : 'mysql://root@127.0.0.1:3306/test';
  const sequelize = new Sequelize(url, { logging: false });
  try {
    const sql =
      dialect === 'postgres'
        ? `SELECT 1 FROM pg_database WHERE datname = '${name}'`
        : `SELECT 1 FROM information_schema.schemata WHERE schema_name = '${name}'`;
    return (await sequelize.query(sql, { type: QueryTypes.SELECT })).length > 0;
  } finally {
    await sequelize.close();
  }
}

const lifecycle = test.macro(async (t, dialect: TestDialect) => {
  const a = await openTestStore(dialect, { clock: { now: () => 42 } });
  const b = await openTestStore(dialect);
  try {
    const rule = await a.store.rules.create(newRule());
    t.is(rule.createdAt, 42);
    t.is(await b.store.rules.find(rule.id), null, 'databases are separate');
    if (dialect !== 'sqlite-memory') t.not(a.dbUrl, b.dbUrl);
  } finally {
    await a.close();
    await b.close();
  }
  if (dialect === 'postgres' || dialect === 'mariadb') t.false(await databaseExists(dialect, a.name));
  if (dialect === 'sqlite-file') t.false(existsSync(a.name));
});

for (const dialect of ['sqlite-memory', 'sqlite-file', 'postgres', 'mariadb'] as const) {
  test(`openTestStore on ${dialect}: a separate migrated store, removed by close()`, lifecycle, dialect);
}
