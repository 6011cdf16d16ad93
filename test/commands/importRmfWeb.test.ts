/**
 * `task_scheduler import-rmf-web` against rmf-web databases built here with rmf-web's exact table
 * layout (tortoise's generated schema: shared/rmf/RMF_WEB_SCHEDULED_TASKS.md, "Database"), on
 * SQLite, PostgreSQL and MariaDB, with each date-time spelling stored there, and the layout before
 * rmf-web 0.1.0: the ids kept, the tasks answered by /scheduled_tasks as rmf-web stored them, a
 * dry run writing nothing, a second run importing nothing and saying so, the rows that cannot be
 * converted reported with why, and --disable-source deleting only the imported rows there.
 */
import test from 'ava';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { main } from '../../src/cli.js';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { createWallClock } from '../../src/runtime/wallClock.js';
import { openStore } from '../../src/store/openStore.js';
import { adminQuery, createTestDatabase, type TestDatabase, type TestDialect } from '../helpers/testDb.js';

type SourceDialect = Extract<TestDialect, 'sqlite-file' | 'postgres' | 'mariadb'>;

/** rmf-web's tables as tortoise generates them, per dialect. */
const DDL: Record<SourceDialect, string[]> = {
  'sqlite-file': [
    `CREATE TABLE IF NOT EXISTS "scheduledtask" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "task_request" JSON NOT NULL, "created_by" VARCHAR(255) NOT NULL, "last_ran" TIMESTAMP, "start_from" TIMESTAMP, "until" TIMESTAMP, "except_dates" JSON)`,
    `CREATE TABLE IF NOT EXISTS "scheduledtaskschedule" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "every" SMALLINT, "period" VARCHAR(9) NOT NULL /* monday: monday\ntuesday: tuesday\nwednesday: wednesday\nthursday: thursday\nfriday: friday\nsaturday: saturday\nsunday: sunday\nday: day\nhour: hour\nminute: minute */, "at" VARCHAR(255) NOT NULL, "scheduled_task_id" INT NOT NULL REFERENCES "scheduledtask" ("id") ON DELETE CASCADE)`,
  ],
  postgres: [
    `CREATE TABLE IF NOT EXISTS "scheduledtask" ("id" SERIAL NOT NULL PRIMARY KEY, "task_request" JSONB NOT NULL, "created_by" VARCHAR(255) NOT NULL, "last_ran" TIMESTAMPTZ, "start_from" TIMESTAMPTZ, "until" TIMESTAMPTZ, "except_dates" JSONB)`,
    `CREATE TABLE IF NOT EXISTS "scheduledtaskschedule" ("id" SERIAL NOT NULL PRIMARY KEY, "every" SMALLINT, "period" VARCHAR(9) NOT NULL, "at" VARCHAR(255) NOT NULL, "scheduled_task_id" INT NOT NULL REFERENCES "scheduledtask" ("id") ON DELETE CASCADE)`,
    `COMMENT ON COLUMN "scheduledtaskschedule"."period" IS 'monday: monday\ntuesday: tuesday\nwednesday: wednesday\nthursday: thursday\nfriday: friday\nsaturday: saturday\nsunday: sunday\nday: day\nhour: hour\nminute: minute'`,
  ],
  mariadb: [
    'CREATE TABLE IF NOT EXISTS `scheduledtask` (`id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT, `task_request` JSON NOT NULL, `created_by` VARCHAR(255) NOT NULL, `last_ran` DATETIME(6), `start_from` DATETIME(6), `until` DATETIME(6), `except_dates` JSON) CHARACTER SET utf8mb4',
    "CREATE TABLE IF NOT EXISTS `scheduledtaskschedule` (`id` INT NOT NULL PRIMARY KEY AUTO_INCREMENT, `every` SMALLINT, `period` VARCHAR(9) NOT NULL COMMENT 'monday: monday', `at` VARCHAR(255) NOT NULL, `scheduled_task_id` INT NOT NULL, CONSTRAINT `fk_schedule_scheduledtask` FOREIGN KEY (`scheduled_task_id`) REFERENCES `scheduledtask` (`id`) ON DELETE CASCADE) CHARACTER SET utf8mb4",
  ],
};

