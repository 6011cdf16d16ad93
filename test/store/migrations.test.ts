/**
 * Upgrading a database that holds data: migrated only to 0001, filled, then opened by the
 * current build, which applies the rest; the data is intact and usable (labels backfilled).
 */
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { migrateStore, migrationNames } from '../../src/store/migrator.js';
import { openStore } from '../../src/store/openStore.js';
import type { NewRule } from '../../src/rules/Rule.js';
import type { TestDatabase, TestDialect } from '../helpers/testDb.js';
import { adminQuery, createTestDatabase } from '../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0 } from './fixtures.js';

const RULE_ID = '0a1b2c3d-0000-4000-8000-00000000abcd';

/** SQL literals for planting rows from outside the store. */
const quoter = (dialect: TestDialect) => (v: unknown) =>
  v === null
    ? 'NULL'
    : `'${String(v)
        .replace(/'/g, "''")
        .replace(/\\/g, dialect === 'sqlite-file' || dialect === 'postgres' ? '\\' : '\\\\')}'`;

/** A rule row as version 0001 of the schema holds it (created by alice, at version 4). */
async function insertRule(db: TestDatabase, id: string, rule: NewRule): Promise<void> {
  const q = quoter(db.dialect);
  await adminQuery(
    db,
    `INSERT INTO rules (id, name, description, enabled, disabled_reason, schedule, task, metadata, labels, lead_time_ms,
      misfire_policy, misfire_grace_ms, retry, created_by, created_at, updated_at, version) VALUES (
      ${q(id)}, ${q(rule.name)}, ${q(rule.description)}, TRUE, NULL, ${q(JSON.stringify(rule.schedule))},
      ${q(JSON.stringify(rule.task))}, ${q(JSON.stringify(rule.metadata))}, ${q(JSON.stringify(rule.labels))}, 60000,
      'fire_once', 300000, ${q(JSON.stringify(rule.retry))}, 'alice', 1000, 2000, 4)`,
  );
}

const upgrade = test.macro(async (t, dialect: TestDialect) => {
  const db = await createTestDatabase(dialect);
  try {
    t.deepEqual(await migrateStore(db.dbUrl, silentLogger, { to: '0001-create-rules' }), [
      '0001-create-rules',
    ]);
    const rule = newRule({
      name: `Ñandú Patrol ${RULE_ID.slice(0, 4)}`,
      labels: ['night', 'lobby', 'night'],
    });
    await insertRule(db, RULE_ID, rule);
    const q = quoter(dialect);
    await adminQuery(
      db,
      `INSERT INTO occurrence_overrides (rule_id, occurrence_at, action, moved_to, reason, updated_by, updated_at)
       VALUES (${q(RULE_ID)}, ${T0}, 'moved', ${T0 + 60_000}, 'later', 'bob', 3000)`,
    );

    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    try {
      t.deepEqual(await store.rules.get(RULE_ID), {
        ...rule,
        id: RULE_ID,
        createdAt: 1000,
        updatedAt: 2000,
        version: 4,
      });
      t.deepEqual(
        (await store.rules.list({ label: 'lobby', limit: 10, offset: 0 })).items.map((r) => r.id),
        [RULE_ID],
      );
      // Its name key was filled: found whatever the case, its name taken whatever the case.
      t.deepEqual(
        (await store.rules.list({ nameContains: 'ÑANDÚ PATROL', limit: 10, offset: 0 })).items.map(
          (r) => r.id,
        ),
        [RULE_ID],
      );
      await t.throwsAsync(store.rules.create(newRule({ name: rule.name.toLowerCase() })), {
        message: /already exists/,
      });
      // Its history starts with its creation, by whom and when the row says.
      const history = await store.rules.history(RULE_ID, 10, 0);
      t.like(history.items[0], { action: 'created', actor: 'alice', at: 1000 });
      t.deepEqual(await store.overrides.get(RULE_ID, T0), {
        ruleId: RULE_ID,
        occurrenceAt: T0,
        action: 'moved',
        movedTo: T0 + 60_000,
        reason: 'later',
        by: 'bob',
        updatedAt: 3000,
      });
      const [claim] = await store.firings.claimBatch([claimRequest(RULE_ID, T0 + 1)], claimUnlessDisabled);
      t.is(claim?.status, 'claimed');
      const updated = await store.rules.update(RULE_ID, 4, { labels: ['day'] });
      t.is(updated.version, 5);
      t.deepEqual((await store.rules.list({ label: 'lobby', limit: 10, offset: 0 })).total, 0);
    } finally {
      await store.close();
    }
    t.deepEqual(await migrateStore(db.dbUrl, silentLogger), [], 'nothing left to apply');
    const applied = (await adminQuery(db, 'SELECT name FROM schema_migrations ORDER BY name')) as Array<{
      name: string;
    }>;
    t.deepEqual(
      applied.map((r) => r.name),
      migrationNames(),
    );
  } finally {
    await db.drop();
  }
});

