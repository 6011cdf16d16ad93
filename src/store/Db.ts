/**
 * The thin layer between the repositories and Sequelize: raw SQL in, plain rows out, and
 * transactions that are short, explicit and right for each dialect.
 *
 * SQLite: Sequelize opens a brand-new connection for every transaction on a file database (and
 * closes it afterwards), which would lose the per-connection pragmas and cost a file open per
 * commit. So on SQLite every statement runs directly on Sequelize's one long-lived connection
 * (which also skips Sequelize's per-row copying: 100,000-row reads matter), and transactions are
 * `BEGIN IMMEDIATE … COMMIT` serialized by an in-process queue; other processes on the same file
 * are kept out by SQLite's write lock and waited for through busy_timeout. On a file database,
 * reads outside a transaction go to a few extra read-only connections (sqliteReaders.ts), the
 * least busy first, so they run in parallel with each other and with the writer.
 *
 * PostgreSQL / MySQL / MariaDB: Sequelize managed transactions on the pool, READ COMMITTED (so a
 * statement after a conflicting insert sees the row the other transaction committed).
 */
import { QueryTypes, Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize';
import type { Database } from 'sqlite3';
import { isAcquireError, isConnectionError, isRetryableConflict, toDomainError } from './errors.js';
import type { RawSql } from './sql.js';
import type { SqliteReader } from './sqliteReaders.js';
import { sqlBuilder } from './sql.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql' | 'mariadb';
export type Row = Record<string, unknown>;

/** Runs statements, inside a transaction or not. */
export interface Sql {
  rows<T = Row>(query: RawSql): Promise<T[]>;
  run(query: RawSql): Promise<void>;
  /** Statements in order, without results (on SQLite one call to the database for all). */
  script(queries: RawSql[]): Promise<void>;
}

export interface Db {
  readonly dialect: Dialect;
  readonly sequelize: Sequelize;
  /** The tagged-template SQL builder with this dialect's escaping. */
  readonly sql: (strings: TemplateStringsArray, ...values: unknown[]) => RawSql;
  readonly escape: (value: unknown) => string;
  /** One statement or a few reads outside a transaction. `what` names the operation in errors. */
  read<T>(what: string, fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Statements that modify, each committed on its own (no explicit transaction). */
  write<T>(what: string, fn: (q: Sql) => Promise<T>): Promise<T>;
  /** A transaction; deadlocks/serialization failures are retried a few times. */
  tx<T>(what: string, fn: (q: Sql) => Promise<T>): Promise<T>;
  /**
   * A transaction of statements only, in order, retried like tx. On SQLite it is one call to the
   * database, BEGIN and COMMIT included; if a statement fails, the transaction is rolled back.
   */
  txScript(what: string, statements: RawSql[]): Promise<void>;
  /**
   * One big read as arrays of column values, in select order, outside any transaction. On
   * PostgreSQL the driver builds arrays instead of one object per row (much cheaper for 100,000
   * rows); elsewhere the rows are converted.
   */
  readArrays(what: string, query: RawSql): Promise<unknown[][]>;
}

const RETRIES = 5;

/** A FIFO queue: one task at a time. */
function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

/** The reader with the fewest reads in flight (ties: the one after the last chosen). */
function readerPool(readers: readonly Sql[]) {
  const busy = readers.map(() => 0);
  let next = 0;
  return async <T>(fn: (q: Sql) => Promise<T>): Promise<T> => {
    let best = next;
    for (let k = 1; k < readers.length; k++) {
      const i = (next + k) % readers.length;
      if (busy[i]! < busy[best]!) best = i;
    }
    next = (best + 1) % readers.length;
    busy[best]!++;
    try {
      return await fn(readers[best]!);
    } finally {
      busy[best]!--;
    }
  };
}

export interface DbOptions {
  /** SQLite file databases: read-only connections for reads outside transactions. */
  sqliteReaders?: readonly SqliteReader[];
}

export function createDb(
  sequelize: Sequelize,
  dialect: Dialect,
  logging: (sql: string) => void,
  options: DbOptions = {},
): Db {
  const escape = (value: unknown): string => sequelize.escape(value as string);
  const sql = sqlBuilder(escape);

  const runner = (transaction?: Transaction): Sql => ({
    rows: async <T>(q: RawSql) =>
      (await sequelize.query(q.text, { type: QueryTypes.SELECT, raw: true, transaction, logging })) as T[],
    run: async (q: RawSql) => {
      await sequelize.query(q.text, { type: QueryTypes.RAW, raw: true, transaction, logging });
    },
    script: async (qs: RawSql[]) => {
      for (const q of qs)
        await sequelize.query(q.text, { type: QueryTypes.RAW, raw: true, transaction, logging });
    },
  });

  const withRetry = async <T>(what: string, attempt: () => Promise<T>): Promise<T> => {
    let reconnects = 0;
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        if (i < RETRIES && isRetryableConflict(err) && !isConnectionError(err)) continue;
        if (reconnects++ === 0 && isAcquireError(err)) continue;
        throw toDomainError(err, what);
      }
    }
  };

  if (dialect === 'sqlite') {
    const queue = serialQueue();
    const q = sqliteRunner(mainConnection(sequelize), logging);
    const readers = options.sqliteReaders ?? [];
    const onReader =
      readers.length === 0
        ? <T>(fn: (r: Sql) => Promise<T>) => queue(() => fn(q))
        : readerPool(readers.map((r) => readerRunner(r, logging)));
    return {
      dialect,
      sequelize,
      sql,
      escape,
      read: (what, fn) => withRetry(what, () => onReader(fn)),
      write: (what, fn) => withRetry(what, () => queue(() => fn(q))),
      readArrays: (what, query) =>
        withRetry(what, () => onReader(async (r) => (await r.rows<Row>(query)).map(Object.values))),
      txScript: (what, statements) =>
        withRetry(what, () =>
          queue(async () => {
            try {
              await q.script([sql`BEGIN IMMEDIATE`, ...statements, sql`COMMIT`]);
            } catch (err) {
              // The script stops at the failing statement: undo what ran before it (if BEGIN did).
              await q.run(sql`ROLLBACK`).catch(() => undefined);
              throw err;
            }
          }),
        ),
      tx: (what, fn) =>
        withRetry(what, () =>
          queue(async () => {
            await q.run(sql`BEGIN IMMEDIATE`);
            try {
              const result = await fn(q);
              await q.run(sql`COMMIT`);
              return result;
            } catch (err) {
              await q.run(sql`ROLLBACK`).catch(() => undefined);
              throw err;
            }
          }),
        ),
    };
  }

  const isolationLevel = Transaction.ISOLATION_LEVELS.READ_COMMITTED;
  return {
    dialect,
    sequelize,
    sql,
    escape,
    read: (what, fn) => withRetry(what, () => fn(runner())),
    write: (what, fn) => withRetry(what, () => fn(runner())),
    readArrays: (what, query) =>
      withRetry(what, async () =>
        dialect === 'postgres'
          ? pgArrays(sequelize, query, logging)
          : (await runner().rows<Row>(query)).map(Object.values),
      ),
    txScript: (what, statements) =>
      withRetry(what, () =>
        sequelize.transaction(dialect === 'postgres' ? {} : { isolationLevel }, (t) =>
          runner(t).script(statements),
        ),
      ),
    tx: (what, fn) =>
      withRetry(what, () =>
        sequelize.transaction(dialect === 'postgres' ? {} : { isolationLevel }, (t) => fn(runner(t))),
      ),
  };
}

