/**
 * Memory stays flat under steady load: the whole runtime in a child process (memoryChild.ts) fires
 * 100 interval rules every second of simulated time (100 firings/s, 18,000 in three simulated
 * minutes) and reports the heap used after a forced full GC each minute. Once warm (minute 1),
 * the heap must not grow with the firings: each firing used to leave about a kilobyte behind
 * (the simulated dispatcher kept every request and answer), 12 MB over the last 12,000.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
type Sample = { minute: number; firings: number; heapUsed: number };

test('the heap after a full GC does not grow with the number of firings', async (t) => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(here, 'memoryChild.js'), 'sqlite::memory:', '100', '1', '3'],
    { maxBuffer: 1 << 20 },
  );
  const samples = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Sample);
  t.log(
    samples.map((s) => `minute ${s.minute}: ${s.firings} firings, heap ${(s.heapUsed / 1e6).toFixed(1)} MB`),
  );
  t.is(samples.length, 3);
  const warm = samples[0]!;
  const last = samples[2]!;
  t.true(last.firings - warm.firings >= 10_000, `${last.firings - warm.firings} firings between the samples`);
  const perFiring = (last.heapUsed - warm.heapUsed) / (last.firings - warm.firings);
  t.true(
    perFiring < 100,
    `the heap grew by ${Math.round(perFiring)} bytes per firing (${((last.heapUsed - warm.heapUsed) / 1e6).toFixed(1)} MB)`,
  );
});
