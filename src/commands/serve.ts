/** `task_scheduler [serve]`: run the service until SIGINT/SIGTERM, then stop in order and exit 0. */
import type { LoadConfigOptions } from '../loadConfig.js';
import { runService } from '../main.js';
import { EXIT_FAILURE, EXIT_OK } from './io.js';

const STOP_DEADLINE_MS = 10_000;

export async function runServe(options: LoadConfigOptions): Promise<number> {
  const service = await runService(options);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  service.logger.info('stopping', { signal });
  const deadline = setTimeout(() => {
    service.logger.error('shutdown took too long; exiting', { after_ms: STOP_DEADLINE_MS });
    process.exit(EXIT_FAILURE);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await service.stop();
  clearTimeout(deadline);
  return EXIT_OK;
}
