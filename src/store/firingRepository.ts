/**
 * FiringRepository: the exactly-once claim (group commit of a whole batch in one transaction,
 * decided by the unique claim key), outcomes, history and queries.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../rules/errors.js';
import type { Firing, FiringCancel, FiringDispatch } from '../rules/Firing.js';
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import type { Rule } from '../rules/Rule.js';
import type {
  ClaimDecider,
  ClaimRequest,
  ClaimResult,
  FiringOutcome,
  FiringQuery,
  FiringRepository,
  HistoryRecord,
  Page,
} from '../runtime/ports.js';
import type { Row, Sql } from './Db.js';
import { findByKeys, findOwners, insertIgnoringDuplicates } from './firingKeys.js';
import { FIRING_COLUMNS, firingFromRow, firingKey } from './firingRows.js';
import { updateOutcomes } from './outcomeUpdate.js';
import { appendRuleHistory } from './ruleHistory.js';
import { OVERRIDE_COLUMNS, overrideFromRow } from './overrideRepository.js';
import type { RepositoryDeps } from './ruleRepository.js';
import { RULE_COLUMNS, ruleFromRow } from './ruleRows.js';
import { toJsonOrNull } from './rows.js';
import { raw, whereAll } from './sql.js';
import type { RawSql } from './sql.js';

const NAME_CHUNK = 500;

type Plan = { request: ClaimRequest; key: string; firing: Firing; rule: Rule | null; reason: string | null };

export function createFiringRepository({ db }: Pick<RepositoryDeps, 'db'>): FiringRepository {
  const { sql } = db;
  const cols = raw(FIRING_COLUMNS);

  const readRules = async (q: Sql, ids: string[]): Promise<Map<string, Rule>> => {
    const rows = await q.rows<Row>(sql`SELECT ${raw(RULE_COLUMNS)} FROM rules WHERE id IN (${ids})`);
    return new Map(rows.map((r) => [String(r.id), ruleFromRow(r)]));
  };

  const readOverrides = async (
    q: Sql,
    requests: ClaimRequest[],
  ): Promise<Map<string, OccurrenceOverride>> => {
    const ruleIds = [...new Set(requests.map((r) => r.ruleId))];
    const dueAts = [...new Set(requests.map((r) => r.dueAt))];
    const rows = await q.rows<Row>(sql`SELECT ${raw(OVERRIDE_COLUMNS)} FROM occurrence_overrides
      WHERE rule_id IN (${ruleIds}) AND occurrence_at IN (${dueAts})`);
    return new Map(rows.map(overrideFromRow).map((o) => [`${o.ruleId}|${o.occurrenceAt}`, o]));
  };

  const plan = (
    request: ClaimRequest,
    rule: Rule | null,
    override: OccurrenceOverride | null,
    decide: ClaimDecider,
  ): Plan => {
    let decision = decide(request, rule, override);
    if (decision.action === 'claim' && rule === null)
      decision = { action: 'skip', reason: `rule ${request.ruleId} no longer exists` };
    const reason = decision.action === 'skip' ? decision.reason : null;
    return {
      request,
      key: firingKey(request.ruleId, request.trigger, request.dueAt),
      rule,
      reason,
      firing: {
        id: randomUUID(),
        ruleId: request.ruleId,
        dueAt: request.dueAt,
        fireAt: request.fireAt,
        trigger: request.trigger,
        ruleName: rule?.name ?? null,
        triggeredBy: request.manual?.by ?? null,
        status: reason === null ? 'claimed' : 'skipped',
        requestId: reason === null ? request.requestId : null,
        request: null,
        response: null,
        rmfTaskId: null,
        error: reason,
        attempts: 0,
        claimedAt: request.claimedAt,
        publishedAt: null,
        respondedAt: null,
        replicaId: request.replicaId,
        taskState: null,
        cancel: null,
        dispatch: null,
      },
    };
  };

  const list = async (
    where: RawSql[],
    order: string,
    limit: number,
    offset: number,
  ): Promise<Page<Firing>> => {
    const w = whereAll(where);
    const [rows, count] = await db.read('list firings', async (q) => [
      await q.rows<Row>(
        sql`SELECT ${cols} FROM firings ${w} ORDER BY ${raw(order)} LIMIT ${limit} OFFSET ${offset}`,
      ),
      await q.rows<{ n: unknown }>(sql`SELECT COUNT(*) AS n FROM firings ${w}`),
    ]);
    return { items: rows.map(firingFromRow), total: Number(count[0]?.n ?? 0), limit, offset };
  };

  return {
    async claimBatch(requests: ClaimRequest[], decide: ClaimDecider): Promise<ClaimResult[]> {
      if (requests.length === 0) return [];
      return db.tx('claim firings', async (q) => {
        const rules = await readRules(q, [...new Set(requests.map((r) => r.ruleId))]);
        const overrides = await readOverrides(q, requests);
        const plans = requests.map((r) =>
          plan(r, rules.get(r.ruleId) ?? null, overrides.get(`${r.ruleId}|${r.dueAt}`) ?? null, decide),
        );
        // The same key twice in one batch: only the first is attempted.
        const firstOfKey = new Map<string, Plan>();
        for (const p of plans) if (!firstOfKey.has(p.key)) firstOfKey.set(p.key, p);
        await insertIgnoringDuplicates(
          db,
          q,
          [...firstOfKey.values()].map((p) => p.firing),
        );
        // Ours are the rows carrying the ids we generated; only the others are read in full.
        const owners = await findOwners(db, q, requests);
        const mine = (p: Plan) => owners.get(p.key) === p.firing.id;
        const others = await findByKeys(
          db,
          q,
          plans.filter((p) => !mine(p)).map((p) => p.request),
        );
        // A manual trigger is a change made by someone: on the rule's record, with the claim.
        await appendRuleHistory(
          db,
          q,
          plans
            .filter((p) => p.request.manual !== undefined && mine(p))
            .map((p) => ({
              ruleId: p.request.ruleId,
              at: p.request.claimedAt,
              actor: p.request.manual!.by,
              action: 'triggered' as const,
              reason: p.request.manual!.reason,
              changes: null,
              details: {
                firing_id: p.firing.id,
                // Forced: it fired although the rule was disabled.
                forced: p.request.manual!.forced && p.rule !== null && !p.rule.enabled,
                ...(p.reason === null ? {} : { skipped: p.reason }),
              },
            })),
        );
        return plans.map((p): ClaimResult => {
          if (!mine(p)) {
            const existing = others.get(p.key) ?? null;
            // Claimed by this very request before (its commit went through, the answer was lost,
            // and the claim is tried again with the same request id): it is ours.
            if (
              existing?.status === 'claimed' &&
              existing.requestId === p.request.requestId &&
              p.rule !== null
            )
              return { status: 'claimed', firing: existing, rule: p.rule };
            return { status: 'already_claimed', existing };
          }
          if (p.reason !== null) return { status: 'skipped', firing: p.firing, reason: p.reason };
          return { status: 'claimed', firing: p.firing, rule: p.rule as Rule };
        });
      });
    },

    async recordOutcomes(outcomes: FiringOutcome[]): Promise<void> {
      if (outcomes.length === 0) return;
      await db.tx('record firing outcomes', (q) => updateOutcomes(db, q, outcomes));
    },

    async recordHistory(records: HistoryRecord[]): Promise<number> {
      if (records.length === 0) return 0;
      const ids = [...new Set(records.map((r) => r.ruleId))];
      const names = new Map<string, string>();
      for (let i = 0; i < ids.length; i += NAME_CHUNK) {
        const rows = await db.read('read rule names', (q) =>
          q.rows<{ id: string; name: string }>(
            sql`SELECT id, name FROM rules WHERE id IN (${ids.slice(i, i + NAME_CHUNK)})`,
          ),
        );
        for (const row of rows) names.set(String(row.id), String(row.name));
      }
      const firings: Firing[] = records.map((r) => ({
        id: randomUUID(),
        ruleId: r.ruleId,
        dueAt: r.dueAt,
        fireAt: r.fireAt,
        trigger: r.trigger,
        ruleName: names.get(r.ruleId) ?? null,
        triggeredBy: null,
        status: r.status,
        requestId: null,
        request: null,
        response: null,
        rmfTaskId: null,
        error: r.error,
        attempts: 0,
        claimedAt: r.recordedAt,
        publishedAt: null,
        respondedAt: null,
        replicaId: r.replicaId,
        taskState: null,
        cancel: null,
        dispatch: null,
      }));
      return db.tx('record firing history', async (q) => {
        await insertIgnoringDuplicates(db, q, firings);
        const owners = await findOwners(db, q, firings);
        const ours = new Set(firings.map((f) => f.id));
        let inserted = 0;
        for (const id of owners.values()) if (ours.has(id)) inserted++;
        return inserted;
      });
    },

    async listUnresolved(): Promise<Firing[]> {
      const rows = await db.read('list unresolved firings', (q) =>
        q.rows<Row>(sql`SELECT ${cols} FROM firings WHERE status = 'claimed' ORDER BY due_at, id`),
      );
      return rows.map(firingFromRow);
    },

    async get(id: string): Promise<Firing> {
      const rows = await db.read('read firing', (q) =>
        q.rows<Row>(sql`SELECT ${cols} FROM firings WHERE id = ${id}`),
      );
      if (!rows[0]) throw new DomainError('NOT_FOUND', `Firing ${id} does not exist`, { id });
      return firingFromRow(rows[0]);
    },

    async find(ruleId, dueAt, trigger): Promise<Firing | null> {
      const rows = await db.read('read firing', (q) =>
        q.rows<Row>(
          sql`SELECT ${cols} FROM firings WHERE rule_id = ${ruleId} AND trigger_kind = ${trigger} AND due_at = ${dueAt}`,
        ),
      );
      return rows[0] ? firingFromRow(rows[0]) : null;
    },

    async list(query: FiringQuery): Promise<Page<Firing>> {
      const limit = Math.max(0, Math.trunc(query.limit));
      const offset = Math.max(0, Math.trunc(query.offset));
      if (query.status !== undefined && query.status.length === 0)
        return { items: [], total: 0, limit, offset };
      const where: RawSql[] = [];
      if (query.ruleId !== undefined) where.push(sql`rule_id = ${query.ruleId}`);
      if (query.status !== undefined) where.push(sql`status IN (${query.status})`);
      if (query.rmfTaskId !== undefined) where.push(sql`rmf_task_id = ${query.rmfTaskId}`);
      if (query.ruleName !== undefined) where.push(sql`rule_name = ${query.ruleName}`);
      if (query.from !== undefined) where.push(sql`due_at >= ${query.from}`);
      if (query.to !== undefined) where.push(sql`due_at < ${query.to}`);
      if (query.firesAfter !== undefined) where.push(sql`fire_at > ${query.firesAfter}`);
      const dir = query.order === 'desc' ? 'DESC' : 'ASC';
      return list(where, `due_at ${dir}, id ${dir}`, limit, offset);
    },

    async listInWindow(from: number, to: number, ruleIds?: string[]): Promise<Firing[]> {
      if (ruleIds !== undefined && ruleIds.length === 0) return [];
      const filter = ruleIds === undefined ? raw('') : sql`AND rule_id IN (${ruleIds})`;
      const rows = await db.read('list firings', (q) =>
        q.rows<Row>(
          sql`SELECT ${cols} FROM firings WHERE due_at >= ${from} AND due_at < ${to} ${filter} ORDER BY due_at, id`,
        ),
      );
      return rows.map(firingFromRow);
    },

    async setCancel(firingId: string, cancel: FiringCancel): Promise<Firing> {
      const rows = await db.tx('record a cancellation', async (q) => {
        await q.run(sql`UPDATE firings SET cancel = ${toJsonOrNull(cancel)} WHERE id = ${firingId}`);
        return q.rows<Row>(sql`SELECT ${cols} FROM firings WHERE id = ${firingId}`);
      });
      if (!rows[0]) throw new DomainError('NOT_FOUND', `Firing ${firingId} does not exist`, { id: firingId });
      return firingFromRow(rows[0]);
    },

    async recordDispatch(rmfTaskId: string, since: number, dispatch: FiringDispatch): Promise<Firing[]> {
      return db.tx('record a dispatch state', async (q) => {
        const rows = await q.rows<Row>(
          sql`SELECT ${cols} FROM firings WHERE rmf_task_id = ${rmfTaskId} AND responded_at >= ${since}`,
        );
        const changed = rows.map(firingFromRow).filter((f) => !sameDispatch(f.dispatch, dispatch));
        for (const f of changed) {
          await q.run(sql`UPDATE firings SET dispatch_state = ${toJsonOrNull(dispatch)} WHERE id = ${f.id}`);
        }
        return changed.map((f) => ({ ...f, dispatch }));
      });
    },

    async reopenForResend(firingId: string, fireAt: number, requestId: string): Promise<Firing | null> {
      const rows = await db.tx('reopen a firing to send it again', async (q) => {
        await q.run(sql`UPDATE firings SET status = 'claimed', fire_at = ${fireAt}, request_id = ${requestId},
          rmf_task_id = NULL, response = NULL, error = NULL, published_at = NULL, responded_at = NULL,
          dispatch_state = NULL, task_state = NULL
          WHERE id = ${firingId} AND status = 'dispatched'`);
        return q.rows<Row>(sql`SELECT ${cols} FROM firings WHERE id = ${firingId} AND status = 'claimed'`);
      });
      return rows[0] ? firingFromRow(rows[0]) : null;
    },

    async updateTaskState(rmfTaskId: string, state: unknown): Promise<void> {
      await db.write('record task state', (q) =>
        q.run(sql`UPDATE firings SET task_state = ${toJsonOrNull(state)} WHERE rmf_task_id = ${rmfTaskId}`),
      );
    },
  };
}

/** Same status, fleet, robot and errors: the dispatcher republishes its states every 2 s. */
function sameDispatch(a: FiringDispatch | null, b: FiringDispatch): boolean {
  return (
    a !== null &&
    a.status === b.status &&
    a.fleet === b.fleet &&
    a.robot === b.robot &&
    a.errors.length === b.errors.length &&
    a.errors.every((e, i) => e === b.errors[i])
  );
}
