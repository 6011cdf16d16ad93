/**
 * SQLite's own outages: a file locked by another process past the busy timeout (SQLITE_BUSY), a
 * full disk (SQLITE_FULL) and a read-only file (SQLITE_READONLY) are STORE_UNAVAILABLE, the errors
 * the runtime rides out (claims and outcomes tried again until the store takes them), not INTERNAL
 * failures that would drop the occurrence.
 */
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { isStoreUnavailable } from '../../src/runtime/storeRetry.js';
import { toDomainError } from '../../src/store/errors.js';

type Db = InstanceType<typeof sqlite3.Database>;

const open = (file: string, mode = sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE) =>
  new Promise<Db>((resolve, reject) => {
    const db: Db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)));
  });
const exec = (db: Db, text: string) =>
  new Promise<void>((resolve, reject) => db.exec(text, (err) => (err ? reject(err) : resolve())));
const close = (db: Db) => new Promise<void>((resolve) => db.close(() => resolve()));

/** The error SQLite gives for `text` on `db`. */
async function failure(db: Db, text: string): Promise<Error> {
  try {
    await exec(db, text);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected "${text}" to fail`);
}

test('SQLITE_BUSY, SQLITE_FULL and SQLITE_READONLY are STORE_UNAVAILABLE', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-unavailable-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'store.sqlite');
  const writer = await open(file);
  await exec(writer, 'CREATE TABLE firings (id TEXT PRIMARY KEY, payload TEXT)');

  // Another process holds the write lock; this one waits only 10 ms for it.
  const other = await open(file);
  await exec(other, 'PRAGMA busy_timeout = 10');
  await exec(writer, 'BEGIN IMMEDIATE');
  const busy = await failure(other, "INSERT INTO firings VALUES ('a', 'x')");
  await exec(writer, 'ROLLBACK');

  // The disk is full: the file may not grow past its current pages.
  await exec(writer, 'PRAGMA max_page_count = 3');
  const full = await failure(
    writer,
    `INSERT INTO firings VALUES ('b', '${'x'.repeat(20_000)}'), ('c', '${'y'.repeat(20_000)}')`,
  );

  // The file (or its directory) became read-only.
  const readOnly = await open(file, sqlite3.OPEN_READONLY);
  const denied = await failure(readOnly, "INSERT INTO firings VALUES ('d', 'x')");

  const errors = { busy, full, denied };
  for (const [what, error] of Object.entries(errors)) {
    const translated = toDomainError(error, 'claim firings');
    t.true(isStoreUnavailable(translated), `${what}: ${error.message} → ${translated.code}`);
    t.regex(translated.message, /claim firings/);
  }
  t.deepEqual(
    Object.values(errors).map((e) => (e as Error & { code?: string }).code),
    ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_READONLY'],
  );
  await Promise.all([close(writer), close(other), close(readOnly)]);
});
