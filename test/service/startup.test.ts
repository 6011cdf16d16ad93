/**
 * Start-up as an operator meets it, through the built executable: a SQLite path that cannot be a
 * store stops start-up with exit 1 naming the path and why (and creates nothing); passwords in
 * `db_url` never show; a reader that closes the pipe early ends the CLI quietly; `npm start` runs
 * the built code (no compiler) and answers /health.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import test from 'ava';

const root = process.cwd();
const bin = resolve(root, 'bin/task_scheduler.js');

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RMF_TASK_SCHEDULER_')) env[k] = v;
  return { ...env, ...extra };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: SpawnOptions = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const serve = (dbUrl: string, options: SpawnOptions = {}) =>
  run(['--db-url', dbUrl, '--port', '0', '--rmf.transport', 'sim'], options);

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'rmf-startup-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('sqlite:<a directory> stops start-up with exit 1, naming the path and saying it is a directory', async (t) => {
  const dir = tempDir(t);
  const ran = await serve(`sqlite:${dir}`);
  t.is(ran.code, 1);
  t.regex(ran.stderr, new RegExp(`db_url: SQLite database ${dir}: is a directory`));
  t.false(ran.stdout.includes('"listening"'));
});

test('sqlite:<a missing directory>/x.sqlite stops start-up with exit 1 and creates no directory', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'typo', 'deeper', 'x.sqlite');
  const ran = await serve(`sqlite:${file}`);
  t.is(ran.code, 1);
  t.regex(ran.stderr, /its directory .*typo\/deeper does not exist/);
  t.true(ran.stderr.includes(file));
  t.false(existsSync(join(dir, 'typo')), 'no directory tree created');
});

test('a SQLite file that does not exist yet is created when its directory exists', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'data'));
  const file = join(dir, 'data', 'store.sqlite');
  const ran = await run(['migrate', '--db-url', `sqlite:${file}`]);
  t.is(ran.code, 0, ran.stderr);
  t.true(statSync(file).isFile());
});

test('a SQLite file this process cannot write stops start-up with exit 1, naming the path', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'store.sqlite');
  writeFileSync(file, '');
  chmodSync(dir, 0o755);
  // root may write any file: run as an unprivileged user instead (the file stays root's, 0644).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(file, 0o644);
  else chmodSync(file, 0o444);
  const ran = await serve(`sqlite:${file}`, asRoot ? { uid: 65534, gid: 65534, cwd: dir } : {});
  t.is(ran.code, 1);
  t.regex(ran.stderr, new RegExp(`SQLite database ${file}: not writable by this process`));
});

test('a SQLite file in a directory this process cannot write stops start-up with exit 1', async (t) => {
  const dir = tempDir(t);
  const sub = join(dir, 'locked');
  mkdirSync(sub);
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  chmodSync(sub, asRoot ? 0o755 : 0o555);
  const file = join(sub, 'store.sqlite');
  const ran = await serve(`sqlite:${file}`, asRoot ? { uid: 65534, gid: 65534, cwd: dir } : {});
  t.is(ran.code, 1);
  t.regex(ran.stderr, /its directory .*locked is not writable by this process/);
  t.false(existsSync(file));
});

test('a password in db_url, in the user info or as ?password=, shows neither in config nor in the logs and errors', async (t) => {
  const shown = await run(['config', '--db-url', 'mysql://rmf@db.example/rmf?ssl=true&password=s3cr3t']);
  t.is(shown.code, 0);
  t.true(shown.stdout.includes('"db_url": "mysql://rmf@db.example/rmf?ssl=true&password=***"'));
  t.false(shown.stdout.includes('s3cr3t'));
  // Nothing listens on port 1: start-up fails after logging its configuration.
  const failed = await serve('postgres://rmf:hunter2@127.0.0.1:1/rmf?password=s3cr3t');
  t.is(failed.code, 1);
  t.regex(failed.stdout, /"msg":"starting"/);
  for (const secret of ['hunter2', 's3cr3t']) {
    t.false(failed.stdout.includes(secret), `stdout shows ${secret}`);
    t.false(failed.stderr.includes(secret), `stderr shows ${secret}`);
  }
  t.regex(failed.stderr, /cannot start: .*postgres:\/\/rmf:\*\*\*@127\.0\.0\.1:1\/rmf\?password=\*\*\*/);
});

test('a ROS parameter carrying a password is masked where its origin is reported', async (t) => {
  const shown = await run([
    'config',
    '--ros-args',
    '-p',
    'db_url:=postgres://rmf:hunter2@db/rmf',
    '-p',
    'port:=eighty',
  ]);
  t.is(shown.code, 2);
  t.false(shown.stderr.includes('hunter2'));
});

test('the CLI ends quietly with exit 0 when its reader closes the pipe early (openapi | head -c 100)', async (t) => {
  const child = spawn(process.execPath, [bin, 'openapi'], {
    cwd: root,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<Buffer>((done) => child.stdout.once('data', done));
  child.stdout.destroy(); // the reader has had its 100 bytes and goes away
  const code = await new Promise<number | null>((done) => child.once('close', done));
  t.true(first.length >= 100);
  t.is(code, 0);
  t.is(stderr, '');
});

test('npm start runs the built service without compiling and answers /health', async (t) => {
  const dir = tempDir(t);
  const cli = resolve(root, 'dist/src/cli.js');
  const builtAt = statSync(cli).mtimeMs;
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: cleanEnv({
      RMF_TASK_SCHEDULER_DB_URL: `sqlite:${join(dir, 'store.sqlite')}`,
      RMF_TASK_SCHEDULER_PORT: '0',
      RMF_TASK_SCHEDULER_RMF_TRANSPORT: 'sim',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stopAll = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  t.teardown(() => stopAll('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', done));
  const messages: unknown[] = [];
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      messages.push(entry.msg);
      if (entry.msg === 'listening') done(entry.url as string);
    });
    void exited.then((code) => fail(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  const health = await fetch(`${url}/health`);
  t.is(health.status, 200);
  t.log(`npm start → /health answered after ${Date.now() - started} ms`);
  t.is(statSync(cli).mtimeMs, builtAt, 'npm start did not rebuild');
  stopAll('SIGTERM');
  await exited;
  t.true(messages.includes('stopped'), 'stopped cleanly on SIGTERM');
});