const patrol = JSON.stringify({
  category: 'patrol',
  description: { places: ['lobby'], rounds: 1 },
  unix_millis_earliest_start_time: 0,
  unix_millis_request_time: 1_700_000_000_000,
  priority: { type: 'binary', value: 0 },
  requester: 'admin',
  labels: ['task_definition_id=patrol', '{"description": {"places": ["lobby"], "rounds": 1}}'],
});
const clean = JSON.stringify({ category: 'clean', description: 'zone_a', priority: null, labels: null });

/** A string literal; MySQL/MariaDB also read backslashes as escapes. */
const literal =
  (dialect: SourceDialect) =>
  (s: string | null): string =>
    s === null
      ? 'NULL'
      : `'${(dialect === 'mariadb' ? s.replaceAll('\\', '\\\\') : s).replaceAll("'", "''")}'`;
const q = literal('sqlite-file');

/** Date-times as each database holds them (SQLite: tortoise's text spellings; others: literals). */
interface Spellings {
  utc: string;
  micro: string;
  offset: string;
  naive: string;
  lastRan: string;
  past: string;
}
const SQLITE_SPELLINGS: Spellings = {
  utc: '2124-03-01 00:00:00+00:00',
  micro: '2124-06-01 00:00:00.250000+00:00',
  offset: '2124-03-01 08:00:00+08:00',
  naive: '2124-03-01 00:00:00',
  lastRan: '2026-12-01 09:00:00.123456+08:00',
  past: '2020-01-01 00:00:00+00:00',
};
const SERVER_SPELLINGS: Spellings = {
  ...SQLITE_SPELLINGS,
  // MariaDB's DATETIME(6) holds naive UTC, as tortoise writes it.
  micro: '2124-06-01 00:00:00.250000',
  offset: '2124-03-01 00:00:00',
  lastRan: '2026-12-01 01:00:00.123456',
  utc: '2124-03-01 00:00:00',
  past: '2020-01-01 00:00:00',
};

async function buildSource(dialect: SourceDialect): Promise<{ db: TestDatabase; url: string }> {
  const db = await createTestDatabase(dialect);
  for (const statement of DDL[dialect]) await adminQuery(db, statement);
  const s = dialect === 'mariadb' ? SERVER_SPELLINGS : SQLITE_SPELLINGS;
  const q = literal(dialect);
  const tasks: Array<[number, string, string, string | null, string | null, string | null, string | null]> = [
    // id, task_request, created_by, last_ran, start_from, until, except_dates
    [1, patrol, 'admin', s.lastRan, null, null, '["2124-03-09"]'],
    [2, clean, 'bob', null, s.utc, s.micro, null],
    [5, patrol, 'admin', null, s.offset, null, '[]'],
    [7, patrol, 'admin', null, s.naive, null, null],
    [8, patrol, 'admin', s.past, null, s.past, null],
    [9, patrol, 'admin', null, null, null, null],
    [10, patrol, 'admin', null, null, null, null],
  ];
  for (const [id, request, by, lastRan, start, until, except] of tasks)
    await adminQuery(
      db,
      `INSERT INTO scheduledtask (id, task_request, created_by, last_ran, start_from, until, except_dates) VALUES (${id}, ${q(request)}, ${q(by)}, ${q(lastRan)}, ${q(start)}, ${q(until)}, ${q(except)})`,
    );
  const schedules: Array<[number, number | null, string, string]> = [
    [1, null, 'monday', '09:00'],
    [1, null, 'thursday', '14:30'],
    [2, 2, 'day', '07:30:15'],
    [5, 3, 'hour', '15:30'],
    [7, 10, 'minute', ':17'],
    [8, null, 'day', '09:00'],
    // 9 has no schedule
    [10, null, 'day', '25:00'],
  ];
  for (const [task, every, period, at] of schedules)
    await adminQuery(
      db,
      `INSERT INTO scheduledtaskschedule (every, period, ${dialect === 'mariadb' ? '`at`' : '"at"'}, scheduled_task_id) VALUES (${every ?? 'NULL'}, '${period}', '${at}', ${task})`,
    );
  const url =
    dialect === 'sqlite-file'
      ? `sqlite://${db.name}`
      : dialect === 'postgres'
        ? db.dbUrl
        : db.dbUrl.replace(/^mysql:/, 'mariadb:');
  return { db, url };
}

