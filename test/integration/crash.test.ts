/**
 * Exactly once across crashes, in real processes on the real clock: a child process fires 2,000
 * rules due over ~30 s and is killed with SIGKILL twice in the middle, then restarted until every
 * occurrence is past. Afterwards every occurrence has exactly one firing row, no claim is left
 * unresolved, and the requests RMF received are exactly the dispatched rows (nothing published
 * twice, nothing lost; the misfire policy decides what was late).
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { newRule, once } from '../runtime/support/fixtures.js';
import { readJournal } from './crashJournal.js';

const here = dirname(fileURLToPath(import.meta.url));
const RULES = 2_000;
const SPREAD_S = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startChild(
  db: string,
  journal: string,
  lastAt: number,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(here, 'crashChild.js'), db, journal, String(lastAt)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

const localIso = (t: number) => new Date(t).toISOString().slice(0, 19);

test('killed with SIGKILL twice mid-burst: every occurrence has one row; received requests = dispatched rows', async (t) => {
  // A process crash (not a power loss) is what is tested: RAM-backed files keep what a killed
  // process wrote, and make the 2,000 seeding commits quick.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'crash-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'store.sqlite');
  const journal = join(dir, 'rmf-journal.jsonl');

  const seeding = await openStore({ dbUrl: `sqlite:${db}`, logger: silentLogger });
  const base = Math.ceil((Date.now() + 14_000) / 1_000) * 1_000;
  const seedStart = Date.now();
  const create = (i: number) =>
    seeding.rules.create(
      newRule({
        schedule: once(localIso(base + (i % SPREAD_S) * 1_000), 'UTC', localIso(base - 60_000)),
        misfire: i % 2 === 0 ? { policy: 'fire_once', graceMs: 5_000 } : { policy: 'skip', graceMs: 0 },
      }),
    );
  for (let i = 0; i < RULES; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => create(i + k)));
  }
  t.log(`seeded ${RULES} rules in ${Date.now() - seedStart} ms`);
  await seeding.close();
  const lastAt = base + (SPREAD_S - 1) * 1_000;
  t.true(Date.now() < base, `seeding must finish before the first occurrence (${base - Date.now()} ms left)`);

  // Run 1: killed 8 s into the burst. Down 2 s. Run 2: killed 8 s later. Down 1 s. Run 3: to the end.
  const first = startChild(db, journal, lastAt);
  await sleep(base + 8_000 - Date.now());
  first.child.kill('SIGKILL');
  await first.exited;
  await sleep(2_000);
  const second = startChild(db, journal, lastAt);
  await sleep(base + 18_000 - Date.now());
  second.child.kill('SIGKILL');
  await second.exited;
  await sleep(1_000);
  const third = startChild(db, journal, lastAt);
  t.is(await third.exited, 0, 'the last run finishes by itself');

  const store = await openStore({ dbUrl: `sqlite:${db}`, logger: silentLogger });
  t.teardown(() => store.close());
  const rows = (await store.firings.list({ order: 'asc', limit: 10_000, offset: 0 })).items;
  const perRule = new Map<string, number>();
  for (const row of rows) perRule.set(row.ruleId, (perRule.get(row.ruleId) ?? 0) + 1);
  t.is(perRule.size, RULES, 'every rule has a row');
  t.true(
    [...perRule.values()].every((n) => n === 1),
    'exactly one row per occurrence',
  );
  t.is(rows.filter((r) => r.status === 'claimed').length, 0, 'no claim left unresolved');

  const received = readJournal(journal);
  const distinct = new Set(received);
  const dispatched = rows.filter((r) => r.status === 'dispatched');
  t.is(distinct.size, dispatched.length, 'distinct requests received = dispatched rows');
  t.is(received.length, distinct.size, 'no request id received twice');
  t.true(dispatched.every((r) => r.requestId !== null && distinct.has(r.requestId)));
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const replayed = dispatched.filter((r) => r.rmfTaskId?.startsWith('replayed-')).length;
  t.log({ ...byStatus, answersRecoveredAfterKill: replayed });
  t.true((byStatus.missed ?? 0) > 0, 'the downtime left missed occurrences');
});
