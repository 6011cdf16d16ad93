/** `task_scheduler migrate`: apply pending migrations to the configured database and exit. */
import { loadConfig, type LoadConfigOptions } from '../loadConfig.js';
import { createLogger, maskPasswords } from '../log.js';
import { openStore } from '../store/openStore.js';
import { EXIT_OK, type CliIo } from './io.js';

export async function runMigrate(options: LoadConfigOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options);
  const logger = createLogger(config.log_level === 'info' ? 'warn' : config.log_level, process.stderr);
  const store = await openStore({ dbUrl: config.db_url, logger, migrate: true });
  await store.close();
  io.stdout(`migrated ${maskPasswords(config.db_url)}\n`);
  return EXIT_OK;
}
