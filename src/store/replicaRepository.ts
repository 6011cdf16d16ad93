/**
 * ReplicaRepository: the heartbeat rows of the schedulers sharing one store. Every instant here
 * is the database's clock (one clock for every replica, whatever their own say).
 */
import { DomainError } from '../rules/errors.js';
import type { ReplicaRecord, ReplicaRepository } from '../runtime/ports.js';
import type { Db, Row } from './Db.js';
import { raw } from './sql.js';

/** The database's current time in epoch milliseconds, as an SQL expression. */
export function dbNowExpression(dialect: Db['dialect']): string {
  switch (dialect) {
    case 'postgres':
      return '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint';
    case 'sqlite':
      return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    default:
      return 'CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)';
  }
}

const COLUMNS = 'id, host, pid, version, started_at, last_seen_at, interval_ms, stopped_at';

function fromRow(row: Row): ReplicaRecord {
  return {
    id: String(row.id),
    host: String(row.host),
    pid: Number(row.pid),
    version: String(row.version),
    startedAt: Number(row.started_at),
    lastSeenAt: Number(row.last_seen_at),
    intervalMs: Number(row.interval_ms),
    stoppedAt: row.stopped_at === null || row.stopped_at === undefined ? null : Number(row.stopped_at),
  };
}

export function createReplicaRepository({ db }: { db: Db }): ReplicaRepository {
  const { sql } = db;
  const now = raw(dbNowExpression(db.dialect));
  const readNow = async (q: { rows<T>(query: ReturnType<typeof sql>): Promise<T[]> }) =>
    Number((await q.rows<{ now: unknown }>(sql`SELECT ${now} AS now`))[0]?.now);

  return {
    register: (replica, liveWithinMs) =>
      db.tx('register this replica', async (q) => {
        const dbNow = await readNow(q);
        const [existing] = await q.rows<Row>(
          sql`SELECT ${raw(COLUMNS)} FROM replicas WHERE id = ${replica.id}`,
        );
        if (existing !== undefined) {
          const row = fromRow(existing);
          if (row.stoppedAt === null && dbNow - row.lastSeenAt <= liveWithinMs) {
            throw new DomainError(
              'ALREADY_EXISTS',
              `replica_id "${replica.id}" belongs to a live replica (pid ${row.pid} on ${row.host}, seen ${dbNow - row.lastSeenAt} ms ago): give each replica its own replica_id`,
              { field: 'replica_id' },
            );
          }
          await q.run(sql`DELETE FROM replicas WHERE id = ${replica.id}`);
        }
        await q.run(sql`INSERT INTO replicas (${raw(COLUMNS)}) VALUES (${replica.id}, ${replica.host},
          ${replica.pid}, ${replica.version}, ${dbNow}, ${dbNow}, ${replica.intervalMs}, NULL)`);
        return dbNow;
      }),

    beat: (id) =>
      db.tx('replica heartbeat', async (q) => {
        const dbNow = await readNow(q);
        await q.run(sql`UPDATE replicas SET last_seen_at = ${dbNow}, stopped_at = NULL WHERE id = ${id}`);
        return dbNow;
      }),

    async stopped(id) {
      await db.write('replica stopped', (q) =>
        q.run(sql`UPDATE replicas SET stopped_at = ${now} WHERE id = ${id}`),
      );
    },

    list: () =>
      db.read('list replicas', async (q) => {
        const rows = await q.rows<Row>(sql`SELECT ${raw(COLUMNS)} FROM replicas ORDER BY started_at, id`);
        return { replicas: rows.map(fromRow), dbNow: await readNow(q) };
      }),
  };
}
