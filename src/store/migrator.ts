/**
 * Schema migrations with umzug: the explicit list in migrations/index.ts, recorded in the
 * `schema_migrations` table. Never `sync({ alter })`.
 */
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { DomainError } from '../rules/errors.js';
import type { Logger } from '../log.js';
import { createSequelize, parseDbUrl, applySqlitePragmas } from './connect.js';
import { toDomainError } from './errors.js';
import { migrations } from './migrations/index.js';

export const MIGRATION_TABLE = 'schema_migrations';

export function createMigrator(sequelize: Sequelize, logger: Logger): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations: [...migrations],
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATION_TABLE }),
    logger: {
      info: (m) => logger.info('migration', m),
      warn: (m) => logger.warn('migration', m),
      error: (m) => logger.error('migration', m),
      debug: (m) => logger.debug('migration', m),
    },
  });
}

/** Applies pending migrations (up to and including `to`, if given); returns the names applied. */
export async function runMigrations(sequelize: Sequelize, logger: Logger, to?: string): Promise<string[]> {
  try {
    const applied = await createMigrator(sequelize, logger).up(to === undefined ? {} : { to });
    return applied.map((m) => m.name);
  } catch (err) {
    throw toDomainError(err, 'migrate');
  }
}

/**
 * Refuses a schema this build cannot use: migrations still pending (run `task_scheduler migrate`)
 * or applied by a newer build.
 */
export async function checkSchema(sequelize: Sequelize, logger: Logger): Promise<void> {
  const migrator = createMigrator(sequelize, logger);
  let pending: string[];
  let executed: string[];
  try {
    pending = (await migrator.pending()).map((m) => m.name);
    // The storage's own list: umzug's executed() leaves out names it has no migration for.
    executed = await new SequelizeStorage({ sequelize, tableName: MIGRATION_TABLE }).executed();
  } catch (err) {
    throw toDomainError(err, 'check schema');
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = executed.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new DomainError(
      'INTERNAL',
      `The database schema is newer than this version of the service (unknown migrations: ${unknown.join(', ')})`,
      { unknown },
    );
  if (pending.length > 0)
    throw new DomainError(
      'INTERNAL',
      `The database schema is not up to date: run "task_scheduler migrate" (pending: ${pending.join(', ')})`,
      { pending },
    );
}

/** `task_scheduler migrate`: opens the database, migrates it, closes it. */
export async function migrateStore(
  dbUrl: string,
  logger: Logger,
  options: { to?: string } = {},
): Promise<string[]> {
  const parsed = parseDbUrl(dbUrl);
  const sequelize = createSequelize(parsed, logger);
  try {
    if (parsed.dialect === 'sqlite') await applySqlitePragmas(sequelize, parsed.storage === ':memory:');
    return await runMigrations(sequelize, logger, options.to);
  } finally {
    await sequelize.close();
  }
}

/** Names of every migration this build knows, in order. */
export const migrationNames = (): string[] => migrations.map((m) => m.name);
