/**
 * The process the memory test measures: the whole runtime (engine, Scheduler facade, metrics) on
 * a simulated clock, a store and the simulated RMF dispatcher as the service wires them, under a
 * steady load of interval rules. After each simulated minute it forces a full GC and prints the
 * heap used as one JSON line: {"minute", "firings", "heapUsed"}.
 * Usage: node memoryChild.js <db url> <rules> <every s> <minutes>
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { openStore } from '../../src/store/openStore.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';
import { countingStore } from '../runtime/support/harness.js';
import { interval, newRule } from '../runtime/support/fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const [dbUrl = 'sqlite::memory:', rulesText = '200', everyText = '2', minutesText = '10'] =
  process.argv.slice(2);
const start = Date.parse('2026-01-05T08:00:00.000Z');
let busy = 0;
const settle = async () => {
  for (let quiet = 0; quiet < 2;) {
    await new Promise((resolve) => setImmediate(resolve));
    quiet = busy === 0 ? quiet + 1 : 0;
  }
};
const clock = createSimulatedClock(start, { settle });
const store = countingStore(await openStore({ dbUrl, logger: silentLogger, clock }), (d) => {
  busy += d;
});
for (let i = 0; i < Number(rulesText); i += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, Number(rulesText) - i) }, () =>
      store.rules.create(newRule({ schedule: interval(Number(everyText), '2026-01-05T08:00:01') })),
    ),
  );
}
const dispatcher = createSimulatedDispatcher({ clock, latencyMs: 20 });
const { engine, scheduler } = await startRuntime({
  clock,
  store,
  dispatcher,
  logger: silentLogger,
  config: {
    timezone: 'UTC',
    misfire_policy: 'fire_once',
    misfire_grace_ms: 60_000,
    replica_id: 'memory',
    sync_interval_ms: 5_000,
    rmf: { dispatch_timeout_ms: 5_000, requester: 'memory' },
  },
  version: 'memory',
  engine: { recoverWaitMs: 0 },
});
let firings = 0;
scheduler.onEvent((e) => {
  if (e.type === 'firing.recorded') firings++;
});
for (let minute = 1; minute <= Number(minutesText); minute++) {
  for (let s = 0; s < 60; s++) await clock.advance(1_000);
  gc();
  gc();
  process.stdout.write(`${JSON.stringify({ minute, firings, heapUsed: process.memoryUsage().heapUsed })}\n`);
}
// Nothing to keep: the store is in memory (stopping would wait for the clock nobody advances).
void engine;
process.exit(0);
