/**
 * `npm run bench -- store`: the store's hot paths on a SQLite file and on PostgreSQL.
 *  - sequential durable claims (claimBatch of 1, one commit each): the per-commit ceiling;
 *  - batched history inserts (recordHistory, 1,000 rows per transaction);
 *  - 1,000 occurrences falling due together: one claimBatch + one recordOutcomes;
 *  - loadSchedulingEntries over 100,000 rules (with firing history).
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { QueryTypes, Sequelize } from 'sequelize';
import { silentLogger } from '../src/log.js';
import type { Rule } from '../src/rules/Rule.js';
import type { ClaimDecider, FiringOutcome, Store } from '../src/runtime/ports.js';
import { openStore } from '../src/store/openStore.js';
import type { TestDialect } from '../test/helpers/testDb.js';
import { createTestDatabase } from '../test/helpers/testDb.js';
import { claimRequest, newRule } from '../test/store/fixtures.js';
import { nameKey } from '../src/rules/nameKey.js';

const claimAll: ClaimDecider = () => ({ action: 'claim' });
const T0 = Date.parse('2026-03-02T07:30:00.000Z');

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** Inserts `count` rules straight into the table (the bench's fixture, not a code path). */
async function seedRules(dbUrl: string, count: number): Promise<string[]> {
  const url = dbUrl.startsWith('sqlite:') ? undefined : dbUrl;
  const sequelize = url
    ? new Sequelize(url, { logging: false })
    : new Sequelize({ dialect: 'sqlite', storage: dbUrl.slice('sqlite:'.length), logging: false });
  const template = newRule();
  const ids: string[] = [];
  try {
    for (let i = 0; i < count; i += 1000) {
      const rows: string[] = [];
      for (let j = i; j < Math.min(count, i + 1000); j++) {
        const id = randomUUID();
        ids.push(id);
        const v = [
          id,
          `bench-${j}`,
          template.description,
          true,
          null,
          JSON.stringify(template.schedule),
          JSON.stringify(template.task),
          JSON.stringify(template.metadata),
          JSON.stringify(template.labels),
          60000,
          'fire_once',
          300000,
          null,
          null,
          1,
          1,
          1,
          nameKey(`bench-${j}`),
        ];
        rows.push(`(${v.map((x) => sequelize.escape(x as string)).join(', ')})`);
      }
      await sequelize.query(
        `INSERT INTO rules (id, name, description, enabled, disabled_reason, schedule, task, metadata, labels, lead_time_ms, misfire_policy, misfire_grace_ms, retry, created_by, created_at, updated_at, version, name_key) VALUES ${rows.join(', ')}`,
        { type: QueryTypes.INSERT },
      );
    }
  } finally {
    await sequelize.close();
  }
  return ids;
}

async function benchDialect(dialect: TestDialect, rows: Array<Record<string, string>>): Promise<void> {
  const label = dialect === 'sqlite-file' ? 'SQLite (file, WAL, synchronous=FULL)' : 'PostgreSQL (localhost)';
  const db = await createTestDatabase(dialect);
  let store: Store | undefined;
  try {
    store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    const s = store;
    const rules: Rule[] = [];
    for (let i = 0; i < 10; i++) rules.push(await s.rules.create(newRule()));
    const rule = rules[0]!;

    // 1. Sequential durable claims.
    const n = 500;
    const [, seqMs] = await time(async () => {
      for (let i = 0; i < n; i++) await s.firings.claimBatch([claimRequest(rule.id, T0 + i)], claimAll);
    });
    rows.push({
      store: label,
      measure: `sequential claims (claimBatch of 1) x${n}`,
      result: `${Math.round((n * 1000) / seqMs)} claims/s (${(seqMs / n).toFixed(2)} ms each)`,
    });

    // 2. Batched history inserts.
    const batches = 20;
    const [, histMs] = await time(async () => {
      for (let b = 0; b < batches; b++) {
        const records = Array.from({ length: 1000 }, (_, i) => {
          const due = T0 + 10_000_000 + b * 1000 + i;
          return {
            ruleId: rules[i % 10]!.id,
            dueAt: due,
            fireAt: due,
            trigger: 'schedule' as const,
            status: 'missed' as const,
            error: 'down',
            replicaId: 'bench',
            recordedAt: due,
          };
        });
        await s.firings.recordHistory(records);
      }
    });
    rows.push({
      store: label,
      measure: `history inserts (recordHistory, ${batches} x 1,000 rows)`,
      result: `${Math.round((batches * 1000 * 1000) / histMs)} rows/s`,
    });

    // 3. 1,000 simultaneous occurrences: one claimBatch, one recordOutcomes.
    for (let round = 0; round < 3; round++) {
      const due = T0 + 50_000_000 + round;
      const requests = Array.from({ length: 1000 }, (_, i) =>
        claimRequest(rules[i % 10]!.id, due + Math.floor(i / 10) * 1000),
      );
      const [results, claimMs] = await time(() => s.firings.claimBatch(requests, claimAll));
      if (results.some((r) => r.status !== 'claimed')) throw new Error('bench: a claim was not claimed');
      const outcomes: FiringOutcome[] = requests.map((r, i) => ({
        ruleId: r.ruleId,
        dueAt: r.dueAt,
        trigger: r.trigger,
        status: 'dispatched',
        requestId: r.requestId,
        request: {
          type: 'dispatch_task_request',
          request: { category: 'clean', description: { zone: `z${i}` } },
        },
        response: { success: true, state: { booking: { id: `clean.dispatch-${i}` } } },
        rmfTaskId: `clean.dispatch-${round}-${i}`,
        error: null,
        attempts: 1,
        publishedAt: r.dueAt + 1,
        respondedAt: r.dueAt + 20,
      }));
      const [, outMs] = await time(() => s.firings.recordOutcomes(outcomes));
      rows.push({
        store: label,
        measure: `1,000 due together, round ${round + 1}: claimBatch + recordOutcomes`,
        result: `${claimMs.toFixed(0)} ms + ${outMs.toFixed(0)} ms = ${(claimMs + outMs).toFixed(0)} ms`,
      });
    }

    // 4. Start-up load of 100,000 rules (each with one history row).
    const ids = await seedRules(db.dbUrl, 100_000 - 10);
    for (let i = 0; i < ids.length; i += 1000) {
      await s.firings.recordHistory(
        ids.slice(i, i + 1000).map((id) => ({
          ruleId: id,
          dueAt: T0,
          fireAt: T0,
          trigger: 'schedule' as const,
          status: 'missed' as const,
          error: 'down',
          replicaId: 'bench',
          recordedAt: T0,
        })),
      );
    }
    for (let round = 0; round < 2; round++) {
      const cpu0 = process.cpuUsage();
      const [entries, loadMs] = await time(() => s.rules.loadSchedulingEntries());
      const cpu = process.cpuUsage(cpu0);
      rows.push({
        store: label,
        measure: `loadSchedulingEntries, ${entries.length.toLocaleString('en')} rules, run ${round + 1}`,
        result: `${loadMs.toFixed(0)} ms (process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`,
      });
    }
  } finally {
    await store?.close();
    await db.drop();
  }
}

export async function run(): Promise<void> {
  const rows: Array<Record<string, string>> = [];
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${cpus().length} cores)`,
  );
  for (const dialect of ['sqlite-file', 'postgres'] as const) await benchDialect(dialect, rows);
  console.log('| store | measure | result |\n| --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.store} | ${r.measure} | ${r.result} |`);
}
