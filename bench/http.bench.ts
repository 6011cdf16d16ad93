/**
 * `npm run bench -- http`: a real HTTP load generator (autocannon) against the whole stack
 * (store on an SQLite file, engine on the wall clock, facade, simulated dispatcher, Koa app):
 * create rule, get rule, list 100 rules out of 100,000, and a week's calendar across 1,000 rules.
 * Get is measured on one rule, on 1,000 rules in turn (a working set that the rule read cache
 * keeps) and on 20,000 in turn (more than it keeps: every read goes to the store).
 * The server runs in this process; autocannon runs in a child process (bench/httpLoad.ts), one per
 * scenario, as a real client would never share the server's event loop.
 *
 * The rules are seeded into a file on tmpfs (see seed), which is then copied to disk (the system's
 * temporary directory, or BENCH_HTTP_DIR); the service under test runs on that copy.
 * BENCH_HTTP_RULES (default 100,000) and BENCH_HTTP_SECONDS (default 10 per scenario, after
 * BENCH_HTTP_WARMUP_SECONDS, default 2, unmeasured) scale it;
 * BENCH_HTTP_ONLY picks scenarios (e.g. `get,calendar`); BENCH_HTTP_PROFILE=<file> writes a CPU
 * profile of the server process while they run.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequelize } from 'sequelize';
import { Registry } from 'prom-client';
import { createApp } from '../src/http/app.js';
import { applyOverrides, defaultConfig } from '../src/loadConfig.js';
import { silentLogger } from '../src/log.js';
import { createSimulatedDispatcher } from '../src/rmf/simulatedDispatcher.js';
import { createScheduler } from '../src/runtime/createScheduler.js';
import { createEngine } from '../src/runtime/firingEngine.js';
import { createRuntimeMetrics } from '../src/runtime/metrics.js';
import { nameKey } from '../src/rules/nameKey.js';
import { newRuleFrom } from '../src/runtime/ruleInput.js';
import { createWallClock } from '../src/runtime/wallClock.js';
import { openStore } from '../src/store/openStore.js';
import { RULE_COLUMNS } from '../src/store/ruleRows.js';
import type { LoadRequest, LoadResult } from './httpLoad.js';

const TOTAL_RULES = Number(process.env.BENCH_HTTP_RULES ?? 100_000);
const CALENDAR_RULES = 1_000;
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = 32;
/** Each scenario first runs this long unmeasured (JIT, caches), then DURATION_S measured. */
const WARMUP_S = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 2);
/** BENCH_HTTP_ONLY=create,get,get0,get1k,getcold,list1,list32,bare,calendar runs only those. */
const ONLY = process.env.BENCH_HTTP_ONLY?.split(',') ?? null;
/** BENCH_HTTP_PROFILE=file.cpuprofile: a CPU profile of the server while the scenarios run. */
const PROFILE = process.env.BENCH_HTTP_PROFILE;

/** The V8 profiler of this process (node:inspector), started now. */
async function startProfiler(): Promise<{ stop(): Promise<object> }> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      session.disconnect();
      return profile;
    },
  };
}

const task = {
  type: 'dispatch_task_request' as const,
  request: { category: 'patrol', description: { places: ['pantry', 'lounge'], rounds: 1 } },
};

function bodyOf(name: string, labels: string[], time: string): Record<string, unknown> {
  return { name, labels, schedule: { kind: 'daily', times: [time], timezone: 'UTC' }, task };
}

/**
 * The rules are a fixture written straight into the tables (1,000 rows per INSERT, as the store
 * bench does), after the store's own migrations; each row is what the facade's create would store.
 */
