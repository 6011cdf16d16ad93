/**
 * A separate process that claims occurrences (spawned by processRace.test.ts). Reads one JSON
 * line { dbUrl, replicaId, keys: [[ruleId, dueAt], …], batch } on stdin, opens the store, prints
 * "ready", waits for "go", claims the keys in batches and prints one JSON line
 * { claimed: ["ruleId|dueAt", …], taken: number }.
 */
import { createInterface } from 'node:readline';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { claimRequest, claimUnlessDisabled } from './fixtures.js';

interface Job {
  dbUrl: string;
  replicaId: string;
  keys: Array<[string, number]>;
  batch: number;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async (): Promise<string> => {
  const r = await lines.next();
  if (r.done) throw new Error('stdin closed');
  return r.value;
};

const job = JSON.parse(await next()) as Job;
const store = await openStore({ dbUrl: job.dbUrl, logger: silentLogger, migrate: false });
process.stdout.write('ready\n');
await next();
const claimed: string[] = [];
let taken = 0;
for (let i = 0; i < job.keys.length; i += job.batch) {
  const batch = job.keys
    .slice(i, i + job.batch)
    .map(([id, due]) => claimRequest(id, due, { replicaId: job.replicaId }));
  const results = await store.firings.claimBatch(batch, claimUnlessDisabled);
  results.forEach((r, j) => {
    if (r.status === 'claimed') claimed.push(`${batch[j]?.ruleId}|${batch[j]?.dueAt}`);
    else if (r.status === 'already_claimed') taken++;
  });
}
await store.close();
process.stdout.write(`${JSON.stringify({ claimed, taken })}\n`);
process.exit(0);
