/**
 * The process the crash test kills: the engine on the real wall clock, a SQLite file store and
 * the journaling dispatcher. Exits by itself once every occurrence is past and settled.
 * Usage: node crashChild.js <db file> <journal file> <last occurrence epoch ms>
 */
import { createLogger } from '../../src/log.js';
import { createEngine } from '../../src/runtime/firingEngine.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import { createWallClock } from '../../src/runtime/wallClock.js';
import { openStore } from '../../src/store/openStore.js';
import { createJournalingDispatcher } from './crashJournal.js';

const [dbFile, journal, lastAtText] = process.argv.slice(2);
const lastAt = Number(lastAtText);
const clock = createWallClock();
const logger = createLogger('error', process.stderr);
const store = await openStore({ dbUrl: `sqlite:${dbFile}`, logger, clock });
const engine = createEngine({
  clock,
  store,
  dispatcher: createJournalingDispatcher(clock, journal as string),
  logger,
  metrics: createRuntimeMetrics(),
  config: {
    dispatchTimeoutMs: 2_000,
    requester: 'crash-test',
    replicaId: `child-${process.pid}`,
    recoverWaitMs: 0,
  },
});
await engine.start();
process.stdout.write('started\n');
const done = setInterval(() => {
  if (clock.now() > lastAt + 3_000 && engine.stats().inFlight === 0) {
    clearInterval(done);
    void engine.stop().then(async () => {
      await store.close();
      clock.stop();
      process.stdout.write('finished\n');
    });
  }
}, 200);
