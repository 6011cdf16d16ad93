/**
 * Group commit: mutations that arrive together share one transaction (one durable commit), each
 * inside its own SAVEPOINT so that one failing (a duplicate name, a version conflict) rolls back
 * only its own statements and gets its own error while the others commit.
 *
 * Submissions made in the same turn of the event loop (and all those made while a batch is being
 * committed) form the next batch. A retryable conflict or a lost connection aborts the whole
 * transaction; the Db then retries the batch as a whole, every job running again from scratch
 * (jobs must only depend on their own input).
 *
 * Jobs made only of statements (`statements()`, e.g. a create: no reads) are cheaper: a batch of
 * them goes to the database as one script, the transaction included (`Db.txScript`: one call on
 * SQLite instead of one per job plus BEGIN and COMMIT). Should any statement fail, nothing of that
 * attempt stays (it is rolled back) and the batch runs again job by job, in savepoints as above, so
 * that each job gets its own outcome.
 */
import type { Db, Sql } from './Db.js';
import { isConnectionError, isRetryableConflict, toDomainError } from './errors.js';
import { raw } from './sql.js';
import type { RawSql } from './sql.js';

type Job = {
  what: string;
  run: (q: Sql) => Promise<unknown>;
  /** Set when the job is only these statements. */
  statements?: RawSql[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The most jobs one transaction carries (the rest wait for the next one). */
const MAX_BATCH = 512;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `q`, with `first` sent ahead of (and together with) the first statements run through it. */
function withPrefix(q: Sql, first: RawSql): { sql: Sql; started: () => boolean } {
  let pending: RawSql[] = [first];
  const take = (): RawSql[] => {
    const p = pending;
    pending = [];
    return p;
  };
  return {
    started: () => pending.length === 0,
    sql: {
      rows: async (query) => {
        if (pending.length > 0) await q.script(take());
        return q.rows(query);
      },
      run: (query) => (pending.length > 0 ? q.script([...take(), query]) : q.run(query)),
      script: (queries) => q.script([...take(), ...queries]),
    },
  };
}

export interface GroupCommit {
  <T>(what: string, run: (q: Sql) => Promise<T>): Promise<T>;
  /** A job that only runs these statements, in order (no reads, no result). */
  statements(what: string, statements: RawSql[]): Promise<void>;
}

export function groupCommit(db: Db): GroupCommit {
  let pending: Job[] = [];
  let draining = false;

  const runBatch = (q: Sql, batch: Job[]): Promise<Outcome[]> => {
    const runOne = async (job: Job, i: number): Promise<Outcome> => {
      if (batch.length === 1) return { ok: true, value: await job.run(q) };
      // The SAVEPOINT goes to the database with the job's first statements (one round trip on
      // SQLite). It is not released: COMMIT ends them all, and names are unique in the batch.
      const inner = withPrefix(q, raw(`SAVEPOINT gc_${i}`));
      try {
        return { ok: true, value: await job.run(inner.sql) };
      } catch (error) {
        if (isRetryableConflict(error) || isConnectionError(error)) throw error;
        if (inner.started()) await q.run(raw(`ROLLBACK TO SAVEPOINT gc_${i}`));
        return { ok: false, error: toDomainError(error, job.what) };
      }
    };
    return (async () => {
      const out: Outcome[] = [];
      for (let i = 0; i < batch.length; i++) out.push(await runOne(batch[i]!, i));
      return out;
    })();
  };

  /**
   * A batch of statement-only jobs as one script. False if a statement failed (nothing was
   * committed): the batch is then to run job by job.
   */
  const commitScript = async (batch: Job[]): Promise<boolean> => {
    try {
      await db.txScript(
        `${batch[0]!.what} (batch)`,
        batch.flatMap((job) => job.statements!),
      );
    } catch (error) {
      // Still failing after the Db's retries: as the job-by-job transaction would, fail them all.
      if (!isRetryableConflict(error) && !isConnectionError(error)) return false;
      for (const job of batch) job.reject(error);
      return true;
    }
    for (const job of batch) job.resolve(undefined);
    return true;
  };

  const commit = async (batch: Job[]): Promise<void> => {
    // A lone job takes the path below anyway: there its error is its own.
    if (batch.length > 1 && batch.every((job) => job.statements) && (await commitScript(batch))) return;
    let outcomes: Outcome[];
    try {
      outcomes = await db.tx(batch.length === 1 ? batch[0]!.what : `${batch[0]!.what} (batch)`, (q) =>
        runBatch(q, batch),
      );
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
  };

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      await nextTurn();
      while (pending.length > 0) {
        const batch = pending.slice(0, MAX_BATCH);
        pending = pending.slice(MAX_BATCH);
        await commit(batch);
      }
    } finally {
      draining = false;
    }
  };

  const submit = (job: Job): void => {
    pending.push(job);
    if (!draining) void drain();
  };
  const grouped = <T>(what: string, run: (q: Sql) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) =>
      submit({ what, run, resolve: resolve as (value: unknown) => void, reject }),
    );
  grouped.statements = (what: string, statements: RawSql[]): Promise<void> =>
    new Promise<void>((resolve, reject) =>
      submit({ what, run: (q) => q.script(statements), statements, resolve: () => resolve(), reject }),
    );
  return grouped;
}