function capture() {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
  };
  return io;
}

async function runImport(from: string, target: string, ...more: string[]) {
  const io = capture();
  const code = await main(
    ['import-rmf-web', '--from', from, '--db-url', target, '--timezone', 'Asia/Singapore', ...more],
    io,
  );
  return { code, ...io };
}

/** The scheduler on the imported database, for HTTP. */
async function serve(dbUrl: string) {
  const clock = createWallClock();
  const logger = createMemoryLogger();
  const store = await openStore({ dbUrl, logger, clock });
  const dispatcher = createSimulatedDispatcher({ clock });
  const config = applyOverrides(
    defaultConfig(process.cwd()),
    { db_url: dbUrl, timezone: 'Asia/Singapore', 'rmf.transport': 'sim' },
    'test',
  );
  const registry = new Registry();
  const { scheduler } = await startRuntime({ clock, store, dispatcher, logger, config, version: 'test' });
  const app = createApp({ scheduler, config, logger, registry, now: () => clock.now(), version: 'test' });
  return {
    http: supertest(app.callback()),
    close: async () => {
      await scheduler.stop();
      await dispatcher.close();
      clock.stop();
      await store.close();
    },
  };
}

const WIDE = '/scheduled_tasks?start_before=2200-01-01T00:00:00Z&until_after=2000-01-01T00:00:00Z';

