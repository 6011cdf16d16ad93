/**
 * The runtime's start-up load: every rule in compact form plus the newest scheduled due_at of its
 * firings, in two plain queries (only the needed columns; one grouped query for the due instants).
 */
import type { SchedulingEntry } from '../runtime/ports.js';
import type { Db } from './Db.js';
import { misfireFromColumns, scheduleFromColumn } from './ruleRows.js';
import type { RowRef } from './rows.js';
import { bool, num } from './rows.js';

interface EntryRow {
  id: string;
  version: unknown;
  enabled: unknown;
  schedule: unknown;
  lead_time_ms: unknown;
  misfire_policy: unknown;
  misfire_grace_ms: unknown;
}

export async function loadSchedulingEntries(db: Db): Promise<SchedulingEntry[]> {
  const { sql } = db;
  const [rules, last] = await db.read('load scheduling entries', async (q) => [
    await q.rows<EntryRow>(
      sql`SELECT id, version, enabled, schedule, lead_time_ms, misfire_policy, misfire_grace_ms FROM rules`,
    ),
    await q.rows<{ rule_id: string; last_due_at: unknown }>(
      sql`SELECT rule_id, MAX(due_at) AS last_due_at FROM firings WHERE trigger_kind = 'schedule' GROUP BY rule_id`,
    ),
  ]);
  const lastDue = new Map<string, number>();
  for (const r of last) lastDue.set(r.rule_id, Number(r.last_due_at));
  return rules.map((row) => {
    const ref: RowRef = { table: 'rules', id: String(row.id) };
    return {
      id: row.id,
      version: num(ref, 'version', row.version),
      enabled: bool(row.enabled),
      schedule: scheduleFromColumn(ref, row.schedule),
      leadTimeMs: num(ref, 'lead_time_ms', row.lead_time_ms),
      misfire: misfireFromColumns(ref, row.misfire_policy, row.misfire_grace_ms),
      lastDueAt: lastDue.get(row.id) ?? null,
    };
  });
}
