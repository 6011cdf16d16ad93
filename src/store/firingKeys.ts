/**
 * Set-at-a-time helpers on the firings table: insert many rows ignoring claim-key duplicates,
 * and read back the rows for many claim keys. Both are single statements per chunk.
 */
import type { Firing } from '../rules/Firing.js';
import type { Db, Row, Sql } from './Db.js';
import { FIRING_COLUMNS, firingFromRow, firingKey, firingToValues } from './firingRows.js';
import { raw, valuesList } from './sql.js';

const CHUNK = 500;

export interface ClaimKey {
  ruleId: string;
  trigger: string;
  dueAt: number;
}

/** INSERT … ignoring rows whose (rule_id, trigger_kind, due_at) exists; rows sorted by key. */
export async function insertIgnoringDuplicates(db: Db, q: Sql, firings: Firing[]): Promise<void> {
  const sorted = [...firings].sort((a, b) =>
    a.ruleId < b.ruleId
      ? -1
      : a.ruleId > b.ruleId
        ? 1
        : a.trigger < b.trigger
          ? -1
          : a.trigger > b.trigger
            ? 1
            : a.dueAt - b.dueAt,
  );
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const values = valuesList(db.escape, sorted.slice(i, i + CHUNK).map(firingToValues));
    const cols = raw(FIRING_COLUMNS);
    switch (db.dialect) {
      case 'sqlite':
        await q.run(db.sql`INSERT OR IGNORE INTO firings (${cols}) VALUES ${values}`);
        break;
      case 'postgres':
        await q.run(db.sql`INSERT INTO firings (${cols}) VALUES ${values} ON CONFLICT DO NOTHING`);
        break;
      default:
        await q.run(db.sql`INSERT INTO firings (${cols}) VALUES ${values} ON DUPLICATE KEY UPDATE id = id`);
    }
  }
}

/** Groups keys by rule so each statement is an index range scan on (rule_id, trigger_kind, due_at). */
async function selectByKeys<T>(
  db: Db,
  q: Sql,
  keys: ClaimKey[],
  columns: string,
  read: (row: Row) => [string, T],
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  if (keys.length === 0) return found;
  const wanted = new Set(keys.map((k) => firingKey(k.ruleId, k.trigger, k.dueAt)));
  const ruleIds = [...new Set(keys.map((k) => k.ruleId))];
  const triggers = [...new Set(keys.map((k) => k.trigger))];
  const dueAts = [...new Set(keys.map((k) => k.dueAt))];
  for (let i = 0; i < ruleIds.length; i += CHUNK) {
    const rows = await q.rows<Row>(db.sql`SELECT ${raw(columns)} FROM firings
      WHERE rule_id IN (${ruleIds.slice(i, i + CHUNK)}) AND trigger_kind IN (${triggers}) AND due_at IN (${dueAts})`);
    for (const row of rows) {
      const [key, value] = read(row);
      if (wanted.has(key)) found.set(key, value);
    }
  }
  return found;
}

/** The id of the row holding each of these keys (a light read: four columns). */
export function findOwners(db: Db, q: Sql, keys: ClaimKey[]): Promise<Map<string, string>> {
  return selectByKeys(db, q, keys, 'id, rule_id, trigger_kind, due_at', (row) => [
    firingKey(String(row.rule_id), String(row.trigger_kind), Number(row.due_at)),
    String(row.id),
  ]);
}

/** The full rows for these keys, by firingKey. */
export function findByKeys(db: Db, q: Sql, keys: ClaimKey[]): Promise<Map<string, Firing>> {
  return selectByKeys(db, q, keys, FIRING_COLUMNS, (row) => {
    const f = firingFromRow(row);
    return [firingKey(f.ruleId, f.trigger, f.dueAt), f];
  });
}
