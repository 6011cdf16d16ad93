/**
 * The runtime's start-up load: every rule in compact form plus the newest scheduled due_at of its
 * firings (one grouped query). 100,000 rules must load fast, and what costs is not the query but
 * the driver turning 100,000 rows × 7 columns into JS objects. On SQLite the database therefore
 * packs each chunk of 20,000 rules into one tab/newline-separated text (JSON text never holds a
 * raw tab or newline) that is split here: a quarter to a third less time than the plain query
 * (bench/README.md). Anything unexpected falls back to the plain query, whose row mapping names
 * the row it cannot read. The other dialects use the plain query, read as arrays (PostgreSQL's
 * driver then builds no object per row).
 */
import type { SchedulingEntry } from '../runtime/ports.js';
import type { Db, Sql } from './Db.js';
import { misfireFromColumns, scheduleFromColumn } from './ruleRows.js';
import type { RowRef } from './rows.js';
import { bool, num } from './rows.js';

const CHUNK = 20_000;
const FIELDS = 8;

interface EntryRow {
  id: string;
  version: unknown;
  enabled: unknown;
  lead_time_ms: unknown;
  misfire_policy: unknown;
  misfire_grace_ms: unknown;
  created_at: unknown;
  schedule: unknown;
}

function entry(row: EntryRow, lastDue: Map<string, number>): SchedulingEntry {
  const ref: RowRef = { table: 'rules', id: String(row.id) };
  return {
    id: row.id,
    version: num(ref, 'version', row.version),
    enabled: bool(row.enabled),
    schedule: scheduleFromColumn(ref, row.schedule),
    leadTimeMs: num(ref, 'lead_time_ms', row.lead_time_ms),
    misfire: misfireFromColumns(ref, row.misfire_policy, row.misfire_grace_ms),
    lastDueAt: lastDue.get(row.id) ?? null,
    createdAt: num(ref, 'created_at', row.created_at),
  };
}

async function lastDueAts(db: Db): Promise<Map<string, number>> {
  const rows = await db.readArrays(
    'load scheduling entries',
    db.sql`SELECT rule_id, MAX(due_at) AS last_due_at FROM firings WHERE trigger_kind = 'schedule' GROUP BY rule_id`,
  );
  const map = new Map<string, number>();
  for (const r of rows) map.set(String(r[0]), Number(r[1]));
  return map;
}

async function plainRows(db: Db): Promise<EntryRow[]> {
  const rows = await db.readArrays(
    'load scheduling entries',
    db.sql`SELECT id, version, enabled, lead_time_ms, misfire_policy, misfire_grace_ms, created_at, schedule FROM rules`,
  );
  return rows.map((r) => ({
    id: String(r[0]),
    version: r[1],
    enabled: r[2],
    lead_time_ms: r[3],
    misfire_policy: r[4],
    misfire_grace_ms: r[5],
    created_at: r[6],
    schedule: r[7],
  }));
}

/** SQLite: the rules in rowid chunks, each packed into one text; null if a chunk does not split cleanly. */
async function packedRows(db: Db, q: Sql): Promise<EntryRow[] | null> {
  const all: EntryRow[] = [];
  for (let after = -1; ;) {
    const [chunk] = await q.rows<{ packed: string | null; n: unknown; last: unknown }>(db.sql`
      SELECT group_concat(x, char(10)) AS packed, COUNT(*) AS n, MAX(k) AS last FROM (
        SELECT rowid AS k, id || char(9) || version || char(9) || enabled || char(9) || lead_time_ms || char(9) ||
          misfire_policy || char(9) || misfire_grace_ms || char(9) || created_at || char(9) || schedule AS x
        FROM rules WHERE rowid > ${after} ORDER BY rowid LIMIT ${CHUNK})`);
    const n = Number(chunk?.n ?? 0);
    if (!chunk || n === 0) return all;
    const lines = chunk.packed?.split('\n') ?? [];
    if (lines.length !== n) return null;
    for (const line of lines) {
      const f = line.split('\t');
      if (f.length !== FIELDS) return null;
      all.push({
        id: f[0] as string,
        version: f[1],
        enabled: f[2],
        lead_time_ms: f[3],
        misfire_policy: f[4],
        misfire_grace_ms: f[5],
        created_at: f[6],
        schedule: f[7],
      });
    }
    if (n < CHUNK) return all;
    after = Number(chunk.last);
  }
}

export async function loadSchedulingEntries(db: Db): Promise<SchedulingEntry[]> {
  const packed =
    db.dialect === 'sqlite' ? await db.read('load scheduling entries', (q) => packedRows(db, q)) : null;
  const rules = packed ?? (await plainRows(db));
  const last = await lastDueAts(db);
  return rules.map((row) => entry(row, last));
}
