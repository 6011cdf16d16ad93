/**
 * Opens Sequelize for one `db_url`: `sqlite:<path>`, `sqlite::memory:`, `postgres://…`,
 * `mysql://…` (mysql2 driver) or `mariadb://…` (mariadb driver). SQL logging goes to our logger at
 * debug level.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Sequelize } from 'sequelize';
import type { Options } from 'sequelize';
import { DomainError } from '../rules/errors.js';
import { maskPasswords, type Logger } from '../log.js';
import type { Dialect } from './Db.js';

export interface ParsedDbUrl {
  dialect: Dialect;
  /** SQLite only: the file path, or ':memory:'. */
  storage?: string;
  /** Network databases: the URL Sequelize connects to. */
  url?: string;
}

/** Milliseconds a SQLite connection waits for another process's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function parseDbUrl(dbUrl: string): ParsedDbUrl {
  const fail = (why: string): never => {
    throw DomainError.invalid({ field: 'db_url', message: why });
  };
  if (dbUrl === 'sqlite::memory:' || dbUrl === 'sqlite://:memory:')
    return { dialect: 'sqlite', storage: ':memory:' };
  if (dbUrl.startsWith('sqlite:')) {
    const path = dbUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') fail('sqlite: needs a file path, e.g. sqlite:/var/lib/task_scheduler/db.sqlite');
    return { dialect: 'sqlite', storage: resolve(path) };
  }
  const scheme = /^([a-z0-9]+):\/\//i.exec(dbUrl)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql')
    return { dialect: 'postgres', url: dbUrl.replace(/^postgresql:/i, 'postgres:') };
  if (scheme === 'mysql') return { dialect: 'mysql', url: dbUrl };
  if (scheme === 'mariadb') return { dialect: 'mariadb', url: dbUrl };
  return fail(
    `unsupported database URL "${redactUrl(dbUrl)}": use sqlite:<path>, sqlite::memory:, postgres://, mysql:// or mariadb://`,
  );
}

/** The URL without its password, for logs and messages. */
export const redactUrl = maskPasswords;

/**
 * Before opening an SQLite file: it must be a file this process can read and write, in a directory
 * where SQLite can create the WAL files next to it; a missing file is created, a missing directory
 * is not (a mistyped path would otherwise look like an empty store: every rule lost). Throws
 * INVALID_INPUT naming `db_url`, the path and the reason.
 */
export function checkSqlitePath(path: string): void {
  function fail(why: string): never {
    throw DomainError.invalid({ field: 'db_url', message: `SQLite database ${path}: ${why}` });
  }
  const dir = dirname(path);
  const file = statOf(path);
  if (file?.isDirectory()) fail('is a directory, not a database file');
  if (file !== null) {
    if (!file.isFile()) fail('is not a regular file');
    if (!canAccess(path, constants.R_OK | constants.W_OK))
      fail('not writable by this process (permission denied)');
  } else {
    const parent = statOf(dir);
    if (parent === null)
      fail(`its directory ${dir} does not exist (create it first; it is not created for you)`);
    if (!parent.isDirectory()) fail(`${dir} is not a directory`);
  }
  if (!canAccess(dir, constants.W_OK | constants.X_OK))
    fail(
      `its directory ${dir} is not writable by this process (SQLite creates the file and its -wal and -shm files there)`,
    );
}

function statOf(path: string): Stats | null {
  try {
    return statSync(path) ?? null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return null;
    throw DomainError.invalid({
      field: 'db_url',
      message: `SQLite database ${path}: cannot be checked (${(err as Error).message})`,
    });
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Routes SQL to the logger at debug level (long statements shortened). */
export const sqlLogging =
  (logger: Logger) =>
  (sql: string): void =>
    logger.debug('sql', { sql: sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql });

export function createSequelize(parsed: ParsedDbUrl, logger: Logger): Sequelize {
  const common: Options = {
    logging: sqlLogging(logger),
    define: { timestamps: false, underscored: true },
  };
  if (parsed.dialect === 'sqlite') {
    return new Sequelize({ ...common, dialect: 'sqlite', storage: parsed.storage });
  }
  const pool = { max: 10, min: 0, idle: 10_000, acquire: 10_000, evict: 1_000 };
  if (parsed.dialect === 'postgres') {
    return new Sequelize(parsed.url ?? '', {
      ...common,
      dialect: 'postgres',
      pool,
      dialectOptions: { connectionTimeoutMillis: 5_000, application_name: 'task_scheduler' },
    });
  }
  return new Sequelize(parsed.url ?? '', {
    ...common,
    dialect: parsed.dialect,
    pool,
    dialectOptions: { connectTimeout: 5_000 },
  });
}

/**
 * SQLite: WAL (readers never block the writer), FULL sync (a committed claim survives a power
 * cut), a busy timeout (two processes on one file wait for each other instead of failing).
 */
export async function applySqlitePragmas(sequelize: Sequelize, inMemory: boolean): Promise<void> {
  const pragmas = [
    ...(inMemory ? [] : ['PRAGMA journal_mode = WAL']),
    `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
    'PRAGMA synchronous = FULL',
    'PRAGMA foreign_keys = ON',
  ];
  for (const p of pragmas) await sequelize.query(p, { raw: true });
}