async function seed(file: string): Promise<void> {
  const ctx = {
    timezone: 'UTC',
    misfirePolicy: 'fire_once' as const,
    misfireGraceMs: 300_000,
    now: Date.now(),
  };
  const newRule = (i: number, label: string) =>
    newRuleFrom(
      {
        name: `seed-${String(i).padStart(6, '0')}`,
        labels: [label],
        schedule: bodyOf('', [], `${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`)
          .schedule,
        task,
      },
      'bench',
      ctx,
    );
  const store = await openStore({ dbUrl: `sqlite:${file}`, logger: silentLogger, migrate: true });
  await store.close();

  const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
  try {
    const now = Date.now();
    for (let i = 0; i < TOTAL_RULES; i += 1000) {
      const rules: string[] = [];
      const labels: string[] = [];
      for (let j = i; j < Math.min(TOTAL_RULES, i + 1000); j++) {
        const label = j < CALENDAR_RULES ? 'calendar' : 'bulk';
        const r = newRule(j, label);
        const id = randomUUID();
        const values = [
          id,
          r.name,
          r.description,
          r.enabled,
          null,
          JSON.stringify(r.schedule),
          JSON.stringify(r.task),
          JSON.stringify(r.metadata),
          JSON.stringify(r.labels),
          r.leadTimeMs,
          r.misfire.policy,
          r.misfire.graceMs,
          null,
          'bench',
          now,
          now,
          1,
          nameKey(r.name),
        ];
        rules.push(`(${values.map((v) => sequelize.escape(v as string)).join(', ')})`);
        labels.push(`(${sequelize.escape(id)}, ${sequelize.escape(label)})`);
      }
      await sequelize.query(`INSERT INTO rules (${RULE_COLUMNS}, name_key) VALUES ${rules.join(', ')}`);
      await sequelize.query(`INSERT INTO rule_labels (rule_id, label) VALUES ${labels.join(', ')}`);
    }
  } finally {
    await sequelize.close();
  }
}

interface Row {
  scenario: string;
  connections: number;
  requests: number;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  errors: number;
  /** CPU time of the server process (all its threads, SQLite's included) per request. */
  'server CPU µs/req': number;
  /** CPU time of the load generator (autocannon, its own process) per request. */
  'client CPU µs/req': number;
  /** The 1-minute load average when the scenario ended (the machine is shared). */
  load: number;
}

const LOAD_SCRIPT = fileURLToPath(new URL('./httpLoad.js', import.meta.url));

/** Runs autocannon in a child process (bench/httpLoad.ts): the server keeps this event loop. */
function loadInChild(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(LOAD_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`)),
    );
    child.send(request);
  });
}

async function load(
  name: string,
  url: string,
  options: Omit<LoadRequest, 'url' | 'connections' | 'durationS'> & { connections?: number },
): Promise<Row> {
  const connections = options.connections ?? CONNECTIONS;
  if (WARMUP_S > 0) await loadInChild({ ...options, url, connections, durationS: WARMUP_S });
  const cpu = process.cpuUsage();
  const result = await loadInChild({ ...options, url, connections, durationS: DURATION_S });
  const used = process.cpuUsage(cpu);
  return {
    scenario: name,
    connections,
    requests: result.requests,
    'req/s': Math.round(result.average),
    'p50 ms': result.p50,
    'p99 ms': result.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    'server CPU µs/req': Math.round((used.user + used.system) / Math.max(1, result.requests)),
    'client CPU µs/req': Math.round(result.cpuMicros / Math.max(1, result.requests)),
    load: Math.round(loadavg()[0]! * 10) / 10,
  };
}

/** Starts a bare node:http server answering the body of GET /rules/{id}, and loads it. */
async function bareNodeHttp(
  measure: (url: string) => Promise<Row>,
  base: string,
  ruleId: string,
): Promise<Row> {
  const body = Buffer.from(await (await fetch(`${base}/rules/${ruleId}`)).text());
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  bare.listen(0, '127.0.0.1');
  await new Promise<void>((done) => bare.once('listening', () => done()));
  try {
    return await measure(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`);
  } finally {
    bare.closeAllConnections();
    await new Promise<void>((done) => bare.close(() => done()));
  }
}

