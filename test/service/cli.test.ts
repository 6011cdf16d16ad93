import test from 'ava';
import { main, parseCommand } from '../../src/cli.js';
import type { CliIo } from '../../src/commands/io.js';

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
  };
  return io;
}

test('no command, or only flags, or only ROS arguments, means serve', (t) => {
  t.deepEqual(parseCommand([]), { command: 'serve', rest: [] });
  t.deepEqual(parseCommand(['--port', '8011']), { command: 'serve', rest: ['--port', '8011'] });
  const ros = ['--ros-args', '-r', '__node:=scheduler', '-p', 'port:=8012'];
  t.deepEqual(parseCommand(ros), { command: 'serve', rest: ros });
});

test('the command is the first argument outside ROS arguments; ROS arguments stay in place', (t) => {
  t.deepEqual(parseCommand(['migrate', '--db-url', 'sqlite::memory:']), {
    command: 'migrate',
    rest: ['--db-url', 'sqlite::memory:'],
  });
  t.deepEqual(parseCommand(['config', '--ros-args', '-r', '__ns:=/hospital', '--', '--port', '1']), {
    command: 'config',
    rest: ['--ros-args', '-r', '__ns:=/hospital', '--', '--port', '1'],
  });
  t.is(parseCommand(['--help']).command, 'help');
  t.is(parseCommand(['frobnicate']).command, null);
});

test('config prints the effective configuration with secrets masked, tolerating ROS arguments', async (t) => {
  const io = capture();
  const code = await main(
    [
      'config',
      '--db-url',
      'postgres://rmf:hunter2@db:5432/rmf',
      '--ros-args',
      '-p',
      'x:=1',
      '--',
      '--port',
      '8123',
    ],
    io,
  );
  t.is(code, 0);
  const shown = JSON.parse(io.out) as { port: number; db_url: string };
  t.is(shown.port, 8123);
  t.is(shown.db_url, 'postgres://rmf:***@db:5432/rmf');
  t.false(io.out.includes('hunter2'));
});

test('a configuration error exits 2 naming the key', async (t) => {
  const io = capture();
  t.is(await main(['config', '--port', 'eighty'], io), 2);
  t.regex(io.err, /configuration error: invalid value for "port" \(from command line\)/);
  t.is(await main(['serve', '--colour', 'red'], io), 2);
  t.regex(io.err, /unknown option --colour/);
});

test('openapi prints the OpenAPI document', async (t) => {
  const io = capture();
  t.is(await main(['openapi'], io), 0);
  const doc = JSON.parse(io.out) as { openapi: string; paths: Record<string, unknown> };
  t.is(doc.openapi, '3.1.0');
  t.truthy(doc.paths['/rules/{id}/trigger']);
});

test('--help lists the commands and every key with its flag and environment variable', async (t) => {
  const io = capture();
  t.is(await main(['--help'], io), 0);
  t.regex(io.out, /migrate/);
  t.regex(io.out, /--rmf\.dispatch-timeout-ms\s+RMF_TASK_SCHEDULER_RMF_DISPATCH_TIMEOUT_MS/);
});

test('an unknown command exits 2', async (t) => {
  const io = capture();
  t.is(await main(['frobnicate'], io), 2);
  t.regex(io.err, /unknown command "frobnicate"/);
});

test('migrate applies the migrations to the configured database', async (t) => {
  const io = capture();
  t.is(await main(['migrate', '--db-url', 'sqlite::memory:'], io), 0);
  t.regex(io.out, /migrated sqlite::memory:/);
});

test('serve with transport ros and no ROS 2 refuses to start, saying why', async (t) => {
  const io = capture();
  t.is(
    await main(
      [
        'serve',
        '--db-url',
        'sqlite::memory:',
        '--port',
        '0',
        '--rmf.transport',
        'ros',
        '--log-level',
        'silent',
      ],
      io,
    ),
    1,
  );
  t.regex(io.err, /cannot start: cannot start the ROS 2 transport \(rmf\.transport = ros\)/);
});

test('serve on a port already in use exits 1, saying so', async (t) => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
  t.teardown(() => blocker.close());
  const port = String((blocker.address() as { port: number }).port);
  const io = capture();
  const argv = [
    '--db-url',
    'sqlite::memory:',
    '--port',
    port,
    '--rmf.transport',
    'sim',
    '--log-level',
    'silent',
  ];
  t.is(await main(argv, io), 1);
  t.regex(io.err, new RegExp(`cannot start: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
});
