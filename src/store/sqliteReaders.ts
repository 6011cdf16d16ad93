/**
 * SQLite file databases: a few extra connections that only read. Each statement of the sqlite3
 * driver runs on a libuv worker thread, one at a time per connection, so with one connection every
 * read waits behind every other read and behind the write transactions. WAL lets readers run next
 * to the writer: a read started after a commit returned sees that commit.
 *
 * Statements on the readers run in autocommit (no explicit transaction), so no reader holds a
 * snapshot between calls (a statement run to its end, as `all` does, ends its read). Their
 * parallelism is bounded by the libuv thread pool (UV_THREADPOOL_SIZE, 4 by default), which the
 * writer and file I/O share.
 *
 * Each reader keeps its statements prepared, by parameterized text (sql.ts): a statement run again
 * with other values costs one trip to the thread pool instead of three (prepare, run, finalize)
 * and is not compiled again, which more than halves the CPU time of a small read.
 */
import sqlite3 from 'sqlite3';
import type { Database, Statement } from 'sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './connect.js';
import type { BindValue } from './sql.js';

/** Readers next to the write connection (with it, the default thread pool's 4 threads). */
export const SQLITE_READERS = 3;

/** Prepared statements kept per reader (the least recently used is finalized beyond this). */
const MAX_PREPARED = 64;

export interface SqliteReader {
  readonly db: Database;
  /** The rows of one statement, prepared once for its text and kept. */
  all<T>(text: string, params: readonly BindValue[]): Promise<T[]>;
  /** Finalizes the prepared statements and closes the connection. */
  close(): Promise<void>;
}

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

function closeDatabase(db: Database): Promise<void> {
  return new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
}

const finalize = (statement: Promise<Statement>): Promise<void> =>
  statement.then(
    (s) => new Promise<void>((resolve) => s.finalize(() => resolve())),
    () => undefined,
  );

function readerOf(db: Database): SqliteReader {
  // By text, least recently used first. A statement is kept only once its prepare succeeded (the
  // driver never answers calls on a statement that failed to prepare).
  const prepared = new Map<string, Promise<Statement>>();
  // SQLite refuses to close a connection with a statement not finalized (SQLITE_BUSY), so close()
  // waits for the reads in flight and for the finalizing of evicted statements, and no read
  // starts once it has begun.
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    const done = () => inFlight.delete(work);
    work.then(done, done);
    return work;
  };
  const statement = (text: string): Promise<Statement> => {
    const known = prepared.get(text);
    if (known !== undefined) {
      prepared.delete(text);
      prepared.set(text, known);
      return known;
    }
    const fresh = new Promise<Statement>((resolve, reject) => {
      const s: Statement = db.prepare(text, (err: Error | null) => (err ? reject(err) : resolve(s)));
    });
    prepared.set(text, fresh);
    fresh.catch(() => {
      if (prepared.get(text) === fresh) prepared.delete(text);
    });
    if (prepared.size > MAX_PREPARED) {
      const [oldest, old] = prepared.entries().next().value as [string, Promise<Statement>];
      prepared.delete(oldest);
      void track(finalize(old)); // after the calls already queued on it
    }
    return fresh;
  };
  return {
    db,
    all<T>(text: string, params: readonly BindValue[]): Promise<T[]> {
      if (closing !== null) return Promise.reject(new Error('SQLITE_MISUSE: the store is closed'));
      return track(
        statement(text).then(
          (s) =>
            new Promise<T[]>((resolve, reject) =>
              s.all([...params], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))),
            ),
        ),
      );
    },
    close() {
      return (closing ??= (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        const all = [...prepared.values()];
        prepared.clear();
        await Promise.all(all.map(finalize));
        await closeDatabase(db);
      })());
    },
  };
}

/** Opens `count` read-only connections to the (already migrated, WAL) database file. */
export async function openSqliteReaders(path: string, count = SQLITE_READERS): Promise<SqliteReader[]> {
  const readers: SqliteReader[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const db = await open(path);
      readers.push(readerOf(db));
      await exec(
        db,
        `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; PRAGMA query_only = 1`,
      );
    }
    return readers;
  } catch (err) {
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
    throw err;
  }
}
