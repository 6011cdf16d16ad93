/**
 * Runtime benchmarks (`npm run bench -- runtime`): the engine on the real wall clock, a SQLite
 * file store and the simulated dispatcher. Each scenario runs in its own Node process started
 * with --expose-gc (heap figures need a clean, collectable heap).
 *   W1 register: N rules (40% daily, 40% weekly, 20% monthly) → time until all are armed, heap/rule.
 *   W2 burst: N rules due at the same instant + 10×N not due → lateness of publish vs due instant,
 *      and a check that every request was published after its claim committed.
 *   W3 steady: 1,000 interval rules every 10 s (100 firings/s) for 60 s → lateness, CPU per firing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger } from '../src/log.js';
import { createSimulatedDispatcher } from '../src/rmf/simulatedDispatcher.js';
import type { Firing } from '../src/rules/Firing.js';
import type { Schedule, Weekday } from '../src/rules/Schedule.js';
import { createEngine } from '../src/runtime/firingEngine.js';
import { createRuntimeMetrics } from '../src/runtime/metrics.js';
import type { Dispatcher, Store } from '../src/runtime/ports.js';
import { createWallClock } from '../src/runtime/wallClock.js';
import { openStore } from '../src/store/openStore.js';
import { seedRules, type SeedRule } from './runtimeSeed.js';

const self = fileURLToPath(import.meta.url);
const DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hhmmss = (n: number) =>
  `${String(Math.floor(n / 3600) % 24).padStart(2, '0')}:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
const localIso = (t: number) => new Date(t).toISOString().slice(0, 19);
const bounds = (start: string) => ({ timezone: 'UTC', start, end: null, count: null });

function mixed(i: number): Schedule {
  const time = hhmmss((i * 37) % 86_400);
  const kind = i % 5;
  if (kind < 2) return { kind: 'daily', ...bounds('2025-01-01T00:00:00'), times: [time], every: 1 };
  if (kind < 4)
    return {
      kind: 'weekly',
      ...bounds('2025-01-01T00:00:00'),
      times: [time],
      days: [DAYS[i % 7] as Weekday],
      every: 1,
    };
  return {
    kind: 'monthly',
    ...bounds('2025-01-01T00:00:00'),
    times: [time],
    day: 1 + (i % 28),
    ifMissing: 'skip',
    every: 1,
  };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function openEngine(db: string, dispatcher?: (store: Store) => Dispatcher) {
  const clock = createWallClock();
  const store = await openStore({ dbUrl: `sqlite:${db}`, logger: silentLogger, clock });
  const d = dispatcher?.(store) ?? createSimulatedDispatcher({ clock, latencyMs: 1 });
  const engine = createEngine({
    clock,
    store,
    dispatcher: d,
    logger: silentLogger,
    metrics: createRuntimeMetrics(),
    config: { dispatchTimeoutMs: 10_000, requester: 'bench', replicaId: 'bench' },
  });
  return { clock, store, engine, dispatcher: d };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function w1(n: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runtime-'));
  try {
    const db = join(dir, 'store.sqlite');
    const now = Date.now();
    await seedRules(
      db,
      Array.from({ length: n }, (_, i): SeedRule => ({ schedule: mixed(i) })),
      now - 60_000,
    );
    let loadMs = 0;
    const { clock, store, engine } = await openEngine(db, (s) => {
      const load = s.rules.loadSchedulingEntries.bind(s.rules);
      s.rules.loadSchedulingEntries = async () => {
        const t0 = performance.now();
        const entries = await load();
        loadMs += performance.now() - t0;
        return entries;
      };
      return createSimulatedDispatcher({ clock: createWallClock(), latencyMs: 1 });
    });
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await engine.start();
    const ms = performance.now() - t0;
    const armed = engine.stats().armed;
    gc();
    const after = process.memoryUsage().heapUsed;
    await engine.stop();
    await store.close();
    clock.stop();
    return {
      workload: 'W1 register',
      rules: n,
      armed,
      armedInMs: Math.round(ms),
      storeLoadMs: Math.round(loadMs),
      heapPerRuleBytes: Math.round((after - before) / n),
      loadAvg: loadavg()[0]?.toFixed(1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function w2(n: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runtime-'));
  try {
    const db = join(dir, 'store.sqlite');
    const seedAt = Date.now();
    const due = Math.ceil((seedAt + 30_000 + 3 * n) / 1_000) * 1_000;
    const rules: SeedRule[] = [];
    for (let i = 0; i < n; i++)
      rules.push({ schedule: { kind: 'once', ...bounds('2025-01-01T00:00:00'), at: localIso(due) } });
    for (let i = 0; i < 10 * n; i++) rules.push({ schedule: mixed(i + 1) });
    await seedRules(db, rules, seedAt);
    // Durable before publish: a request id may be published only once its claim has committed.
    const durable = new Set<string>();
    const claimBatches: Array<[number, number, number]> = [];
    let violations = 0;
    const { clock, store, engine } = await openEngine(db, (s) => {
      const claimBatch = s.firings.claimBatch.bind(s.firings);
      s.firings.claimBatch = async (requests, decide) => {
        const t0 = performance.now();
        const results = await claimBatch(requests, decide);
        claimBatches.push([requests.length, Math.round(performance.now() - t0), Date.now() - due]);
        for (const r of results)
          if (r.status === 'claimed' && r.firing.requestId) durable.add(r.firing.requestId);
        return results;
      };
      const inner = createSimulatedDispatcher({ clock: createWallClock(), latencyMs: 1 });
      return {
        kind: 'simulated',
        dispatch(request, options) {
          if (!durable.has(request.request_id)) violations++;
          return inner.dispatch(request, options);
        },
        close: () => inner.close(),
      };
    });
    const firings: Firing[] = [];
    engine.onFiring((f) => firings.push(f));
    await engine.start();
    if (Date.now() > due - 6_000) throw new Error('setup too slow for the burst instant');
    const burst = () => firings.filter((f) => f.dueAt === due);
    while (burst().length < n && Date.now() < due + 60_000) await new Promise((r) => setTimeout(r, 50));
    const late = burst()
      .map((f) => (f.publishedAt ?? Infinity) - due)
      .sort((a, b) => a - b);
    await engine.stop();
    await store.close();
    clock.stop();
    return {
      workload: 'W2 burst',
      due: n,
      notDue: 10 * n,
      recorded: late.length,
      dispatched: burst().filter((f) => f.status === 'dispatched').length,
      p50ms: pct(late, 50),
      p99ms: pct(late, 99),
      maxMs: late[late.length - 1],
      earliestMs: late[0],
      loadAvg: loadavg()[0]?.toFixed(1),
      publishedBeforeClaimDurable: violations,
      claimBatches: claimBatches
        .map(([size, ms, end]) => `${size} in ${ms} ms (done at +${end} ms)`)
        .join(', '),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function w3(n: number, seconds: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runtime-'));
  try {
    const db = join(dir, 'store.sqlite');
    const seedAt = Date.now();
    const base = Math.ceil((seedAt + 10_000) / 1_000) * 1_000;
    const rules: SeedRule[] = Array.from({ length: n }, (_, i) => ({
      schedule: {
        kind: 'interval',
        ...bounds(localIso(base + (i % 10) * 1_000)),
        everySeconds: 10,
        between: null,
        days: null,
      },
    }));
    await seedRules(db, rules, seedAt);
    const { clock, store, engine } = await openEngine(db);
    const late: number[] = [];
    engine.onFiring((f) => {
      if (f.publishedAt !== null) late.push(f.publishedAt - f.fireAt);
    });
    await engine.start();
    await new Promise((r) => setTimeout(r, Math.max(0, base - Date.now())));
    const cpu0 = process.cpuUsage();
    const count0 = late.length;
    await new Promise((r) => setTimeout(r, seconds * 1_000));
    const cpu = process.cpuUsage(cpu0);
    const fired = late.length - count0;
    await engine.stop();
    await store.close();
    clock.stop();
    const sorted = [...late].sort((a, b) => a - b);
    return {
      workload: 'W3 steady',
      rules: n,
      seconds,
      firings: fired,
      perSecond: Math.round(fired / seconds),
      p50ms: pct(sorted, 50),
      p99ms: pct(sorted, 99),
      maxMs: sorted[sorted.length - 1],
      cpuUsPerFiring: Math.round((cpu.user + cpu.system) / Math.max(1, fired)),
      loadAvg: loadavg()[0]?.toFixed(1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scenario(name: string, n: number): Promise<Record<string, unknown>> {
  if (name === 'w1') return w1(n);
  if (name === 'w2') return w2(n);
  return w3(n, Number(process.env.W3_SECONDS ?? 60));
}

export async function run(): Promise<void> {
  const plan: Array<[string, number]> = [
    ['w1', 1_000],
    ['w1', 10_000],
    ['w1', 100_000],
    ['w2', 100],
    ['w2', 1_000],
    ['w2', 10_000],
    ['w3', 1_000],
  ];
  const only = process.env.RUNTIME_BENCH;
  const rows: Array<Record<string, unknown>> = [];
  for (const [name, n] of plan) {
    if (only && !only.split(',').includes(`${name}:${n}`) && !only.split(',').includes(name)) continue;
    const child = spawnSync(process.execPath, ['--expose-gc', self, name, String(n)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      rows.push({ workload: name, n, error: `exit ${child.status}: ${line}` });
    }
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  console.table(rows);
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [name, n] = process.argv.slice(2);
  const result = await scenario(name as string, Number(n));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
