/** What every part of the repository suite shares: the store under test on a fresh database. */
import anyTest from 'ava';
import type { TestFn } from 'ava';
import { DomainError } from '../../../src/rules/errors.js';
import type { Store } from '../../../src/runtime/ports.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/openStore.js';
import type { TestDatabase, TestDialect } from '../../helpers/testDb.js';
import { createTestDatabase } from '../../helpers/testDb.js';

export interface Ctx {
  db: TestDatabase;
  store: Store;
}

export const test = anyTest as TestFn<Ctx>;

/** The store's clock: every rule is created and updated "now". */
export const NOW = Date.parse('2026-03-01T12:00:00.000Z');

export const isCode = (code: DomainError['code']) => (e: unknown) =>
  e instanceof DomainError && e.code === code;

/** Opens one store on a fresh database of `dialect` for the whole file; drops it afterwards. */
export function useStore(dialect: TestDialect): void {
  test.before(async (t) => {
    const db = await createTestDatabase(dialect);
    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger, clock: { now: () => NOW } });
    t.context = { db, store };
  });

  test.after.always(async (t) => {
    await t.context.store?.close();
    await t.context.db?.drop();
  });
}
