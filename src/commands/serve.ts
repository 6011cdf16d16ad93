/**
 * `task_scheduler [serve]`: run the service until SIGINT/SIGTERM, then stop in order and exit 0.
 *
 * Under `ros2 launch`, one Ctrl-C reaches the node twice (the terminal signals the whole process
 * group, then launch signals its children), and launch follows up with SIGTERM and then SIGKILL
 * after its own timeouts (5 s each by default). So the first SIGINT or SIGTERM starts the stop,
 * every later one is noted and ignored (the handlers stay installed: a signal that found none
 * would kill the process mid-stop), and the stop is bounded well inside launch's 10 s: in-flight
 * firings get about 4 s to be answered and recorded, the rest stay claimed for the next start.
 */
import type { Logger } from '../log.js';
import type { ServiceOptions } from '../main.js';
import { runService } from '../main.js';
import { EXIT_FAILURE, EXIT_OK } from './io.js';

/** Past this, something is stuck: exit non-zero before launch's SIGKILL (10 s after Ctrl-C). */
const STOP_DEADLINE_MS = 8_000;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runServe(options: ServiceOptions): Promise<number> {
  let requested: NodeJS.Signals | null = null;
  let wake: (() => void) | null = null;
  let logger: Logger | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested !== null) {
      logger?.warn('already stopping; signal ignored', { signal });
      return;
    }
    requested = signal;
    wake?.();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  let service;
  try {
    service = await runService(options);
  } catch (err) {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    throw err;
  }
  logger = service.logger;
  // A signal during start-up stops the service as soon as it is up.
  if (requested === null) await new Promise<void>((resolve) => (wake = resolve));
  service.logger.info('stopping', { signal: requested });
  const deadline = setTimeout(() => {
    service.logger.error('shutdown took too long; exiting', { after_ms: STOP_DEADLINE_MS });
    process.exit(EXIT_FAILURE);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await service.stop();
  clearTimeout(deadline);
  return EXIT_OK;
}