for (const [dialect, targetDialect] of [
  ['sqlite-file', 'sqlite-file'],
  ['postgres', 'postgres'],
  ['mariadb', 'sqlite-file'],
] as const) {
  test(`${dialect}: rmf-web's tasks are imported with their ids, once; unconvertible rows say why; --disable-source deletes only the imported`, async (t) => {
    const { db: source, url } = await buildSource(dialect);
    const target = await createTestDatabase(targetDialect);
    t.teardown(async () => {
      await source.drop();
      await target.drop();
    });

    const dry = await runImport(url, target.dbUrl, '--dry-run');
    t.is(dry.code, 1, dry.err);
    t.regex(dry.out, /would import 1 as "scheduled task 1 — patrol"/);
    t.regex(dry.out, /would import 4 task\(s\) \(dry run: nothing written\)/);

    const first = await runImport(url, target.dbUrl);
    t.is(first.code, 1, first.err);
    for (const line of [
      /imported 1 as "scheduled task 1 — patrol"/,
      /imported 2 as "scheduled task 2 — clean"/,
      /imported 5 as "scheduled task 5 — patrol"/,
      /imported 7 as "scheduled task 7 — patrol"/,
      /NOT imported 8: its until \(2020-01-01T00:00:00.000Z\) has passed: it never runs again/,
      /NOT imported 9: it has no schedules/,
      /NOT imported 10: schedule \d+: Invalid number of hours \(25 is not between 0 and 23\)/,
      /imported 4 task\(s\)/,
      /WARNING: rmf-web's API server still has these 4 tasks in its tables and runs them itself/,
      /--disable-source/,
    ])
      t.regex(first.out, line);

    const app = await serve(target.dbUrl);
    try {
      const list = (await app.http.get(WIDE).expect(200)).body as Array<Record<string, unknown>>;
      t.deepEqual(
        list.map((x) => x.id),
        [1, 2, 5, 7],
      );
      t.deepEqual(list[0], {
        id: 1,
        task_request: {
          category: 'patrol',
          description: { places: ['lobby'], rounds: 1 },
          unix_millis_earliest_start_time: 0,
          unix_millis_request_time: 1_700_000_000_000,
          priority: { type: 'binary', value: 0 },
          labels: ['task_definition_id=patrol', '{"description": {"places": ["lobby"], "rounds": 1}}'],
          requester: 'admin',
          fleet_name: null,
        },
        created_by: 'admin',
        schedules: [
          { every: null, period: 'monday', at: '09:00' },
          { every: null, period: 'thursday', at: '14:30' },
        ],
        last_ran: '2026-12-01T01:00:00.123000Z',
        start_from: null,
        until: null,
        except_dates: ['2124-03-09'],
      });
      t.like(list[1], {
        schedules: [{ every: 2, period: 'day', at: '07:30:15' }],
        start_from: '2124-03-01T00:00:00Z',
        until: '2124-06-01T00:00:00Z',
        created_by: 'bob',
      });
      t.like(list[2], {
        start_from: '2124-03-01T00:00:00Z',
        schedules: [{ every: 3, period: 'hour', at: '15:30' }],
      });
      t.like(list[3], {
        start_from: '2124-03-01T00:00:00Z',
        schedules: [{ every: 10, period: 'minute', at: ':17' }],
      });
      const rules = (await app.http.get('/rules?label=rmf_web_scheduled_task').expect(200)).body.items;
      t.is(rules.length, 4);
      // A task made through the routes after the import gets the next id after the imported ones.
      const next = await app.http
        .post('/scheduled_tasks')
        .send({
          task_request: { category: 'patrol', description: 'x' },
          schedules: [{ period: 'day', at: '09:00' }],
        })
        .expect(201);
      t.is(next.body.id, 8);
    } finally {
      await app.close();
    }

    const second = await runImport(url, target.dbUrl);
    t.is(second.code, 1);
    t.regex(second.out, /already imported: 1, 2, 5, 7/);
    t.regex(second.out, /nothing to import/);
    t.notRegex(second.out, /^ {2}imported/m);

    const disable = await runImport(url, target.dbUrl, '--disable-source');
    t.regex(disable.out, /deleted 4 imported task\(s\) and their schedules from rmf-web's database/);
    t.regex(disable.out, /Restart rmf-web's API server/);
    const sourceDb = dialect === 'sqlite-file' ? source : source;
    const left = (await adminQuery(sourceDb, 'SELECT id FROM scheduledtask ORDER BY id')) as Array<{
      id: number;
    }>;
    t.deepEqual(
      left.map((r) => Number(r.id)),
      [8, 9, 10],
    );
    const schedules = (await adminQuery(
      sourceDb,
      'SELECT scheduled_task_id AS id FROM scheduledtaskschedule ORDER BY id',
    )) as Array<{ id: number }>;
    t.deepEqual(
      schedules.map((r) => Number(r.id)),
      [8, 10],
    );
  });
}

test('the layout before rmf-web 0.1.0: start_from/until on each schedule, at nullable, except dates as the client wrote them', async (t) => {
  const source = await createTestDatabase('sqlite-file');
  const target = await createTestDatabase('sqlite-file');
  t.teardown(async () => {
    await source.drop();
    await target.drop();
  });
  for (const statement of [
    `CREATE TABLE IF NOT EXISTS "scheduledtask" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "task_request" JSON NOT NULL, "created_by" VARCHAR(255) NOT NULL, "last_ran" TIMESTAMP, "except_dates" JSON)`,
    `CREATE TABLE IF NOT EXISTS "scheduledtaskschedule" ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "every" SMALLINT, "start_from" TIMESTAMP, "until" TIMESTAMP, "period" VARCHAR(9) NOT NULL, "at" VARCHAR(255), "scheduled_task_id" INT NOT NULL REFERENCES "scheduledtask" ("id") ON DELETE CASCADE)`,
    `INSERT INTO scheduledtask VALUES (3, ${q(patrol)}, 'admin', NULL, '["2124-03-09", "2124-03-09", "2124-03-12"]')`,
    `INSERT INTO scheduledtask VALUES (4, ${q(patrol)}, 'admin', NULL, NULL)`,
    `INSERT INTO scheduledtask VALUES (6, ${q(patrol)}, 'admin', NULL, NULL)`,
    `INSERT INTO scheduledtaskschedule VALUES (1, NULL, '2124-03-01 00:00:00+00:00', '2125-01-01 00:00:00+00:00', 'monday', '09:00', 3)`,
    `INSERT INTO scheduledtaskschedule VALUES (2, NULL, '2124-03-01 08:00:00+08:00', '2125-01-01 00:00:00', 'friday', '18:00', 3)`,
    `INSERT INTO scheduledtaskschedule VALUES (3, NULL, '2124-03-01 00:00:00+00:00', NULL, 'monday', '09:00', 4)`,
    `INSERT INTO scheduledtaskschedule VALUES (4, NULL, '2124-04-01 00:00:00+00:00', NULL, 'friday', '09:00', 4)`,
    `INSERT INTO scheduledtaskschedule VALUES (5, NULL, NULL, NULL, 'day', NULL, 6)`,
  ])
    await adminQuery(source, statement);
  const run = await runImport(`sqlite://${source.name}`, target.dbUrl);
  t.regex(run.out, /the layout before rmf-web 0.1.0/);
  t.regex(run.out, /imported 3 as "scheduled task 3 — patrol"/);
  t.regex(run.out, /NOT imported 4: its schedules have different start_from or until/);
  t.regex(run.out, /NOT imported 6: schedule 5 has no at/);
  const app = await serve(target.dbUrl);
  t.teardown(app.close);
  const task = (await app.http.get('/scheduled_tasks/3').expect(200)).body;
  t.like(task, {
    start_from: '2124-03-01T00:00:00Z',
    until: '2125-01-01T00:00:00Z',
    except_dates: ['2124-03-09', '2124-03-12'],
    schedules: [
      { every: null, period: 'monday', at: '09:00' },
      { every: null, period: 'friday', at: '18:00' },
    ],
  });
});

test('import-rmf-web without --from is a usage error; a missing SQLite file is refused, not created', async (t) => {
  const io = capture();
  t.is(await main(['import-rmf-web', '--db-url', 'sqlite::memory:'], io), 2);
  t.regex(io.err, /--from <rmf-web db_url> is required/);
  const missing = await runImport('sqlite:///nowhere/rmf-web/db.sqlite3', 'sqlite::memory:');
  t.is(missing.code, 1);
  t.regex(missing.err, /no such file \/nowhere\/rmf-web\/db\.sqlite3/);
});

test('an id a task made here through /scheduled_tasks already has is reported, and that task is left alone', async (t) => {
  const source = await createTestDatabase('sqlite-file');
  const target = await createTestDatabase('sqlite-file');
  t.teardown(async () => {
    await source.drop();
    await target.drop();
  });
  for (const statement of [
    ...DDL['sqlite-file'],
    `INSERT INTO scheduledtask VALUES (1, ${q(clean)}, 'admin', NULL, NULL, NULL, NULL)`,
    `INSERT INTO scheduledtaskschedule VALUES (1, NULL, 'day', '09:00', 1)`,
  ])
    await adminQuery(source, statement);
  const app = await serve(target.dbUrl);
  t.teardown(app.close);
  await app.http
    .post('/scheduled_tasks')
    .send({
      task_request: { category: 'patrol', description: 'here' },
      schedules: [{ period: 'monday', at: '10:00' }],
    })
    .expect(201);
  const run = await runImport(`sqlite://${source.name}`, target.dbUrl, '--disable-source');
  t.is(run.code, 1);
  t.regex(
    run.out,
    /NOT imported 1: id 1 is another scheduled task here \(rule "scheduled task 1 — patrol"\)/,
  );
  t.regex(run.out, /nothing deleted from rmf-web's database/);
  t.like((await app.http.get('/scheduled_tasks/1').expect(200)).body, {
    schedules: [{ period: 'monday', at: '10:00' }],
  });
  t.deepEqual(await adminQuery(source, 'SELECT id FROM scheduledtask'), [{ id: 1 }]);
});
