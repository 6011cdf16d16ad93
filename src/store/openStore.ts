/**
 * Opens the store for one `db_url` and returns the repositories of runtime/ports.ts. Migrates
 * the schema first unless told not to. `close()` releases every connection.
 */
import type { Logger } from '../log.js';
import type { Clock, Store } from '../runtime/ports.js';
import {
  applySqlitePragmas,
  checkSqlitePath,
  createSequelize,
  parseDbUrl,
  redactUrl,
  sqlLogging,
} from './connect.js';
import { createDb } from './Db.js';
import { toDomainError } from './errors.js';
import { createFiringRepository } from './firingRepository.js';
import { checkSchema, runMigrations } from './migrator.js';
import { createOverrideRepository } from './overrideRepository.js';
import { createReplicaRepository } from './replicaRepository.js';
import { createRmfWebTaskRepository } from './rmfWebTaskRepository.js';
import { createRuleRepository } from './ruleRepository.js';
import { openSqliteReaders } from './sqliteReaders.js';

export interface OpenStoreOptions {
  /** sqlite:<path> | sqlite::memory: | postgres://… | mysql://… | mariadb://… */
  dbUrl: string;
  logger: Logger;
  /** Apply pending migrations at open (default true). */
  migrate?: boolean;
  /**
   * Stamps rules' created_at/updated_at and change-feed rows. main.ts passes its wall clock;
   * tests may pass a simulated one. Defaults to the system time.
   */
  clock?: Pick<Clock, 'now'>;
}

// Record-keeping timestamps only (nothing is scheduled from them).
// eslint-disable-next-line no-restricted-properties
const systemNow = (): number => Date.now();

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { dbUrl, logger } = options;
  const parsed = parseDbUrl(dbUrl);
  if (parsed.dialect === 'sqlite' && parsed.storage !== undefined && parsed.storage !== ':memory:')
    checkSqlitePath(parsed.storage);
  const log = logger.child({ component: 'store', dialect: parsed.dialect });
  const sequelize = createSequelize(parsed, log);
  let readers: Awaited<ReturnType<typeof openSqliteReaders>> = [];
  try {
    if (parsed.dialect === 'sqlite') await applySqlitePragmas(sequelize, parsed.storage === ':memory:');
    else await sequelize.authenticate();
    if (options.migrate ?? true) await runMigrations(sequelize, log);
    await checkSchema(sequelize, log);
    if (parsed.dialect === 'sqlite' && parsed.storage !== ':memory:' && parsed.storage !== undefined)
      readers = await openSqliteReaders(parsed.storage);
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw toDomainError(err, `open ${redactUrl(dbUrl)}`);
  }
  const db = createDb(sequelize, parsed.dialect, sqlLogging(log), { sqliteReaders: readers });
  const clock = options.clock;
  const deps = { db, now: clock ? () => clock.now() : systemNow };
  log.info('store opened', { url: redactUrl(dbUrl) });
  let closed = false;
  return {
    dialect: parsed.dialect,
    rules: createRuleRepository(deps),
    overrides: createOverrideRepository(deps),
    firings: createFiringRepository(deps),
    rmfWebTasks: createRmfWebTaskRepository(deps),
    replicas: createReplicaRepository(deps),
    ping: () => db.read('ping', (q) => q.rows(db.sql`SELECT 1 AS ok`)).then(() => undefined),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await Promise.all(readers.map((r) => r.close()));
      } finally {
        await sequelize.close();
      }
    },
  };
}
