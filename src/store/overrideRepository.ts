/** OverrideRepository: single-occurrence overrides, each change recorded in the change feed. */
import { DomainError } from '../rules/errors.js';
import { occurrenceId } from '../rules/ids.js';
import { isoInstant } from '../rules/isoInstant.js';
import type { OccurrenceOverride, OverrideAction } from '../rules/Occurrence.js';
import type { ChangeNote, RuleHistoryEntry } from '../rules/RuleHistory.js';
import type { OverrideRepository } from '../runtime/ports.js';
import { recordChange } from './changeFeed.js';
import type { Row } from './Db.js';
import type { RepositoryDeps } from './ruleRepository.js';
import type { RowRef } from './rows.js';
import { badRow, num, numOrNull, strOrNull } from './rows.js';
import { appendRuleHistory } from './ruleHistory.js';
import { raw } from './sql.js';

export const OVERRIDE_COLUMNS = 'rule_id, occurrence_at, action, moved_to, reason, updated_by, updated_at';
const ACTIONS = new Set<string>(['disabled', 'deleted', 'moved']);

/** The history entry of an occurrence's change: set to `o`, or back to plain (`o` null). */
function occurrenceEntry(
  ruleId: string,
  occurrenceAt: number,
  o: OccurrenceOverride | null,
  previous: OccurrenceOverride | null,
  note: ChangeNote,
  at: number,
): RuleHistoryEntry {
  const occurrence_id = occurrenceId(ruleId, occurrenceAt);
  const base = { ruleId, at, actor: note.actor, reason: note.reason ?? null, changes: null };
  if (o === null)
    return previous?.action === 'moved'
      ? {
          ...base,
          action: 'occurrence_moved',
          details: { occurrence_id, moved_to: isoInstant(occurrenceAt) },
        }
      : { ...base, action: 'occurrence_enabled', details: { occurrence_id } };
  if (o.action === 'moved')
    return {
      ...base,
      action: 'occurrence_moved',
      details: { occurrence_id, moved_to: isoInstant(o.movedTo as number) },
    };
  return {
    ...base,
    action: o.action === 'disabled' ? 'occurrence_disabled' : 'occurrence_deleted',
    details: { occurrence_id },
  };
}

export function overrideFromRow(row: Row): OccurrenceOverride {
  const ref: RowRef = {
    table: 'occurrence_overrides',
    id: `${String(row.rule_id)}@${String(row.occurrence_at)}`,
  };
  const action = String(row.action);
  if (!ACTIONS.has(action)) throw badRow(ref, 'action', `is not an override action (${action})`);
  return {
    ruleId: String(row.rule_id),
    occurrenceAt: num(ref, 'occurrence_at', row.occurrence_at),
    action: action as OverrideAction,
    movedTo: numOrNull(ref, 'moved_to', row.moved_to),
    reason: strOrNull(row.reason),
    by: strOrNull(row.updated_by),
    updatedAt: num(ref, 'updated_at', row.updated_at),
  };
}

export function createOverrideRepository({ db, now }: RepositoryDeps): OverrideRepository {
  const { sql } = db;
  const cols = raw(OVERRIDE_COLUMNS);
  const ruleFilter = (ruleIds?: string[]) =>
    ruleIds === undefined ? raw('') : sql`AND rule_id IN (${ruleIds})`;

  return {
    async set(o: OccurrenceOverride): Promise<OccurrenceOverride> {
      if (o.action === 'moved' && o.movedTo === null)
        throw DomainError.invalid({ field: 'at', message: 'a moved occurrence needs its new instant' });
      const value: OccurrenceOverride = { ...o, movedTo: o.action === 'moved' ? o.movedTo : null };
      await db.tx('set occurrence override', async (q) => {
        const at = now();
        await recordChange(db, q, o.ruleId, 'override', at);
        const rule = await q.rows(sql`SELECT id FROM rules WHERE id = ${o.ruleId}`);
        if (rule.length === 0)
          throw new DomainError('RULE_NOT_FOUND', `Rule ${o.ruleId} does not exist`, { id: o.ruleId });
        await q.run(
          sql`DELETE FROM occurrence_overrides WHERE rule_id = ${o.ruleId} AND occurrence_at = ${o.occurrenceAt}`,
        );
        await q.run(
          sql`INSERT INTO occurrence_overrides (${cols}) VALUES (${[
            value.ruleId,
            value.occurrenceAt,
            value.action,
            value.movedTo,
            value.reason,
            value.by,
            value.updatedAt,
          ]})`,
        );
        await appendRuleHistory(db, q, [
          occurrenceEntry(o.ruleId, o.occurrenceAt, value, null, { actor: o.by, reason: o.reason }, at),
        ]);
      });
      return value;
    },

    async clear(ruleId: string, occurrenceAt: number, note: ChangeNote = { actor: null }): Promise<void> {
      await db.tx('clear occurrence override', async (q) => {
        const at = now();
        await recordChange(db, q, ruleId, 'override', at);
        const [row] = await q.rows<Row>(
          sql`SELECT ${cols} FROM occurrence_overrides WHERE rule_id = ${ruleId} AND occurrence_at = ${occurrenceAt}`,
        );
        // Nothing to undo, nothing to record.
        if (row === undefined) return;
        await appendRuleHistory(db, q, [
          occurrenceEntry(ruleId, occurrenceAt, null, overrideFromRow(row), note, at),
        ]);
        await q.run(
          sql`DELETE FROM occurrence_overrides WHERE rule_id = ${ruleId} AND occurrence_at = ${occurrenceAt}`,
        );
      });
    },

    async get(ruleId: string, occurrenceAt: number): Promise<OccurrenceOverride | null> {
      const rows = await db.read('read occurrence override', (q) =>
        q.rows<Row>(
          sql`SELECT ${cols} FROM occurrence_overrides WHERE rule_id = ${ruleId} AND occurrence_at = ${occurrenceAt}`,
        ),
      );
      return rows[0] ? overrideFromRow(rows[0]) : null;
    },

    async listInWindow(from: number, to: number, ruleIds?: string[]): Promise<OccurrenceOverride[]> {
      if (ruleIds !== undefined && ruleIds.length === 0) return [];
      const rows = await db.read('list occurrence overrides', (q) =>
        q.rows<Row>(sql`SELECT ${cols} FROM occurrence_overrides
          WHERE ((occurrence_at >= ${from} AND occurrence_at < ${to}) OR (moved_to >= ${from} AND moved_to < ${to}))
          ${ruleFilter(ruleIds)} ORDER BY occurrence_at, rule_id`),
      );
      return rows.map(overrideFromRow);
    },

    async listForRule(ruleId: string, from: number): Promise<OccurrenceOverride[]> {
      const rows = await db.read('list occurrence overrides', (q) =>
        q.rows<Row>(sql`SELECT ${cols} FROM occurrence_overrides
          WHERE rule_id = ${ruleId} AND (occurrence_at >= ${from} OR moved_to >= ${from}) ORDER BY occurrence_at`),
      );
      return rows.map(overrideFromRow);
    },
  };
}
