/**
 * Replica heartbeat rows on every dialect: registered by the database's clock, refused while a
 * live replica has the id, taken back once that one is overdue or stopped; states alive / overdue
 * / gone as a survivor reads them.
 */
import test from 'ava';
import { silentLogger } from '../../src/log.js';
import { replicaState } from '../../src/runtime/replicaHeartbeat.js';
import type { ReplicaRepository } from '../../src/runtime/ports.js';
import { openStore } from '../../src/store/openStore.js';
import { adminQuery, createTestDatabase, type TestDialect } from '../helpers/testDb.js';

const replica = (id: string) => ({ id, host: 'host-a', pid: 42, version: '1.2.3', intervalMs: 1_000 });

const heartbeats = test.macro(async (t, dialect: TestDialect) => {
  const db = await createTestDatabase(dialect);
  t.teardown(() => db.drop());
  const a = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  const b = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const ra = a.replicas as ReplicaRepository;
  const rb = b.replicas as ReplicaRepository;

  const registered = await ra.register(replica('host-a:42:aaaaaa'), 3_000);
  t.true(Math.abs(registered - Date.now()) < 2_000, "the database's clock, in epoch ms");
  const refused = await t.throwsAsync(rb.register(replica('host-a:42:aaaaaa'), 3_000));
  t.regex(
    refused?.message ?? '',
    /replica_id "host-a:42:aaaaaa" belongs to a live replica \(pid 42 on host-a/,
  );
  await rb.register({ ...replica('host-b:7:bbbbbb'), host: 'host-b', pid: 7 }, 3_000);
  const beat = await ra.beat('host-a:42:aaaaaa');
  t.true(beat >= registered);

  let { replicas, dbNow } = await rb.list();
  t.deepEqual(
    replicas.map((r) => [r.id, r.host, r.pid, r.version, replicaState(r, dbNow, 3_000)]),
    [
      ['host-a:42:aaaaaa', 'host-a', 42, '1.2.3', 'alive'],
      ['host-b:7:bbbbbb', 'host-b', 7, '1.2.3', 'alive'],
    ],
  );

  // host-a falls silent for 10 s: overdue; its id may then be registered again.
  await adminQuery(
    db,
    "UPDATE replicas SET last_seen_at = last_seen_at - 10000 WHERE id = 'host-a:42:aaaaaa'",
  );
  ({ replicas, dbNow } = await rb.list());
  t.is(replicaState(replicas[0]!, dbNow, 3_000), 'overdue');
  await rb.stopped('host-b:7:bbbbbb');
  ({ replicas, dbNow } = await rb.list());
  t.is(
    replicaState(
      replicas.find((r) => r.id === 'host-b:7:bbbbbb')!,
      dbNow,
      3_000,
    ),
    'gone',
  );
  await t.notThrowsAsync(rb.register(replica('host-a:42:aaaaaa'), 3_000));
});

test('sqlite file: heartbeats, live duplicates refused, alive / overdue / gone', heartbeats, 'sqlite-file');
test('postgres: heartbeats, live duplicates refused, alive / overdue / gone', heartbeats, 'postgres');
test('mariadb: heartbeats, live duplicates refused, alive / overdue / gone', heartbeats, 'mariadb');
