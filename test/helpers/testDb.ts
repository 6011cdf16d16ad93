/**
 * A fresh, uniquely named database per call, so test files running in parallel never collide:
 *
 *   const db = await createTestDatabase('postgres');
 *   const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
 *   …
 *   await store.close();
 *   await db.drop();
 *
 * or, in one step: `const { store, close } = await openTestStore('sqlite-memory')`.
 *
 * PostgreSQL (127.0.0.1:5432, user postgres, admin db `test`) and MariaDB (127.0.0.1:3306,
 * root, empty password) must be running: when they are not, this throws (tests fail, never skip).
 * TEST_PG_URL / TEST_MARIADB_URL override the admin connections.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import { silentLogger } from '../../src/log.js';
import type { Logger } from '../../src/log.js';
import type { Clock, Store } from '../../src/runtime/ports.js';
import { openStore } from '../../src/store/openStore.js';

export type TestDialect = 'sqlite-memory' | 'sqlite-file' | 'postgres' | 'mariadb' | 'mysql';

export interface TestDatabase {
  dialect: TestDialect;
  /** Pass to openStore({ dbUrl }). */
  dbUrl: string;
  /** The database's own name (network dialects) or file path (sqlite-file). */
  name: string;
  /** Removes the database (or file). Safe to call twice. */
  drop(): Promise<void>;
}

const PG_ADMIN = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MARIADB_ADMIN = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

const uniqueName = (): string => `ts_${process.pid}_${randomBytes(5).toString('hex')}`;

function withDatabase(adminUrl: string, database: string, scheme?: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (scheme) url.protocol = `${scheme}:`;
  return url.toString();
}

/** Runs one statement on a database from outside the store, then disconnects. */
async function runOn(url: string, sqlText: string): Promise<unknown[]> {
  const sequelize = new Sequelize(url, { logging: false, pool: { max: 1, min: 0 } });
  try {
    return (await sequelize.query(sqlText, { type: QueryTypes.RAW, raw: true }))[0] as unknown[];
  } finally {
    await sequelize.close();
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  switch (dialect) {
    case 'sqlite-memory':
      return { dialect, dbUrl: 'sqlite::memory:', name: ':memory:', drop: async () => {} };
    case 'sqlite-file': {
      const dir = mkdtempSync(join(tmpdir(), 'task-scheduler-test-'));
      const file = join(dir, 'store.sqlite');
      return {
        dialect,
        dbUrl: `sqlite:${file}`,
        name: file,
        drop: once(async () => rmSync(dir, { recursive: true, force: true })),
      };
    }
    case 'postgres': {
      const name = uniqueName();
      await runOn(PG_ADMIN, `CREATE DATABASE ${name}`);
      return {
        dialect,
        dbUrl: withDatabase(PG_ADMIN, name),
        name,
        drop: once(async () => {
          await runOn(PG_ADMIN, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }),
      };
    }
    case 'mariadb':
    case 'mysql': {
      const name = uniqueName();
      await runOn(MARIADB_ADMIN, `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      return {
        dialect,
        dbUrl: withDatabase(MARIADB_ADMIN, name, dialect),
        name,
        drop: once(async () => {
          await runOn(MARIADB_ADMIN, `DROP DATABASE IF EXISTS ${name}`);
        }),
      };
    }
  }
}

/**
 * Runs SQL on a test database from outside the store (to plant bad rows, kill sessions, …).
 * Not for sqlite-memory, which only the store's own connection can see.
 */
export async function adminQuery(db: TestDatabase, sqlText: string): Promise<unknown[]> {
  if (db.dialect === 'sqlite-memory')
    throw new Error('adminQuery: an in-memory database is private to its store');
  return runOn(db.dbUrl.replace(/^mariadb:/, 'mysql:'), sqlText);
}

export interface TestStore extends TestDatabase {
  store: Store;
  /** Closes the store, then drops the database. */
  close(): Promise<void>;
}

/** A migrated store on a fresh database of the given kind (default: SQLite in memory). */
export async function openTestStore(
  dialect: TestDialect = 'sqlite-memory',
  options: { logger?: Logger; clock?: Pick<Clock, 'now'> } = {},
): Promise<TestStore> {
  const db = await createTestDatabase(dialect);
  try {
    const store = await openStore({
      dbUrl: db.dbUrl,
      logger: options.logger ?? silentLogger,
      clock: options.clock,
    });
    return {
      ...db,
      store,
      close: async () => {
        await store.close();
        await db.drop();
      },
    };
  } catch (err) {
    await db.drop();
    throw err;
  }
}
