/**
 * The `rule_history` table. Every mutation records its entries in its own transaction, through
 * `appendRuleHistory(db, q, entries)` (inside `db.tx` / a group-commit job) or, for jobs made only
 * of statements, `historyStatement(db, entries)`:
 *
 *   await grouped('update rule', async (q) => {
 *     …the change…
 *     await appendRuleHistory(db, q, [{ ruleId, at, actor, action: 'overrides_carried',
 *       reason: null, changes: null, details: { carried } }]);
 *   });
 *
 * so an entry exists exactly when its change committed.
 */
import { DomainError } from '../rules/errors.js';
import type { RuleHistoryAction, RuleHistoryEntry } from '../rules/RuleHistory.js';
import { RULE_HISTORY_ACTIONS } from '../rules/RuleHistory.js';
import type { Page } from '../runtime/ports.js';
import type { Db, Row, Sql } from './Db.js';
import type { RowRef } from './rows.js';
import { badRow, jsonOrNull, num, strOrNull, toJsonOrNull } from './rows.js';
import { raw, valuesList } from './sql.js';
import type { RawSql } from './sql.js';

const COLUMNS = 'rule_id, at, actor, action, reason, changes, details';
const ACTIONS = new Set<string>(RULE_HISTORY_ACTIONS);
const MAX_ACTOR = 255;

const values = (e: RuleHistoryEntry): unknown[] => [
  e.ruleId,
  e.at,
  e.actor === null ? null : e.actor.slice(0, MAX_ACTOR),
  e.action,
  e.reason,
  toJsonOrNull(e.changes),
  toJsonOrNull(e.details),
];

/** One INSERT of the entries (callers pass at least one). */
export function historyStatement(db: Db, entries: readonly RuleHistoryEntry[]): RawSql {
  return db.sql`INSERT INTO rule_history (${raw(COLUMNS)}) VALUES ${valuesList(db.escape, entries.map(values))}`;
}

/** Records the entries inside the caller's transaction `q`. */
export async function appendRuleHistory(db: Db, q: Sql, entries: readonly RuleHistoryEntry[]): Promise<void> {
  if (entries.length > 0) await q.run(historyStatement(db, entries));
}

function entryFromRow(row: Row): RuleHistoryEntry {
  const ref: RowRef = { table: 'rule_history', id: String(row.seq) };
  const action = String(row.action);
  if (!ACTIONS.has(action)) throw badRow(ref, 'action', `is not a history action (${action})`);
  return {
    ruleId: String(row.rule_id),
    at: num(ref, 'at', row.at),
    actor: strOrNull(row.actor),
    action: action as RuleHistoryAction,
    reason: strOrNull(row.reason),
    changes: jsonOrNull(ref, 'changes', row.changes) as RuleHistoryEntry['changes'],
    details: jsonOrNull(ref, 'details', row.details) as RuleHistoryEntry['details'],
  };
}

/**
 * A rule's entries, newest first. RULE_NOT_FOUND only when the rule has no entry and does not
 * exist (an id that never named a rule): a deleted rule's history stays readable.
 */
export async function listRuleHistory(
  db: Db,
  ruleId: string,
  limit: number,
  offset: number,
): Promise<Page<RuleHistoryEntry>> {
  const { sql } = db;
  const [rows, total, exists] = await db.read('read rule history', async (q) => {
    const page = await q.rows<Row>(sql`SELECT seq, ${raw(COLUMNS)} FROM rule_history WHERE rule_id = ${ruleId}
      ORDER BY seq DESC LIMIT ${limit} OFFSET ${offset}`);
    const [count] = await q.rows<{ n: unknown }>(
      sql`SELECT COUNT(*) AS n FROM rule_history WHERE rule_id = ${ruleId}`,
    );
    const n = Number(count?.n ?? 0);
    const rule = n > 0 ? [true] : await q.rows(sql`SELECT id FROM rules WHERE id = ${ruleId}`);
    return [page, n, rule.length > 0] as const;
  });
  if (!exists) throw new DomainError('RULE_NOT_FOUND', `Rule ${ruleId} does not exist`, { id: ruleId });
  return { items: rows.map(entryFromRow), total, limit, offset };
}