test('a SQLite file at 0001 with data upgrades to the latest schema', upgrade, 'sqlite-file');
test('a PostgreSQL database at 0001 with data upgrades to the latest schema', upgrade, 'postgres');
test('a MariaDB database at 0001 with data upgrades to the latest schema', upgrade, 'mariadb');

test('a fresh database gets every migration, in order, once', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  try {
    t.deepEqual(await migrateStore(db.dbUrl, silentLogger), migrationNames());
    t.deepEqual(migrationNames(), [
      '0001-create-rules',
      '0002-create-firings',
      '0003-create-rule-labels',
      '0006-create-rule-history',
      '0007-rule-name-key',
      '0008-firing-rule-name',
      '0010-create-replicas',
      '0020-firing-cancel-and-dispatch',
      '0030-create-rmf-web-tasks',
    ]);
    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
    await store.close();
    t.deepEqual(await migrateStore(db.dbUrl, silentLogger), []);
  } finally {
    await db.drop();
  }
});

test('an unusable db_url is INVALID_INPUT naming db_url', async (t) => {
  const err = await t.throwsAsync(openStore({ dbUrl: 'oracle://x', logger: silentLogger }));
  t.like(err, { code: 'INVALID_INPUT', details: { field: 'db_url' } });
});

test('an unreachable database is STORE_UNAVAILABLE at open', async (t) => {
  const err = await t.throwsAsync(
    openStore({ dbUrl: 'postgres://postgres@127.0.0.1:1/none', logger: silentLogger }),
  );
  t.like(err, { code: 'STORE_UNAVAILABLE' });
  t.regex(err?.message ?? '', /cannot be reached/);
});

test('a store opened without migrating refuses a schema that is behind, naming the command', async (t) => {
  const db = await createTestDatabase('sqlite-file');
  try {
    await migrateStore(db.dbUrl, silentLogger, { to: '0002-create-firings' });
    const err = await t.throwsAsync(openStore({ dbUrl: db.dbUrl, logger: silentLogger, migrate: false }));
    t.like(err, { code: 'INTERNAL', details: { pending: ['0003-create-rule-labels'] } });
    t.regex(err?.message ?? '', /task_scheduler migrate/);
    await migrateStore(db.dbUrl, silentLogger);
    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger, migrate: false });
    await store.close();
    await adminQuery(db, "INSERT INTO schema_migrations (name) VALUES ('9999-from-the-future')");
    const newer = await t.throwsAsync(openStore({ dbUrl: db.dbUrl, logger: silentLogger }));
    t.like(newer, { code: 'INTERNAL', details: { unknown: ['9999-from-the-future'] } });
  } finally {
    await db.drop();
  }
});

const clash = test.macro(async (t, dialect: TestDialect) => {
  const db = await createTestDatabase(dialect);
  try {
    await migrateStore(db.dbUrl, silentLogger, { to: '0006-create-rule-history' });
    const a = '0a1b2c3d-0000-4000-8000-0000000000a1';
    const b = '0a1b2c3d-0000-4000-8000-0000000000b2';
    await insertRule(db, a, newRule({ name: 'Lobby Patrol' }));
    await insertRule(db, b, newRule({ name: 'lobby patrol' }));
    await insertRule(db, '0a1b2c3d-0000-4000-8000-0000000000c3', newRule({ name: 'Lobby patrol 2' }));
    const err = await t.throwsAsync(migrateStore(db.dbUrl, silentLogger));
    t.regex(err?.message ?? '', /same name but for case/);
    t.regex(err?.message ?? '', new RegExp(`"Lobby Patrol" \\(${a}\\) and "lobby patrol" \\(${b}\\)`));
    t.notRegex(err?.message ?? '', /Lobby patrol 2/);
    const applied = (await adminQuery(db, 'SELECT name FROM schema_migrations')) as Array<{ name: string }>;
    t.false(
      applied.some((r) => r.name === '0007-rule-name-key'),
      'the clash stops the migration',
    );
    // Renamed (as the previous version allows), the migration goes through.
    await adminQuery(db, `UPDATE rules SET name = 'Lobby Patrol (night)' WHERE id = '${b}'`);
    t.true((await migrateStore(db.dbUrl, silentLogger)).includes('0007-rule-name-key'));
  } finally {
    await db.drop();
  }
});

test('SQLite: rules named alike but for case stop the name-key migration, naming them', clash, 'sqlite-file');
test(
  'PostgreSQL: rules named alike but for case stop the name-key migration, naming them',
  clash,
  'postgres',
);
test('MariaDB: rules named alike but for case stop the name-key migration, naming them', clash, 'mariadb');
