/**
 * The command line: `task_scheduler [serve|migrate|config|preview|openapi|import-rmf-web|help] [--key value …]`.
 * ROS arguments (`--ros-args … [--]`) may appear anywhere after the command; they are left to
 * ROS 2. Returns the exit code.
 */
import { runConfig } from './commands/config.js';
import { runHelp } from './commands/help.js';
import { runImportRmfWeb } from './commands/importRmfWeb.js';
import { endQuietlyOnClosedPipe, EXIT_FAILURE, EXIT_USAGE, processIo, type CliIo } from './commands/io.js';
import { runMigrate } from './commands/migrate.js';
import { runOpenApi } from './commands/openapi.js';
import { runPreview } from './commands/preview.js';
import { runServe } from './commands/serve.js';
import { ConfigError, loadConfig, splitRosArgs } from './loadConfig.js';
import { StartupError } from './main.js';
import { isDomainError } from './rules/errors.js';

const COMMANDS = ['serve', 'migrate', 'config', 'preview', 'openapi', 'import-rmf-web', 'help'] as const;
type Command = (typeof COMMANDS)[number];

/** The command and the remaining arguments (ROS arguments kept in place). */
export function parseCommand(argv: readonly string[]): {
  command: Command | null;
  rest: string[];
  unknown?: string;
} {
  const { ours } = splitRosArgs(argv);
  const first = ours[0];
  if (first === '--help' || first === '-h') return { command: 'help', rest: [] };
  if (first === undefined || first.startsWith('-')) return { command: 'serve', rest: [...argv] };
  const index = argv.indexOf(first);
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
  if (!(COMMANDS as readonly string[]).includes(first)) return { command: null, rest, unknown: first };
  return { command: first as Command, rest };
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const { command, rest, unknown } = parseCommand(argv);
  const options = { argv: rest, env: process.env, cwd: process.cwd() };
  // The service's log lines are not a reader's output: a closed stdout does not end the service.
  if (io === processIo && command !== 'serve') endQuietlyOnClosedPipe();
  try {
    switch (command) {
      case 'serve':
        return await runServe(options);
      case 'migrate':
        return await runMigrate(options, io);
      case 'config':
        return await runConfig(options, io);
      case 'openapi':
        return await runOpenApi(options, io);
      case 'preview': {
        const config = await loadConfig({ ...options, argv: [] });
        return runPreview(splitRosArgs(rest).ours, {
          ...io,
          now: Date.now(),
          defaultTimezone: config.timezone,
        });
      }
      case 'import-rmf-web':
        return await runImportRmfWeb(options, io);
      case 'help':
        return runHelp(io);
      case null:
        io.stderr(`unknown command "${unknown}" (try --help)\n`);
        return EXIT_USAGE;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`configuration error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof StartupError || isDomainError(err)) {
      io.stderr(`cannot start: ${err.message}\n`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}