export async function run(): Promise<void> {
  const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const seedDir = mkdtempSync(join(shm, 'bench-http-seed-'));
  const diskDir = mkdtempSync(join(process.env.BENCH_HTTP_DIR ?? tmpdir(), 'bench-http-'));
  const seedFile = join(seedDir, 'store.sqlite');
  const file = join(diskDir, 'store.sqlite');
  try {
    let t0 = performance.now();
    await seed(seedFile);
    console.log(`service database: ${file}`);
    console.log(`seeded ${TOTAL_RULES} rules in ${((performance.now() - t0) / 1000).toFixed(1)} s (tmpfs)`);
    copyFileSync(seedFile, file);
    for (const ext of ['-wal', '-shm'])
      if (existsSync(seedFile + ext)) copyFileSync(seedFile + ext, file + ext);

    const config = applyOverrides(
      defaultConfig(diskDir),
      { db_url: `sqlite:${file}`, timezone: 'UTC', 'rmf.transport': 'sim', sync_interval_ms: 60_000 },
      'bench',
    );
    const clock = createWallClock();
    const store = await openStore({ dbUrl: config.db_url, logger: silentLogger, clock });
    const dispatcher = createSimulatedDispatcher({ clock });
    const registry = new Registry();
    const engine = createEngine({
      clock,
      store,
      dispatcher,
      logger: silentLogger,
      metrics: createRuntimeMetrics(registry),
      config: { dispatchTimeoutMs: 10_000, requester: 'bench', replicaId: 'bench' },
    });
    const scheduler = createScheduler({
      store,
      engine,
      clock,
      logger: silentLogger,
      config,
      transport: { kind: 'simulated' },
      version: 'bench',
    });
    t0 = performance.now();
    await engine.start();
    console.log(`engine armed ${TOTAL_RULES} rules in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const app = createApp({ scheduler, config, logger: silentLogger, registry, now: () => clock.now() });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise<void>((done) => server.once('listening', () => done()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const someRule = (await (await fetch(`${base}/rules?label=calendar&limit=1`)).json()) as {
      items: Array<{ id: string }>;
    };
    const ruleId = someRule.items[0]?.id ?? '';
    const allIds = (await store.rules.loadSchedulingEntries()).map((e) => e.id);
    const rulePaths = (n: number): string[] => allIds.slice(0, n).map((id) => `/rules/${id}`);
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const weekFrom = `${from}T00:00:00.000Z`;
    const weekTo = new Date(Date.parse(weekFrom) + 7 * 86_400_000).toISOString();
    const week = (await (
      await fetch(`${base}/occurrences?label=calendar&from=${weekFrom}&to=${weekTo}&limit=10000`)
    ).json()) as {
      items: unknown[];
    };
    console.log(`week calendar: ${week.items.length} occurrences of ${CALENDAR_RULES} rules`);

    const scenarios: Array<[key: string, run: () => Promise<Row>]> = [
      [
        'create',
        () =>
          load('POST /rules (create)', `${base}/rules`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            numberedBody: JSON.stringify(bodyOf('bench-{{n}}', ['created'], '12:00')),
          }),
      ],
      ['get', () => load('GET /rules/{id} (with 5 upcoming)', `${base}/rules/${ruleId}`, {})],
      ['get0', () => load('GET /rules/{id}?upcoming=0', `${base}/rules/${ruleId}?upcoming=0`, {})],
      [
        // A dashboard's working set: 1,000 different rules in turn (all fit in the read cache).
        'get1k',
        () => load('GET /rules/{id}, 1,000 rules in turn', base, { paths: rulePaths(1_000) }),
      ],
      [
        // More rules than the read cache keeps, in turn: every read goes to the store.
        'getcold',
        () => load('GET /rules/{id}, 20,000 rules in turn', base, { paths: rulePaths(20_000) }),
      ],
      ...[1, CONNECTIONS].map((connections): [string, () => Promise<Row>] => [
        `list${connections}`,
        () => load(`GET /rules?limit=100 (of ${TOTAL_RULES})`, `${base}/rules?limit=100`, { connections }),
      ]),
      [
        // For scale, not the product: node:http alone answering a fixed rule body (same size as
        // the get above), measured the same way. What the machine allows one Node process.
        'bare',
        () => bareNodeHttp((u) => load('bare node:http, fixed body (no app, no store)', u, {}), base, ruleId),
      ],
      [
        'calendar',
        () =>
          load(
            `GET /occurrences (week, ${CALENDAR_RULES} rules)`,
            `${base}/occurrences?label=calendar&from=${weekFrom}&to=${weekTo}&limit=10000`,
            { connections: 1 },
          ),
      ],
    ];
    const rows: Row[] = [];
    const reads = () => scheduler.ruleReadStats();
    const profiler = PROFILE === undefined ? null : await startProfiler();
    for (const [key, run] of scenarios) {
      if (ONLY !== null && !ONLY.includes(key)) continue;
      const before = reads();
      rows.push(await run());
      const after = reads();
      const [hits, misses] = [after.hits - before.hits, after.misses - before.misses];
      if (key.startsWith('get')) {
        const checks = after.checks - before.checks;
        console.log(
          `${key}: rule reads ${hits} from memory, ${misses} from the store; ${checks} change-feed checks (${(checks / (hits + misses)).toFixed(3)} per read), warm-up included`,
        );
      }
    }
    if (profiler !== null && PROFILE !== undefined) {
      writeFileSync(PROFILE, JSON.stringify(await profiler.stop()));
      console.log(`CPU profile of the scenarios (server process): ${PROFILE}`);
    }
    console.table(rows);

    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
    await scheduler.stop();
    await dispatcher.close();
    clock.stop();
    await store.close();
  } finally {
    rmSync(seedDir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
}
