/**
 * SQLite file databases: a few extra connections that only read. Each statement of the sqlite3
 * driver runs on a libuv worker thread, one at a time per connection, so with one connection every
 * read waits behind every other read and behind the write transactions. WAL lets readers run next
 * to the writer: a read started after a commit returned sees that commit.
 *
 * Statements on the readers run in autocommit (no explicit transaction), so no reader holds a
 * snapshot between calls. Their parallelism is bounded by the libuv thread pool
 * (UV_THREADPOOL_SIZE, 4 by default), which the writer and file I/O share.
 */
import sqlite3 from 'sqlite3';
import type { Database } from 'sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './connect.js';

/** Readers next to the write connection (with it, the default thread pool's 4 threads). */
export const SQLITE_READERS = 3;

function open(path: string): Promise<Database> {
  return new Promise((resolve, reject) => {
    const db: Database = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (err) =>
      err ? reject(err) : resolve(db),
    );
  });
}

function exec(db: Database, text: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(text, (err) => (err ? reject(err) : resolve())));
}

export function closeReader(db: Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

/** Opens `count` read-only connections to the (already migrated, WAL) database file. */
export async function openSqliteReaders(path: string, count = SQLITE_READERS): Promise<Database[]> {
  const readers: Database[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const db = await open(path);
      readers.push(db);
      await exec(
        db,
        `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA query_only = 1`,
      );
    }
    return readers;
  } catch (err) {
    await Promise.all(readers.map((r) => closeReader(r).catch(() => undefined)));
    throw err;
  }
}
