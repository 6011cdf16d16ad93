/**
 * Two processes (two replicas) race claimBatch for the same 1,000 occurrences on one database:
 * each occurrence is claimed exactly once overall.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import type { TestDialect } from '../helpers/testDb.js';
import { createTestDatabase } from '../helpers/testDb.js';
import { newRule, T0 } from './fixtures.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'claimWorker.js');

interface Worker {
  ready: Promise<void>;
  go(): void;
  result: Promise<{ claimed: string[]; taken: number }>;
}

function startWorker(job: object): Worker {
  const child = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  child.stdin.write(`${JSON.stringify(job)}\n`);
  const ready = lines.next().then((l) => {
    if (l.value !== 'ready') throw new Error(`worker said ${String(l.value)}`);
  });
  const result = ready.then(async () => {
    const l = await lines.next();
    if (l.done) throw new Error('worker exited without a result');
    return JSON.parse(l.value) as { claimed: string[]; taken: number };
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}

const race = test.macro(async (t, dialect: TestDialect) => {
  const db = await createTestDatabase(dialect);
  try {
    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    const keys: Array<[string, number]> = [];
    for (let r = 0; r < 10; r++) {
      const rule = await store.rules.create(newRule());
      for (let i = 0; i < 100; i++) keys.push([rule.id, T0 + i * 60_000]);
    }
    const a = startWorker({ dbUrl: db.dbUrl, replicaId: 'a', keys, batch: 100 });
    const b = startWorker({ dbUrl: db.dbUrl, replicaId: 'b', keys: [...keys].reverse(), batch: 100 });
    await Promise.all([a.ready, b.ready]);
    const started = Date.now();
    a.go();
    b.go();
    const [ra, rb] = await Promise.all([a.result, b.result]);
    t.log(`claiming took ${Date.now() - started} ms`);
    t.is(ra.claimed.length + rb.claimed.length, 1000);
    t.is(ra.taken + rb.taken, 1000);
    t.is(new Set([...ra.claimed, ...rb.claimed]).size, 1000);
    const stored = await store.firings.list({ order: 'asc', limit: 2000, offset: 0 });
    t.is(stored.total, 1000);
    const byReplica = (id: string) => stored.items.filter((f) => f.replicaId === id).length;
    t.deepEqual([byReplica('a'), byReplica('b')], [ra.claimed.length, rb.claimed.length]);
    t.log(`${dialect}: process a claimed ${ra.claimed.length}, process b ${rb.claimed.length}`);
    await store.close();
  } finally {
    await db.drop();
  }
});

test('two processes on PostgreSQL claim each occurrence once', race, 'postgres');
test('two processes on MariaDB claim each occurrence once', race, 'mariadb');
test('two processes on one SQLite file claim each occurrence once', race, 'sqlite-file');
