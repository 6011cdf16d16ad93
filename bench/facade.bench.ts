/**
 * The Scheduler facade's queries on the real store (SQLite in memory) with the recording engine:
 * a week's calendar across 1,000 rules, and listing a page of 100 among many rules, plainly (SQL
 * paging) and by next due instant (in-memory scan of ids).
 */
import { performance } from 'node:perf_hooks';
import { SimulatedClock } from 'xstate';
import { silentLogger } from '../src/log.js';
import { createScheduler } from '../src/runtime/createScheduler.js';
import type { Store } from '../src/runtime/ports.js';
import type { NewRule } from '../src/rules/Rule.js';
import type { Schedule } from '../src/rules/Schedule.js';
import { openStore } from '../src/store/openStore.js';
import { createFakeEngine } from '../test/helpers/fakeEngine.js';

const NOW = Date.parse('2026-03-09T12:00:00.000Z');
const DAY = 86_400_000;

const bounds = { timezone: 'Europe/Berlin', start: '2026-01-01T00:00:00', end: null, count: null };
function scheduleOf(i: number): Schedule {
  switch (i % 4) {
    case 0:
      return { ...bounds, kind: 'daily', times: ['02:30:00', '14:00:00'], every: 1 };
    case 1:
      return { ...bounds, kind: 'weekly', times: ['09:00:00'], days: ['mon', 'wed', 'fri'], every: 1 };
    case 2:
      return {
        ...bounds,
        kind: 'interval',
        everySeconds: 3600,
        between: ['08:00:00', '18:00:00'],
        days: null,
      };
    default:
      return {
        ...bounds,
        kind: 'monthly_weekday',
        times: ['10:00:00'],
        weekday: 'tue',
        week: 2,
        ifMissing: 'skip',
        every: 1,
      };
  }
}

const ruleOf = (i: number): NewRule => ({
  name: `rule ${String(i).padStart(6, '0')}`,
  description: '',
  enabled: true,
  disabledReason: null,
  schedule: scheduleOf(i),
  task: { type: 'dispatch_task_request', request: { category: 'patrol', description: { places: ['a'] } } },
  metadata: {},
  labels: i % 10 === 0 ? ['ward'] : [],
  leadTimeMs: 0,
  misfire: { policy: 'fire_once', graceMs: 60_000 },
  retry: null,
  createdBy: null,
});

async function seed(store: Store, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await store.rules.create(ruleOf(i))).id);
  return ids;
}

/** Wall-clock median and p95, and the median CPU time of the whole process (all threads). */
async function timeIt(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<{ median: number; p95: number; cpu: number }> {
  const times: number[] = [];
  const cpus: number[] = [];
  await fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return {
    median: times[Math.floor(runs / 2)]!,
    p95: times[Math.floor(runs * 0.95)]!,
    cpu: cpus[Math.floor(runs / 2)]!,
  };
}

async function facadeOn(n: number) {
  const clock = new SimulatedClock();
  clock.set(NOW);
  const store = await openStore({ dbUrl: 'sqlite::memory:', logger: silentLogger, clock });
  const t0 = performance.now();
  const ids = await seed(store, n);
  const seedMs = performance.now() - t0;
  const engine = createFakeEngine({ clock, store });
  for (const rule of await store.rules.getMany(ids)) await engine.refresh(rule);
  const scheduler = createScheduler({
    store,
    engine,
    clock,
    logger: silentLogger,
    config: {
      timezone: 'UTC',
      misfire_policy: 'fire_once',
      misfire_grace_ms: 60_000,
      replica_id: 'bench',
      sync_interval_ms: 1_000,
    },
    transport: { kind: 'simulated' },
    version: 'bench',
  });
  return { store, scheduler, ids, seedMs };
}

export async function run(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  const fmt = (x: number) => Number(x.toFixed(2));

  {
    const { store, scheduler, ids } = await facadeOn(1_000);
    // Two past days of firings and 100 overrides in the week.
    for (let d = 2; d >= 1; d--) {
      const dueAt = NOW - d * DAY;
      await store.firings.claimBatch(
        ids.map((ruleId) => ({
          ruleId,
          dueAt,
          fireAt: dueAt,
          trigger: 'schedule' as const,
          requestId: `${ruleId}-${d}`,
          claimedAt: dueAt,
          replicaId: 'bench',
        })),
        () => ({ action: 'claim' }),
      );
    }
    for (const ruleId of ids.filter((_, i) => i % 40 === 0)) {
      const week = await scheduler.upcoming(ruleId, 3);
      if (week[0]) await scheduler.updateOccurrence(week[0].id, { enabled: false }, null);
      if (week[1]) await scheduler.deleteOccurrence(week[1].id, null, null);
      if (week[2]) await scheduler.updateOccurrence(week[2].id, { at: week[2].at + 1_800_000 }, null);
    }
    const from = NOW - 3 * DAY;
    const to = from + 7 * DAY;
    let count = 0;
    const t = await timeIt(20, async () => {
      count = (await scheduler.occurrences({ from, to, limit: 10_000 })).length;
    });
    rows.push({
      case: 'calendar: 1 week x 1,000 rules',
      items: count,
      'median ms': fmt(t.median),
      'p95 ms': fmt(t.p95),
      'cpu ms': fmt(t.cpu),
    });
    const one = await timeIt(50, () => scheduler.occurrences({ ruleId: ids[0]!, from, to, limit: 10_000 }));
    rows.push({
      case: 'calendar: 1 week x 1 rule',
      items: '',
      'median ms': fmt(one.median),
      'p95 ms': fmt(one.p95),
      'cpu ms': fmt(one.cpu),
    });
    await scheduler.stop();
    await store.close();
  }

  const n = Number(process.env.FACADE_BENCH_RULES ?? 20_000);
  {
    const { store, scheduler, seedMs } = await facadeOn(n);
    rows.push({
      case: `seed ${n} rules (one create each)`,
      items: n,
      'median ms': fmt(seedMs),
      'p95 ms': '',
    });
    const plain = await timeIt(20, () =>
      scheduler.listRules({ limit: 100, offset: Math.floor(n / 2), sort: 'name' }),
    );
    rows.push({
      case: `list 100 of ${n}, by name (SQL paging)`,
      items: 100,
      'median ms': fmt(plain.median),
      'p95 ms': fmt(plain.p95),
      'cpu ms': fmt(plain.cpu),
    });
    const byDue = await timeIt(20, () => scheduler.listRules({ limit: 100, offset: 0, sort: 'next_due_at' }));
    rows.push({
      case: `list 100 of ${n}, by next due (id scan)`,
      items: 100,
      'median ms': fmt(byDue.median),
      'p95 ms': fmt(byDue.p95),
      'cpu ms': fmt(byDue.cpu),
    });
    const filtered = await timeIt(10, () =>
      scheduler.listRules({ limit: 100, offset: 0, label: 'ward', nextDueBefore: NOW + DAY }),
    );
    rows.push({
      case: `list 100 of ${n}, label + next due before`,
      items: 100,
      'median ms': fmt(filtered.median),
      'p95 ms': fmt(filtered.p95),
      'cpu ms': fmt(filtered.cpu),
    });
    await scheduler.stop();
    await store.close();
  }
  console.table(rows);
}
