/**
 * `task_scheduler import-rmf-web --from <rmf-web db_url> [--dry-run] [--disable-source]`: imports
 * the scheduled tasks of an rmf-web API server's database into the configured store (see
 * rmfWebImporter.ts) and prints what it did, every row it could not convert and why, and what to
 * do about rmf-web still running its own copies. Exit 0 when every task is imported (now or
 * before), 1 when some could not be, 2 for bad usage.
 */
import { loadConfig, type LoadConfigOptions } from '../loadConfig.js';
import { createLogger, maskPasswords } from '../log.js';
import { openRmfWebSource } from '../store/rmfWebSource.js';
import { openStore } from '../store/openStore.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';
import { formatImportReport, importRmfWeb } from './rmfWebImporter.js';

export const IMPORT_USAGE = `Usage: task_scheduler import-rmf-web --from <rmf-web db_url> [--dry-run] [--disable-source] [--key value …]

Imports the scheduled tasks of rmf-web's API server (its scheduledtask and scheduledtaskschedule
tables, SQLite, PostgreSQL or MySQL/MariaDB) into the scheduler's database, each as the rule the
/scheduled_tasks routes make, keeping its integer id. Times are read in the configured timezone,
which must be rmf-web's own \`timezone\` setting. Running it again imports nothing new.
  --from            rmf-web's db_url, e.g. sqlite:///srv/rmf/db.sqlite3 or postgres://user:pw@host/rmf
  --dry-run         report what would be imported; write nothing
  --disable-source  after the import is committed, delete the imported tasks from rmf-web's tables
                    (one transaction there), so that rmf-web's API server stops running them after
                    its restart
Other --key value pairs are config keys (--db_url, --timezone, …).
`;

interface ImportFlags {
  from: string | null;
  dryRun: boolean;
  disableSource: boolean;
  help: boolean;
  rest: string[];
}

function parseImportFlags(argv: readonly string[]): ImportFlags {
  const flags: ImportFlags = { from: null, dryRun: false, disableSource: false, help: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') flags.dryRun = true;
    else if (arg === '--disable-source') flags.disableSource = true;
    else if (arg === '--help' || arg === '-h') flags.help = true;
    else if (arg === '--from') flags.from = argv[++i] ?? '';
    else if (arg.startsWith('--from=')) flags.from = arg.slice('--from='.length);
    else flags.rest.push(arg);
  }
  return flags;
}

export async function runImportRmfWeb(options: LoadConfigOptions, io: CliIo): Promise<number> {
  const flags = parseImportFlags(options.argv);
  if (flags.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT_OK;
  }
  if (flags.from === null || flags.from === '') {
    io.stderr(`--from <rmf-web db_url> is required\n\n${IMPORT_USAGE}`);
    return EXIT_USAGE;
  }
  const config = await loadConfig({ ...options, argv: flags.rest });
  const logger = createLogger(config.log_level === 'info' ? 'warn' : config.log_level, process.stderr);
  const source = await openRmfWebSource(flags.from, logger, options.cwd);
  try {
    const store = await openStore({ dbUrl: config.db_url, logger, migrate: true });
    try {
      io.stdout(`importing into ${maskPasswords(config.db_url)}, times in ${config.timezone}\n`);
      const report = await importRmfWeb({
        source,
        store,
        timezone: config.timezone,
        misfire: { policy: config.misfire_policy, graceMs: config.misfire_grace_ms },
        // eslint-disable-next-line no-restricted-properties -- a command's own now
        now: Date.now(),
        dryRun: flags.dryRun,
        disableSource: flags.disableSource,
      });
      io.stdout(
        formatImportReport(report, {
          from: source.url,
          dryRun: flags.dryRun,
          disableSource: flags.disableSource,
        }),
      );
      return report.failed.length === 0 ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await store.close();
    }
  } finally {
    await source.close();
  }
}
