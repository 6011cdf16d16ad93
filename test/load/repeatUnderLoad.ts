/**
 * `npm run test:under-load [-- --runs N --burners K --match PATTERN]`: runs one test file's
 * matching tests again and again (default: the two-replica race, 20 runs) while K processes
 * (default: two per core) spin the CPU beside it, and fails at the first run that fails or makes
 * no progress for 120 s. A test that only passes on a quiet machine has a race in it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    burners: { type: 'string', default: String(cpus().length * 2) },
    file: { type: 'string', default: 'dist/test/runtime/engineScale.test.js' },
    match: { type: 'string', default: 'two replicas*' },
  },
});
const runs = Number(values.runs);
const burnerCount = Number(values.burners);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
if (!Number.isInteger(burnerCount) || burnerCount < 0)
  throw new Error(`--burners must be a non-negative integer, got ${values.burners}`);

const burners: ChildProcess[] = [];
for (let i = 0; i < burnerCount; i++) {
  burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}
const stopBurners = () => {
  for (const b of burners) b.kill('SIGKILL');
};
process.on('exit', stopBurners);

function runOnce(): Promise<{ ok: boolean; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        'node_modules/ava/entrypoints/cli.mjs',
        values.file,
        '--match',
        values.match,
        '--timeout',
        '120s',
        '--verbose',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ ok: code === 0, output, ms: Date.now() - started }));
  });
}

console.log(`${values.file} --match '${values.match}': ${runs} runs beside ${burnerCount} CPU burners`);
for (let i = 1; i <= runs; i++) {
  const { ok, output, ms } = await runOnce();
  const sent = output.match(/replica-1 sent \d+, replica-b sent \d+/g)?.join('; ') ?? '';
  console.log(`run ${i}/${runs}: ${ok ? 'passed' : 'FAILED'} in ${(ms / 1000).toFixed(1)} s ${sent}`);
  if (!ok) {
    console.log(output);
    stopBurners();
    process.exit(1);
  }
}
console.log(`${runs} passes in a row`);
stopBurners();
