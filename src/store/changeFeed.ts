/**
 * The change feed: every rule/override mutation appends a row to `rule_changes` in its own
 * transaction. The seq comes from the one-row counter, whose row lock serializes the writers, so
 * seq order is commit order (a reader never sees seq 7 before seq 6 commits).
 */
import type { RuleChange } from '../runtime/ports.js';
import type { Db, Sql } from './Db.js';
import type { RawSql } from './sql.js';

export type ChangeKind = RuleChange['kind'];

/** Call first in a mutation's transaction (it takes the counter's lock). Returns the new seq. */
export async function recordChange(
  db: Db,
  q: Sql,
  ruleId: string,
  kind: ChangeKind,
  at: number,
): Promise<number> {
  const { sql } = db;
  await q.run(sql`UPDATE rule_change_counter SET seq = seq + 1 WHERE id = 1`);
  const [row] = await q.rows<{ seq: unknown }>(sql`SELECT seq FROM rule_change_counter WHERE id = 1`);
  const seq = Number(row?.seq);
  await q.run(
    sql`INSERT INTO rule_changes (seq, rule_id, kind, at) VALUES (${seq}, ${ruleId}, ${kind}, ${at})`,
  );
  return seq;
}

/**
 * The same as recordChange, as statements to run first in a mutation's transaction (when the seq
 * itself is not needed: the change row takes it from the counter).
 */
export function changeStatements(db: Db, ruleId: string, kind: ChangeKind, at: number): RawSql[] {
  const { sql } = db;
  return [
    sql`UPDATE rule_change_counter SET seq = seq + 1 WHERE id = 1`,
    sql`INSERT INTO rule_changes (seq, rule_id, kind, at)
      SELECT seq, ${ruleId}, ${kind}, ${at} FROM rule_change_counter WHERE id = 1`,
  ];
}

export async function changesSince(db: Db, cursor: number, limit: number): Promise<RuleChange[]> {
  const { sql } = db;
  const rows = await db.read('read rule changes', (q) =>
    q.rows<{ seq: unknown; rule_id: string; kind: ChangeKind }>(
      sql`SELECT seq, rule_id, kind FROM rule_changes WHERE seq > ${cursor} ORDER BY seq LIMIT ${limit}`,
    ),
  );
  return rows.map((r) => ({ seq: Number(r.seq), ruleId: r.rule_id, kind: r.kind }));
}

export async function latestChangeSeq(db: Db): Promise<number> {
  const rows = await db.read('read rule changes', (q) =>
    q.rows<{ seq: unknown }>(db.sql`SELECT seq FROM rule_change_counter WHERE id = 1`),
  );
  return Number(rows[0]?.seq ?? 0);
}
