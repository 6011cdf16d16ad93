/** `task_scheduler config`: the effective configuration as JSON, secrets masked. */
import { describeConfig, loadConfig, type LoadConfigOptions } from '../loadConfig.js';
import { EXIT_OK, type CliIo } from './io.js';

export async function runConfig(options: LoadConfigOptions, io: CliIo): Promise<number> {
  const config = await loadConfig(options);
  io.stdout(`${JSON.stringify(describeConfig(config), null, 2)}\n`);
  return EXIT_OK;
}
