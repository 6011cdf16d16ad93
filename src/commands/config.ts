/** `task_scheduler config`: the effective configuration as JSON, secrets masked. */
import { describeConfig, loadConfigAndRosParameters, type LoadConfigOptions } from '../loadConfig.js';
import { EXIT_OK, type CliIo } from './io.js';

export async function runConfig(options: LoadConfigOptions, io: CliIo): Promise<number> {
  const { config, ros } = await loadConfigAndRosParameters(options);
  for (const ignored of ros.ignored) {
    io.stderr(`ROS parameter ${ignored.name} ignored (not a setting of ${ros.node.fqn}): ${ignored.from}\n`);
  }
  io.stdout(`${JSON.stringify(describeConfig(config), null, 2)}\n`);
  return EXIT_OK;
}
