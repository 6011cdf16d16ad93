/**
 * Schema migrations with umzug: the explicit list in migrations/index.ts, recorded in the
 * `schema_migrations` table. Never `sync({ alter })`.
 */
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
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
