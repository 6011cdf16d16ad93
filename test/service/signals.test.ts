/**
 * Ctrl-C under `ros2 launch`: the node gets SIGINT twice (terminal, then launch), later SIGTERM.
 * It stops cleanly once, exits 0 with its `stopped` line (launch: "process has finished
 * cleanly"), waits about 4 s at most for a firing in flight (answered in time: recorded; never
 * answered: left claimed for the next start), and never needs launch's SIGKILL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import test from 'ava';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import { ctrlCUnderLaunch } from '../helpers/launchSignals.js';

const child = resolve(process.cwd(), 'dist/test/service/rosNodeChild.js');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RMF_TASK_SCHEDULER_')) env[k] = v;
  return { ...env, ...extra };
}

async function startNode(dir: string, env: Record<string, string>, dispatchTimeoutMs: number) {
  const db = `sqlite:${join(dir, 'db.sqlite')}`;
  const proc = spawn(
    process.execPath,
    [
      child,
      '--ros-args',
      '--disable-stdout-logs',
      '--ros-args',
      '-r',
      '__node:=task_scheduler',
      '-r',
      '__ns:=/',
      '-p',
      `db_url:=${db}`,
      '-p',
      'port:=0',
      '-p',
      'rmf.transport:=ros',
      '-p',
      `rmf.dispatch_timeout_ms:=${dispatchTimeoutMs}`,
    ],
    { cwd: process.cwd(), env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') done(entry.url as string);
    });
    proc.once('exit', (code) => fail(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  return { proc, url, db, lines, stderr: () => stderr };
}

/** Creates a rule and triggers it; resolves once its firing is claimed (in flight). */
async function fireOne(url: string): Promise<string> {
  const created = await fetch(`${url}/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'ward round',
      schedule: { kind: 'daily', times: ['03:00'], timezone: 'UTC' },
      task: {
        type: 'dispatch_task_request',
        request: { category: 'patrol', description: { places: ['a'], rounds: 1 } },
      },
    }),
  });
  const rule = (await created.json()) as { id: string };
  fetch(`${url}/rules/${rule.id}/trigger`, { method: 'POST' }).catch(() => undefined);
  for (;;) {
    const page = (await (await fetch(`${url}/firings?status=claimed`)).json()) as { items: unknown[] };
    if (page.items.length > 0) return rule.id;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function firingsOf(db: string, ruleId: string) {
  const store = await openStore({ dbUrl: db, logger: createLogger('silent') });
  try {
    return (await store.firings.list({ ruleId, order: 'asc', limit: 10, offset: 0 })).items;
  } finally {
    await store.close();
  }
}

test('Ctrl-C under launch (SIGINT twice) stops once, records the firing in flight, exits 0 cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmf-signals-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const node = await startNode(dir, { FAKE_RMF_DELAY_MS: '1500' }, 10_000);
  t.teardown(() => void (node.proc.exitCode === null && node.proc.kill('SIGKILL')));
  const ruleId = await fireOne(node.url);

  const stop = await ctrlCUnderLaunch(node.proc);
  t.is(stop.report, `process has finished cleanly [pid ${node.proc.pid}]`, node.stderr());
  t.is(stop.code, 0);
  t.deepEqual(
    stop.sent.map((s) => s.signal),
    ['SIGINT', 'SIGINT'],
    'done before launch escalates',
  );
  t.is(node.lines.filter((l) => l.msg === 'stopping').length, 1);
  t.true(node.lines.some((l) => l.msg === 'already stopping; signal ignored' && l.signal === 'SIGINT'));
  t.is(node.lines.at(-1)?.msg, 'stopped');
  const [firing] = await firingsOf(node.db, ruleId);
  t.is(firing?.status, 'dispatched', 'answered within the stop window: recorded');
  t.regex(firing?.rmfTaskId ?? '', /^patrol\.dispatch-\d+$/);
});

test('a firing RMF does not answer is left claimed after about 4 s, before launch’s SIGTERM and SIGKILL', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmf-signals-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const node = await startNode(dir, { FAKE_RMF_SILENT: '1' }, 60_000);
  t.teardown(() => void (node.proc.exitCode === null && node.proc.kill('SIGKILL')));
  const ruleId = await fireOne(node.url);

  const stop = await ctrlCUnderLaunch(node.proc);
  t.is(stop.report, `process has finished cleanly [pid ${node.proc.pid}]`, node.stderr());
  t.false(
    stop.sent.some((s) => s.signal === 'SIGKILL'),
    JSON.stringify(stop.sent),
  );
  t.true(stop.tookMs >= 3_500, `waited for the firing (${stop.tookMs} ms)`);
  t.true(
    node.lines.some(
      (l) => l.msg === 'stopped with firings in flight: they stay claimed for the next start to settle',
    ),
  );
  t.is(node.lines.at(-1)?.msg, 'stopped');
  const [firing] = await firingsOf(node.db, ruleId);
  t.is(firing?.status, 'claimed', 'left for the next start, as after a crash');
});
