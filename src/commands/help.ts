/** `task_scheduler --help`. */
import { CONFIG_ENV, CONFIG_KEYS, envName, flagName } from '../loadConfig.js';
import { EXIT_OK, type CliIo } from './io.js';

export const HELP = `Usage: task_scheduler [command] [--key value …] [--ros-args … [--]]

Commands:
  serve            run the service (default)
  migrate          apply pending database migrations and exit
  config           print the effective configuration (secrets masked)
  preview          print the occurrences of a schedule (see: task_scheduler preview --help)
  openapi          print the OpenAPI document of the REST API
  import-rmf-web   import rmf-web's scheduled tasks (see: task_scheduler import-rmf-web --help)
  help, --help     this text

Configuration (later wins): defaults ← the module named by ${CONFIG_ENV} (.js/.mjs/.json exporting
"config") ← environment variables ← command-line flags ← ROS parameters. ROS arguments
(from --ros-args up to an optional --) are left to ROS 2.

Keys (flag / environment variable):
`;

export function runHelp(io: CliIo): number {
  const rows = CONFIG_KEYS.map((k) => `  ${flagName(k).padEnd(30)} ${envName(k)}`);
  io.stdout(`${HELP}${rows.join('\n')}\n`);
  return EXIT_OK;
}
