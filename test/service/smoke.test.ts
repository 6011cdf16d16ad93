/**
 * The service as an operator runs it: `node bin/task_scheduler.js` (built) on a fresh SQLite file
 * and the simulated dispatcher; the README's curl commands create a rule that fires within
 * seconds; it shows up in /firings as dispatched with the simulated RMF task id; SIGTERM stops
 * it with exit code 0.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import test from 'ava';

const root = process.cwd();
const bin = resolve(root, 'bin/task_scheduler.js');

/** The commands of the README block marked as the demo, one shell script. */
function readmeDemo(): string {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
  const match = /<!-- readme-demo[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no readme-demo block');
  return match[1];
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RMF_TASK_SCHEDULER_')) env[k] = v;
  return env;
}

test('the built service runs the README demo on SQLite and the simulated dispatcher, and stops on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rmf-smoke-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    [bin, '--port', '0', '--rmf.transport', 'sim', '--ros-args', '-r', '__node:=smoke'],
    {
      cwd: dir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.msg === 'listening') done(entry.url as string);
    });
    void exited.then((code) => fail(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  t.true(
    lines.some((l) => l.level === 40 && /SIMULATED/.test(String(l.msg))),
    'a loud warning about the simulated transport',
  );
  t.true(lines.some((l) => l.msg === 'store opened' || l.msg === 'starting'));

  const script = readmeDemo().replaceAll('http://127.0.0.1:8010', url);
  const { stdout } = await promisify(execFile)('sh', ['-c', script], { cwd: dir });
  const outputs = stdout
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const created = JSON.parse(outputs[0] as string) as { id: string; name: string };
  t.is(created.name, 'lobby patrol');
  const firings = JSON.parse(outputs.at(-1) as string) as {
    items: Array<{ rule_id: string; status: string; rmf_task_id: string }>;
  };
  t.true(firings.items.length >= 1, JSON.stringify(firings));
  for (const f of firings.items) {
    t.is(f.rule_id, created.id);
    t.is(f.status, 'dispatched');
    t.regex(f.rmf_task_id, /^patrol\.dispatch-\d+$/);
  }
  const health = (await (await fetch(`${url}/health`)).json()) as {
    rmf: { simulated: boolean };
    warnings: string[];
  };
  t.true(health.rmf.simulated);
  t.regex(health.warnings.join(' '), /SIMULATED/);
  t.true(lines.some((l) => l.msg === 'firing recorded' && l.simulated === true && l.rmf_task_id !== null));

  child.kill('SIGTERM');
  t.is(await exited, 0, stderr);
  t.true(lines.some((l) => l.msg === 'stopped'));
  t.is(stderr, '');
});
