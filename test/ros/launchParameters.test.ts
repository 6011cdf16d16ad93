/**
 * The node takes its settings from the command line exactly as `ros2 launch` hands them over: a
 * parameters file keyed by the node's fully qualified name (the golden copies in
 * test/fixtures/ros are byte for byte what launch_ros writes), a site's parameters file for many
 * nodes, `-p` overrides; all of it read before the store or anything else is opened.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import test from 'ava';
import { main } from '../../src/cli.js';
import type { CliIo } from '../../src/commands/io.js';
import { runService } from '../../src/main.js';
import { createFakeRos } from '../helpers/fakeRcl.js';
import type { FakeNode } from '../helpers/fakeRclNode.js';

const fixture = (name: string) => resolve(process.cwd(), 'test/fixtures/ros', name);

/** What launch_ros appends to the node's command line for task_scheduler.launch.py. */
const launchArgv = (namespace: string, ...paramsFiles: string[]) => [
  '--ros-args',
  '--disable-stdout-logs',
  '--ros-args',
  '-r',
  '__node:=task_scheduler',
  '-r',
  `__ns:=${namespace}`,
  ...paramsFiles.flatMap((file) => ['--params-file', file]),
];

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
  };
  return io;
}

async function effectiveConfig(argv: string[]) {
  const io = capture();
  const code = await main(['config', ...argv], io);
  return { code, err: io.err, config: code === 0 ? (JSON.parse(io.out) as Record<string, unknown>) : null };
}

test('the parameters file ros2 launch writes (keyed /task_scheduler) takes effect', async (t) => {
  const { code, config, err } = await effectiveConfig(
    launchArgv('/', fixture('launch_params__task_scheduler.yaml')),
  );
  t.is(code, 0, err);
  t.like(config, { port: 18617, db_url: 'sqlite:/x.sqlite' });
});

test('with namespace:=site_a the file is keyed /site_a/task_scheduler, and every launch argument in it takes effect', async (t) => {
  const file = fixture('launch_params__site_a__task_scheduler.yaml');
  const { code, config, err } = await effectiveConfig(launchArgv('/site_a', file));
  t.is(code, 0, err);
  t.like(config, {
    port: 18618,
    db_url: 'sqlite:/y.sqlite',
    timezone: 'Europe/Berlin',
    rmf: { transport: 'ros', follow_task_states: true, dispatch_timeout_ms: 7000 },
  });
  // The same file for a node in the root namespace names another node: nothing applies.
  const other = await effectiveConfig(launchArgv('/', file));
  t.like(other.config, { port: 8010 });
});

test("a site's parameters file for many nodes: this node's entry applies, other nodes' entries and /** use_sim_time do not get in the way", async (t) => {
  const { code, config, err } = await effectiveConfig(
    launchArgv('/', fixture('site_params.yaml'), fixture('launch_params__task_scheduler.yaml')),
  );
  t.is(code, 0, err);
  t.like(config, {
    port: 18617,
    timezone: 'Asia/Singapore',
    rmf: { dispatch_timeout_ms: 8000, requester: 'site_a_scheduler' },
  });
  t.is(err, '', 'use_sim_time is ROS’s own parameter, the dispatcher’s entry is not ours');
});

test('an unknown key under an entry naming this node stops start-up, naming the key, the file and the entry', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-params-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'params.yaml');
  writeFileSync(file, '/task_scheduler:\n  ros__parameters:\n    prot: 8011\n');
  const { code, err } = await effectiveConfig(launchArgv('/', file));
  t.is(code, 2);
  t.is(
    err,
    `configuration error: unknown configuration key "prot" (from ROS parameter prot: params file ${file}, entry /task_scheduler)\n`,
  );
});

