/**
 * recordOutcomes in one statement per chunk: an UPDATE joined to the outcomes as an inline table
 * (VALUES on PostgreSQL and SQLite, UNION ALL on MySQL/MariaDB). Only rows still 'claimed' change,
 * so a late or repeated outcome never overwrites a recorded one.
 */
import type { FiringOutcome } from '../runtime/ports.js';
import type { Db, Sql } from './Db.js';
import { firingKey } from './firingRows.js';
import { toJsonOrNull } from './rows.js';
import { raw, valuesList } from './sql.js';

const CHUNK = 500;
const COLUMNS = [
  'rule_id',
  'trigger_kind',
  'due_at',
  'status',
  'request_id',
  'request',
  'response',
  'rmf_task_id',
  'error',
  'attempts',
  'published_at',
  'responded_at',
];

const toValues = (o: FiringOutcome): unknown[] => [
  o.ruleId,
  o.trigger,
  o.dueAt,
  o.status,
  o.requestId,
  toJsonOrNull(o.request),
  toJsonOrNull(o.response),
  o.rmfTaskId,
  o.error,
  o.attempts,
  o.publishedAt,
  o.respondedAt,
];

function statement(db: Db, chunk: FiringOutcome[]) {
  const { sql, escape } = db;
  const rows = chunk.map(toValues);
  const cols = raw(COLUMNS.join(', '));
  switch (db.dialect) {
    case 'postgres':
      return sql`UPDATE firings AS f SET status = v.status, request_id = COALESCE(v.request_id, f.request_id),
        request = v.request, response = v.response, rmf_task_id = v.rmf_task_id, error = v.error,
        attempts = v.attempts::integer, published_at = v.published_at::bigint, responded_at = v.responded_at::bigint
        FROM (VALUES ${valuesList(escape, rows)}) AS v(${cols})
        WHERE f.rule_id = v.rule_id AND f.trigger_kind = v.trigger_kind AND f.due_at = v.due_at::bigint
          AND f.status = 'claimed'`;
    case 'sqlite':
      return sql`WITH v(${cols}) AS (VALUES ${valuesList(escape, rows)})
        UPDATE firings SET status = v.status, request_id = COALESCE(v.request_id, firings.request_id),
        request = v.request, response = v.response, rmf_task_id = v.rmf_task_id, error = v.error,
        attempts = v.attempts, published_at = v.published_at, responded_at = v.responded_at
        FROM v WHERE firings.rule_id = v.rule_id AND firings.trigger_kind = v.trigger_kind
          AND firings.due_at = v.due_at AND firings.status = 'claimed'`;
    default: {
      const selects = rows.map(
        (row, i) =>
          `SELECT ${row.map((value, c) => (i === 0 ? `${escape(value)} AS ${COLUMNS[c]}` : escape(value))).join(', ')}`,
      );
      return sql`UPDATE firings AS f JOIN (${raw(selects.join(' UNION ALL '))}) AS v
        ON f.rule_id = v.rule_id AND f.trigger_kind = v.trigger_kind AND f.due_at = v.due_at
        SET f.request_id = COALESCE(v.request_id, f.request_id), f.request = v.request, f.response = v.response,
          f.rmf_task_id = v.rmf_task_id, f.error = v.error, f.attempts = v.attempts,
          f.published_at = v.published_at, f.responded_at = v.responded_at, f.status = v.status
        WHERE f.status = 'claimed'`;
    }
  }
}

export async function updateOutcomes(db: Db, q: Sql, outcomes: FiringOutcome[]): Promise<void> {
  // The first outcome for a key wins, as if they were applied one after another.
  const first = new Map<string, FiringOutcome>();
  for (const o of outcomes) {
    const key = firingKey(o.ruleId, o.trigger, o.dueAt);
    if (!first.has(key)) first.set(key, o);
  }
  const unique = [...first.values()];
  for (let i = 0; i < unique.length; i += CHUNK) await q.run(statement(db, unique.slice(i, i + CHUNK)));
}
