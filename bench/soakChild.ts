/**
 * The process the soak bench measures: the whole runtime (engine, Scheduler facade, metrics) on
 * the wall clock, a real store and the simulated RMF dispatcher as the service wires them, with
 * `rules` interval rules every 5 s (spread over the 5 s: rules / 5 firings per second). Each
 * minute it forces a full GC and prints one JSON line: {"minute","firings","heapUsed","rss"}.
 * Usage: node soakChild.js <db url> <rules> <minutes>
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger } from '../src/log.js';
import { createSimulatedDispatcher } from '../src/rmf/simulatedDispatcher.js';
import { startRuntime } from '../src/runtime/startRuntime.js';
import { createWallClock } from '../src/runtime/wallClock.js';
import { openStore } from '../src/store/openStore.js';
import { newRule } from '../test/runtime/support/fixtures.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const [dbUrl = 'sqlite::memory:', rulesText = '500', minutesText = '30'] = process.argv.slice(2);
const rules = Number(rulesText);
const clock = createWallClock();
const store = await openStore({ dbUrl, logger: silentLogger, clock });
for (let i = 0; i < rules; i += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, rules - i) }, (_, k) =>
      store.rules.create(
        newRule({
          schedule: {
            kind: 'interval',
            timezone: 'UTC',
            start: '2026-01-01T00:00:00',
            end: null,
            count: null,
            everySeconds: 5,
            between: [`00:00:0${(i + k) % 5}`, '23:59:59'],
            days: null,
          },
        }),
      ),
    ),
  );
}
const dispatcher = createSimulatedDispatcher({ clock });
const { scheduler } = await startRuntime({
  clock,
  store,
  dispatcher,
  logger: silentLogger,
  config: {
    timezone: 'UTC',
    misfire_policy: 'fire_once',
    misfire_grace_ms: 60_000,
    replica_id: 'soak',
    sync_interval_ms: 5_000,
    rmf: { dispatch_timeout_ms: 5_000, requester: 'soak' },
  },
  version: 'soak',
});
let firings = 0;
let late = 0;
scheduler.onEvent((e) => {
  if (e.type !== 'firing.recorded') return;
  firings++;
  if ((e.latenessMs ?? 0) > 100) late++;
});
const started = Date.now();
for (let minute = 1; minute <= Number(minutesText); minute++) {
  await new Promise((resolve) => setTimeout(resolve, started + minute * 60_000 - Date.now()));
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ minute, firings, late, heapUsed, rss })}\n`);
}
process.exit(0);