test('an unknown key under a wildcard entry (/**, /**/name) is ignored with a warning', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-params-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'params.yaml');
  writeFileSync(
    file,
    '/**:\n  ros__parameters:\n    map_name: L1\n/**/task_scheduler:\n  ros__parameters:\n    port: 8044\n    verbose: true\n',
  );
  const { code, config, err } = await effectiveConfig(launchArgv('/', file));
  t.is(code, 0, err);
  t.like(config, { port: 8044 });
  t.regex(
    err,
    /ROS parameter map_name ignored \(not a setting of \/task_scheduler\): params file .*, entry \/\*\*/,
  );
  t.regex(err, /ROS parameter verbose ignored .* entry \/\*\*\/task_scheduler/);
});

test('an invalid value names the parameter and where it came from', async (t) => {
  const { code, err } = await effectiveConfig(['--ros-args', '-p', 'task_scheduler:port:=eighty']);
  t.is(code, 2);
  t.regex(
    err,
    /invalid value for "port" \(from ROS parameter port: -p task_scheduler:port:=eighty, entry task_scheduler\)/,
  );
});

test('later files and -p win, as in rcl', async (t) => {
  const root = fixture('launch_params__task_scheduler.yaml');
  t.like((await effectiveConfig([...launchArgv('/', root), '-p', 'port:=18700'])).config, { port: 18700 });
  t.like(
    (await effectiveConfig(['--ros-args', '-p', 'port:=18700', ...launchArgv('/', root).slice(1)])).config,
    {
      port: 18617,
    },
  );
});

function lines(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const out: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim() !== '') out.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines: out };
}

test('db_url, host, port and the transport given as ROS parameters take effect: the store opens where the parameter says', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-db-url-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'from-ros-parameter.sqlite');
  const file = join(dir, 'launch_params_abc123');
  // launch_ros's shape, with values pointing into this test's directory
  writeFileSync(
    file,
    readFileSync(fixture('launch_params__task_scheduler.yaml'), 'utf8')
      .replace('sqlite:/x.sqlite', `sqlite:${dbPath}`)
      .replace('port: 18617', 'port: 0\n    host: 127.0.0.1\n    rmf.transport: ros\n    log_level: warn'),
  );
  const ros = createFakeRos();
  const { stream } = lines();
  const service = await runService({
    argv: launchArgv('/', file),
    env: {},
    cwd: dir,
    logDestination: stream,
    loadRcl: async () => ({ ok: true, rcl: ros.rclnodejs() }),
  });
  t.teardown(() => service.stop());
  t.true(existsSync(dbPath), 'the database is the one the parameter names');
  t.false(
    existsSync(join(dir, 'rmf-task-scheduler.sqlite')),
    'not the default file in the working directory',
  );
  t.regex(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = (await (await fetch(`${service.url}/health`)).json()) as { rmf: { transport: string } };
  t.is(health.rmf.transport, 'ros');
  // ros2 param get /task_scheduler db_url shows the value in use
  t.deepEqual(ros.nodeNames(), ['/task_scheduler']);
  await service.stop();
});

test('ros2 param get shows the value in use; use_sim_time from the node’s own entry is set on the node', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-param-get-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'params.yaml');
  writeFileSync(
    file,
    `/task_scheduler:\n  ros__parameters:\n    use_sim_time: true\n    port: 0\n    db_url: sqlite:${join(dir, 'db.sqlite')}\n    rmf.transport: ros\n    log_level: warn\n`,
  );
  const ros = createFakeRos();
  const rcl = ros.rclnodejs();
  let node: FakeNode | null = null;
  const service = await runService({
    argv: launchArgv('/', file),
    env: {},
    cwd: dir,
    logDestination: lines().stream,
    loadRcl: async () => ({
      ok: true,
      rcl: {
        ...rcl,
        createNode: (name: string, ns?: string) => (node = rcl.createNode(name, ns) as unknown as FakeNode),
      },
    }),
  });
  t.teardown(() => service.stop());
  const created = node as unknown as FakeNode;
  t.is(created.getParameter('port').value, 0n);
  t.is(created.getParameter('db_url').value, `sqlite:${join(dir, 'db.sqlite')}`);
  t.is(created.getParameter('use_sim_time').value, true);
  await service.stop();
});
