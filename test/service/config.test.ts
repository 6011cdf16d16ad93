import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  applyOverrides,
  ConfigError,
  CONFIG_ENV,
  defaultConfig,
  describeConfig,
  loadConfig,
  splitRosArgs,
} from '../../src/loadConfig.js';

const cwd = mkdtempSync(join(tmpdir(), 'rmf-config-'));
const load = (argv: string[] = [], env: Record<string, string> = {}) => loadConfig({ argv, env, cwd });

function configFile(name: string, text: string): string {
  const path = join(cwd, name);
  writeFileSync(path, text);
  return path;
}

test('defaults: 127.0.0.1:8010, SQLite next to the working directory, info logs, 1 MiB bodies', async (t) => {
  const config = await load();
  t.is(config.host, '127.0.0.1');
  t.is(config.port, 8010);
  t.is(config.db_url, `sqlite:${join(cwd, 'rmf-task-scheduler.sqlite')}`);
  t.is(config.log_level, 'info');
  t.is(config.body_limit, 1024 * 1024);
  t.is(config.misfire_policy, 'fire_once');
  t.is(config.misfire_grace_ms, 300_000);
  t.is(config.sync_interval_ms, 5000);
  t.is(config.timezone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  t.regex(
    config.replica_id,
    new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{6}$`),
    'hostname, pid and a token',
  );
  t.is(config.heartbeat_interval_ms, 1000);
  t.is(config.replica_overdue_ms, 3000);
  t.deepEqual(config.rmf, {
    transport: 'auto',
    requests_topic: 'task_api_requests',
    responses_topic: 'task_api_responses',
    task_state_topic: 'task_state_update',
    follow_task_states: false,
    qos_depth: 10,
    dispatch_timeout_ms: 10_000,
    requester: 'rmf_task_scheduler',
    follow_dispatch_states: true,
    dispatch_states_topic: 'dispatch_states',
    cancel_withdrawn: true,
    cancel_service: 'cancel_task',
    cancel_timeout_ms: 5000,
    sim_categories: ['patrol', 'delivery', 'clean', 'compose'],
    sim_robots: ['tinyRobot/tinyRobot1', 'tinyRobot/tinyRobot2'],
    sim_silent_labels: [],
    sim_slow_labels: [],
    sim_slow_ms: 5000,
  });
  t.deepEqual(config.ros, { node_name: 'task_scheduler', namespace: '' });
  t.true(Object.isFrozen(config) && Object.isFrozen(config.rmf));
});

test('precedence: defaults < config file < environment < command line', async (t) => {
  const file = configFile(
    'precedence.json',
    JSON.stringify({
      config: {
        port: 9001,
        host: '0.0.0.0',
        timezone: 'Asia/Tokyo',
        rmf: { qos_depth: 5, requester: 'file' },
      },
    }),
  );
  const env = {
    [CONFIG_ENV]: file,
    RMF_TASK_SCHEDULER_PORT: '9002',
    RMF_TASK_SCHEDULER_RMF_REQUESTER: 'env',
    RMF_TASK_SCHEDULER_CORS_ORIGINS: 'http://a.example, http://b.example',
  };
  const config = await load(['--port', '9003', '--rmf.transport=sim'], env);
  t.is(config.port, 9003);
  t.is(config.host, '0.0.0.0');
  t.is(config.timezone, 'Asia/Tokyo');
  t.is(config.rmf.qos_depth, 5);
  t.is(config.rmf.requester, 'env');
  t.is(config.rmf.transport, 'sim');
  t.deepEqual(config.cors_origins, ['http://a.example', 'http://b.example']);
});

test('a JavaScript config module exporting `config` is read, relative to the working directory', async (t) => {
  configFile(
    'scheduler.config.mjs',
    "export const config = { log_level: 'debug', ros: { node_name: 'night_shift' } };\n",
  );
  const config = await load([], { [CONFIG_ENV]: 'scheduler.config.mjs' });
  t.is(config.log_level, 'debug');
  t.is(config.ros.node_name, 'night_shift');
});

test('flags accept kebab or snake case, --key=value, and a bare boolean flag', async (t) => {
  const config = await load([
    '--db-url',
    'sqlite::memory:',
    '--rmf.dispatch_timeout_ms=2500',
    '--rmf.follow-task-states',
  ]);
  t.is(config.db_url, 'sqlite::memory:');
  t.is(config.rmf.dispatch_timeout_ms, 2500);
  t.true(config.rmf.follow_task_states);
});

const rejects = test.macro(
  async (t, argv: string[], env: Record<string, string>, key: string, source: RegExp) => {
    const err = await t.throwsAsync(load(argv, env), { instanceOf: ConfigError });
    t.true(err.message.includes(key), err.message);
    t.regex(err.message, source);
  },
);

test('an unknown flag is named', rejects, ['--prot', '8010'], {}, '--prot', /option/);
test(
  'an unknown environment variable is named',
  rejects,
  [],
  { RMF_TASK_SCHEDULER_PROT: '1' },
  'RMF_TASK_SCHEDULER_PROT',
  /environment/,
);
test(
  'an invalid port from the environment names key and source',
  rejects,
  [],
  { RMF_TASK_SCHEDULER_PORT: 'eighty' },
  'port',
  /from environment/,
);
test(
  'an out-of-range port on the command line names key and source',
  rejects,
  ['--port', '70000'],
  {},
  'port',
  /from command line/,
);
test('an invalid zone is refused', rejects, ['--timezone', 'Mars/Olympus'], {}, 'timezone', /IANA/);
test(
  'an invalid transport is refused',
  rejects,
  ['--rmf.transport', 'carrier-pigeon'],
  {},
  'rmf.transport',
  /command line/,
);
test(
  'iss without a public key is refused',
  rejects,
  ['--iss', 'https://id.example'],
  {},
  'jwt_public_key',
  /command line/,
);

test('an unknown key in the config file names the key and the file', async (t) => {
  const file = configFile('bad.json', JSON.stringify({ port: 8010, rmf: { transprot: 'sim' } }));
  const err = await t.throwsAsync(load([], { [CONFIG_ENV]: file }), { instanceOf: ConfigError });
  t.regex(err.message, /"rmf\.transprot"/);
  t.regex(err.message, /bad\.json/);
});

test('a missing config file is named', async (t) => {
  const err = await t.throwsAsync(load([], { [CONFIG_ENV]: 'nowhere.json' }), { instanceOf: ConfigError });
  t.regex(err.message, /nowhere\.json/);
});

test('ROS arguments are not flags (up to an optional --); their parameters are read last and win', async (t) => {
  const argv = [
    '--ros-args',
    '-r',
    '__node:=sched',
    '-p',
    'port:=1',
    '--',
    '--port',
    '8111',
    '--ros-args',
    '--log-level',
    'debug',
  ];
  const config = await load(argv);
  t.is(config.port, 1, 'a ROS parameter wins over a flag');
  t.is((await load(argv.filter((a) => a !== 'port:=1' && a !== '-p'))).port, 8111);
  t.deepEqual(splitRosArgs(argv).ours, ['--port', '8111']);
  t.deepEqual(splitRosArgs(argv).ros, [
    '--ros-args',
    '-r',
    '__node:=sched',
    '-p',
    'port:=1',
    '--',
    '--ros-args',
    '--log-level',
    'debug',
  ]);
});

test('applyOverrides: ROS parameters (typed or strings) win and are validated naming the source', (t) => {
  const base = defaultConfig(cwd);
  const next = applyOverrides(
    base,
    { port: 8020, 'rmf.transport': 'sim', 'rmf.qos_depth': '20' },
    'ROS parameter',
  );
  t.is(next.port, 8020);
  t.is(next.rmf.transport, 'sim');
  t.is(next.rmf.qos_depth, 20);
  t.is(base.port, 8010);
  const err = t.throws(() => applyOverrides(base, { 'rmf.qos_depth': -1 }, 'ROS parameter'), {
    instanceOf: ConfigError,
  });
  t.regex(err.message, /rmf\.qos_depth.*ROS parameter/);
});

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
  type: 'spki',
  format: 'pem',
}) as string;
const pemBody = pem.split('\n')[1] as string;

test('describeConfig masks the JWT key and the database password', (t) => {
  const config = applyOverrides(
    defaultConfig(cwd),
    {
      db_url: 'postgres://scheduler:s3cr3t@db.example:5432/rmf',
      jwt_public_key: pem,
      iss: 'https://id.example',
    },
    'test',
  );
  const shown = JSON.stringify(describeConfig(config));
  t.false(shown.includes('s3cr3t'));
  t.false(shown.includes(pemBody));
  t.true(shown.includes('postgres://scheduler:***@db.example:5432/rmf'));
  t.true(shown.includes('https://id.example'));
});

test('a PEM from the environment may write its line breaks as \\n; a bad key is named', async (t) => {
  const env = {
    RMF_TASK_SCHEDULER_JWT_PUBLIC_KEY: pem.trim().replaceAll('\n', '\\n'),
    RMF_TASK_SCHEDULER_ISS: 'https://id.example',
  };
  const config = await load([], env);
  t.is(config.jwt_public_key, pem.trim());
  const err = await t.throwsAsync(
    load(['--jwt-public-key', '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----']),
    {
      instanceOf: ConfigError,
    },
  );
  t.regex(err.message, /jwt_public_key.*command line.*not a PEM public key/);
});