/** The long-lived SQLite connection that Sequelize opened. */
function mainConnection(sequelize: Sequelize): () => Promise<Database> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options: object): Promise<Database>;
  };
  let connection: Promise<Database> | undefined;
  return () => (connection ??= manager.getConnection({}));
}

/** Statements straight on one SQLite connection. */
function sqliteRunner(conn: () => Promise<Database>, logging: (sql: string) => void): Sql {
  return {
    rows: async <T>(q: RawSql) => {
      logging(q.text);
      const db = await conn();
      return new Promise<T[]>((resolve, reject) =>
        db.all(q.text, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))),
      );
    },
    run: async (q: RawSql) => {
      logging(q.text);
      const db = await conn();
      return new Promise<void>((resolve, reject) =>
        db.run(q.text, (err: Error | null) => (err ? reject(err) : resolve())),
      );
    },
    script: async (qs: RawSql[]) => {
      if (qs.length === 0) return;
      const text = qs.map((q) => q.text).join(';\n');
      logging(text);
      const db = await conn();
      return new Promise<void>((resolve, reject) =>
        db.exec(text, (err: Error | null) => (err ? reject(err) : resolve())),
      );
    },
  };
}

/** Statements on a read-only SQLite connection: reads as kept prepared statements. */
function readerRunner(reader: SqliteReader, logging: (sql: string) => void): Sql {
  const plain = sqliteRunner(() => Promise.resolve(reader.db), logging);
  return {
    ...plain,
    rows: <T>(q: RawSql) => {
      logging(q.text);
      return reader.all<T>(q.bound, q.params);
    },
  };
}

interface PgClient {
  query(config: { text: string; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
}

/** PostgreSQL: a pooled connection used directly, with the driver's array row mode. */
async function pgArrays(
  sequelize: Sequelize,
  query: RawSql,
  logging: (sql: string) => void,
): Promise<unknown[][]> {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(): Promise<PgClient>;
    releaseConnection(connection: PgClient): void;
  };
  logging(query.text);
  const client = await manager.getConnection();
  try {
    return (await client.query({ text: query.text, rowMode: 'array' })).rows;
  } finally {
    manager.releaseConnection(client);
  }
}
