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
    a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.trigger < b.trigger ? -1 : a.trigger > b.trigger ? 1 : a.dueAt - b.dueAt,
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

/** The rows for these keys, by firingKey. */
export async function findByKeys(db: Db, q: Sql, keys: ClaimKey[]): Promise<Map<string, Firing>> {
  const found = new Map<string, Firing>();
  const wanted = new Set(keys.map((k) => firingKey(k.ruleId, k.trigger, k.dueAt)));
  // Group by rule so each statement is an index range scan on (rule_id, trigger_kind, due_at).
  const byRule = new Map<string, Set<number>>();
  for (const k of keys) {
    const set = byRule.get(k.ruleId) ?? new Set<number>();
    set.add(k.dueAt);
    byRule.set(k.ruleId, set);
  }
  const triggers = [...new Set(keys.map((k) => k.trigger))];
  const ruleIds = [...byRule.keys()];
  const dueAts = [...new Set(keys.map((k) => k.dueAt))];
  for (let i = 0; i < ruleIds.length; i += CHUNK) {
    const rows = await q.rows<Row>(db.sql`SELECT ${raw(FIRING_COLUMNS)} FROM firings
      WHERE rule_id IN (${ruleIds.slice(i, i + CHUNK)}) AND trigger_kind IN (${triggers}) AND due_at IN (${dueAts})`);
    for (const row of rows) {
      const f = firingFromRow(row);
      const key = firingKey(f.ruleId, f.trigger, f.dueAt);
      if (wanted.has(key)) found.set(key, f);
    }
  }
  return found;
}
