/**
 * `npm run bench -- soak [--minutes=N]`: memory under steady load. 500 interval rules every 5 s
 * (100 firings/s) for N minutes (default 30) on SQLite (a file) and on PostgreSQL, each in its own
 * process (bench/soakChild.ts) on the wall clock; the heap used after a forced full GC is sampled
 * each minute. Met when the mean of the last ten samples is within 5 % of the mean of the first ten
 * (for runs shorter than 30 minutes: the first and last third).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase } from '../test/helpers/testDb.js';

const here = dirname(fileURLToPath(import.meta.url));
type Sample = { minute: number; firings: number; late: number; heapUsed: number; rss: number };

const minutesArg = process.argv.find((a) => a.startsWith('--minutes='));
const MINUTES = minutesArg ? Number(minutesArg.slice('--minutes='.length)) : 30;
const RULES = 500;
const mb = (b: number) => (b / 1e6).toFixed(1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function soak(name: string, dbUrl: string): Promise<void> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(here, 'soakChild.js'), dbUrl, String(RULES), String(MINUTES)],
    { maxBuffer: 1 << 22 },
  );
  const samples = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Sample);
  console.log(`\n### ${name}: ${RULES} rules every 5 s, ${MINUTES} min\n`);
  console.log('| minute | firings | late > 100 ms | heap after GC (MB) | RSS (MB) |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const s of samples)
    console.log(`| ${s.minute} | ${s.firings} | ${s.late} | ${mb(s.heapUsed)} | ${mb(s.rss)} |`);
  const n = Math.max(1, Math.min(10, Math.floor(samples.length / 3)));
  const first = mean(samples.slice(0, n).map((s) => s.heapUsed));
  const last = mean(samples.slice(-n).map((s) => s.heapUsed));
  const change = ((last - first) / first) * 100;
  console.log(
    `\nheap after GC, first ${n} vs last ${n} samples: ${mb(first)} → ${mb(last)} MB (${change >= 0 ? '+' : ''}${change.toFixed(1)} %): ${Math.abs(change) <= 5 ? 'within 5 %' : 'NOT within 5 %'}`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const pg = await createTestDatabase('postgres');
  try {
    await Promise.all([
      soak('SQLite (file)', `sqlite:${join(dir, 'soak.sqlite')}`),
      soak('PostgreSQL', pg.dbUrl),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pg.drop();
  }
}
