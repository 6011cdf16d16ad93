/**
 * The store's behaviour, as one suite run against every dialect (sqliteMemory.test.ts,
 * sqliteFile.test.ts, postgres.test.ts, mariadb.test.ts, mysql.test.ts).
 */
import anyTest from 'ava';
import type { TestFn } from 'ava';
import { DomainError } from '../../src/rules/errors.js';
import type { Rule } from '../../src/rules/Rule.js';
import type { FiringOutcome, Store } from '../../src/runtime/ports.js';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/openStore.js';
import type { TestDatabase, TestDialect } from '../helpers/testDb.js';
import { adminQuery, createTestDatabase } from '../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0, unique } from './fixtures.js';

interface Ctx {
  db: TestDatabase;
  store: Store;
}

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

const isCode = (code: DomainError['code']) => (e: unknown) => e instanceof DomainError && e.code === code;

export function repositorySuite(dialect: TestDialect): void {
  const test = anyTest as TestFn<Ctx>;

  test.before(async (t) => {
    const db = await createTestDatabase(dialect);
    const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger, clock: { now: () => NOW } });
    t.context = { db, store };
  });

  test.after.always(async (t) => {
    await t.context.store?.close();
    await t.context.db?.drop();
  });

  test('a rule comes back exactly as created, JSON included', async (t) => {
    const { store } = t.context;
    const input = newRule();
    const created = await store.rules.create(input);
    t.deepEqual(created, { ...input, id: created.id, createdAt: NOW, updatedAt: NOW, version: 1 });
    t.regex(created.id, /^[0-9a-f-]{36}$/);
    t.deepEqual(await store.rules.get(created.id), created);
    t.deepEqual(await store.rules.find(created.id), created);
    const withId = await store.rules.create(
      newRule({ id: '11111111-2222-4333-8444-' + unique('').padEnd(12, '0').slice(0, 12) }),
    );
    t.deepEqual(
      (await store.rules.getMany([withId.id, created.id, 'ffffffff-0000-4000-8000-000000000000']))
        .map((r) => r.id)
        .sort(),
      [created.id, withId.id].sort(),
    );
    t.is(store.dialect, dialect.startsWith('sqlite') ? 'sqlite' : dialect);
    await t.notThrowsAsync(store.ping());
  });

  test('a missing rule is RULE_NOT_FOUND (get, update, delete) and null (find)', async (t) => {
    const { store } = t.context;
    const id = 'aaaaaaaa-0000-4000-8000-000000000000';
    const err = await t.throwsAsync(store.rules.get(id));
    t.true(isCode('RULE_NOT_FOUND')(err));
    t.is(await store.rules.find(id), null);
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(store.rules.update(id, null, { description: 'x' }))));
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(store.rules.delete(id, null))));
  });

  test('a taken name is ALREADY_EXISTS naming the field, and nothing changes', async (t) => {
    const { store } = t.context;
    const a = await store.rules.create(newRule());
    const b = await store.rules.create(newRule());
    const dup = await t.throwsAsync(store.rules.create(newRule({ name: a.name })));
    t.true(isCode('ALREADY_EXISTS')(dup));
    t.is((dup as DomainError).details?.field, 'name');
    const rename = await t.throwsAsync(store.rules.update(b.id, b.version, { name: a.name }));
    t.true(isCode('ALREADY_EXISTS')(rename));
    t.is((rename as DomainError).details?.field, 'name');
    t.deepEqual(await store.rules.get(b.id), b);
    const sameId = await t.throwsAsync(store.rules.create(newRule({ id: a.id })));
    t.is((sameId as DomainError).details?.field, 'id');
    t.true(
      isCode('INVALID_INPUT')(await t.throwsAsync(store.rules.create(newRule({ name: 'x'.repeat(151) })))),
    );
  });

  test('updates bump the version; a stale version is VERSION_CONFLICT with expected and actual', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    const v2 = await store.rules.update(rule.id, 1, {
      enabled: false,
      disabledReason: 'maintenance',
      schedule: {
        kind: 'once',
        timezone: 'UTC',
        start: '2026-01-01T00:00:00',
        end: null,
        count: null,
        at: '2026-05-01T10:00:00',
      },
      metadata: { replaced: true },
      retry: null,
    });
    t.is(v2.version, 2);
    t.deepEqual(await store.rules.get(rule.id), v2);
    t.is(v2.disabledReason, 'maintenance');
    t.is(v2.retry, null);
    t.is(v2.name, rule.name);
    const err = await t.throwsAsync(store.rules.update(rule.id, 1, { description: 'late' }));
    t.true(isCode('VERSION_CONFLICT')(err));
    t.deepEqual(
      { expected: (err as DomainError).details?.expected, actual: (err as DomainError).details?.actual },
      { expected: 1, actual: 2 },
    );
    t.is((await store.rules.get(rule.id)).description, rule.description);
    const v3 = await store.rules.update(rule.id, null, { description: 'unconditional' });
    t.is(v3.version, 3);
    t.true(isCode('VERSION_CONFLICT')(await t.throwsAsync(store.rules.delete(rule.id, 2))));
  });

  test('delete removes the rule and its overrides but keeps its firing history', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    await store.overrides.set({
      ruleId: rule.id,
      occurrenceAt: T0,
      action: 'disabled',
      movedTo: null,
      reason: null,
      by: null,
      updatedAt: NOW,
    });
    const [claim] = await store.firings.claimBatch([claimRequest(rule.id, T0 + 1)], claimUnlessDisabled);
    t.is(claim?.status, 'claimed');
    await store.rules.delete(rule.id, rule.version);
    t.is(await store.rules.find(rule.id), null);
    t.is(await store.overrides.get(rule.id, T0), null);
    t.is((await store.firings.find(rule.id, T0 + 1, 'schedule'))?.status, 'claimed');
    t.deepEqual(
      (await store.rules.list({ label: 'cleaning', ids: [rule.id], limit: 10, offset: 0 })).total,
      0,
    );
  });

  test('lists filter by label, enabled, name (case-insensitive, literal % and _) and ids', async (t) => {
    const { store } = t.context;
    const label = unique('lbl-');
    const tag = unique('Tag');
    const a = await store.rules.create(newRule({ name: `Alpha ${tag} 100%`, labels: [label, 'x'] }));
    const b = await store.rules.create(newRule({ name: `beta ${tag}_b`, labels: [label], enabled: false }));
    const c = await store.rules.create(
      newRule({ name: `gamma ${tag}`, labels: ['other', label + 'suffix'] }),
    );
    const names = async (q: Partial<Parameters<Store['rules']['list']>[0]>) =>
      (await store.rules.list({ limit: 50, offset: 0, ...q })).items.map((r) => r.id).sort();
    t.deepEqual(await names({ label }), [a.id, b.id].sort());
    t.deepEqual(await names({ label, enabled: true }), [a.id]);
    t.deepEqual(await names({ label, enabled: false }), [b.id]);
    t.deepEqual(await names({ nameContains: tag.toUpperCase() }), [a.id, b.id, c.id].sort());
    t.deepEqual(await names({ nameContains: `${tag} 100%`.toLowerCase() }), [a.id]);
    t.deepEqual(await names({ nameContains: `${tag}_`.toLowerCase() }), [b.id]);
    t.deepEqual(await names({ nameContains: tag, ids: [c.id, a.id] }), [a.id, c.id].sort());
    t.deepEqual(await names({ ids: [] }), []);
    t.deepEqual(await names({ label: label.toUpperCase() }), [], 'labels match exactly');
    await store.rules.update(c.id, null, { labels: [label] });
    await store.rules.update(a.id, null, { labels: ['x'] });
    t.deepEqual(await names({ label }), [b.id, c.id].sort());
  });

  test('pagination is stable: ties are broken by id, every rule appears exactly once', async (t) => {
    const { store } = t.context;
    const label = unique('page-');
    const created: Rule[] = [];
    for (let i = 0; i < 7; i++) created.push(await store.rules.create(newRule({ labels: [label] })));
    for (const sort of ['created_at', '-created_at', 'name', 'updated_at'] as const) {
      const seen: string[] = [];
      for (let offset = 0; offset < 9; offset += 3) {
        const page = await store.rules.list({ label, sort, limit: 3, offset });
        t.is(page.total, 7);
        t.is(page.limit, 3);
        t.is(page.offset, offset);
        seen.push(...page.items.map((r) => r.id));
      }
      t.is(seen.length, 7);
      t.is(new Set(seen).size, 7);
      const ids = created.map((r) => r.id).sort();
      if (sort === 'created_at' || sort === 'updated_at') t.deepEqual(seen, ids);
      if (sort === '-created_at') t.deepEqual(seen, [...ids].reverse());
      if (sort === 'name')
        t.deepEqual(
          seen,
          [...created].sort((x, y) => (x.name < y.name ? -1 : 1)).map((r) => r.id),
        );
    }
  });

  test('every mutation appends to the change feed, in order', async (t) => {
    const { store } = t.context;
    const before = await store.rules.latestChangeSeq();
    const rule = await store.rules.create(newRule());
    await store.rules.update(rule.id, null, { enabled: false });
    await store.overrides.set({
      ruleId: rule.id,
      occurrenceAt: T0,
      action: 'deleted',
      movedTo: null,
      reason: 'holiday',
      by: 'bob',
      updatedAt: NOW,
    });
    await store.overrides.clear(rule.id, T0);
    await store.rules.delete(rule.id, null);
    const changes = (await store.rules.changesSince(before, 10_000)).filter((c) => c.ruleId === rule.id);
    t.deepEqual(
      changes.map((c) => c.kind),
      ['upsert', 'upsert', 'override', 'override', 'delete'],
    );
    const seqs = changes.map((c) => c.seq);
    t.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
    );
    t.true(seqs.every((s) => s > before));
    t.true((await store.rules.latestChangeSeq()) >= (seqs.at(-1) ?? 0));
    const limited = await store.rules.changesSince(before, 2);
    t.is(limited.length, 2);
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(store.rules.update(rule.id, null, {}))));
  });

  test('occurrence overrides: set, replace, window (original or moved instant), clear', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    const H = 3_600_000;
    const moved = {
      ruleId: rule.id,
      occurrenceAt: T0,
      action: 'moved' as const,
      movedTo: T0 + 10 * H,
      reason: 'later',
      by: 'carol',
      updatedAt: NOW,
    };
    t.deepEqual(await store.overrides.set(moved), moved);
    t.deepEqual(await store.overrides.get(rule.id, T0), moved);
    const disabled = {
      ruleId: rule.id,
      occurrenceAt: T0 + 24 * H,
      action: 'disabled' as const,
      movedTo: 5,
      reason: null,
      by: null,
      updatedAt: NOW,
    };
    t.deepEqual(await store.overrides.set(disabled), { ...disabled, movedTo: null });
    const inWindow = async (from: number, to: number) =>
      (await store.overrides.listInWindow(from, to, [rule.id])).map((o) => o.occurrenceAt);
    t.deepEqual(await inWindow(T0, T0 + 1), [T0], 'by original instant');
    t.deepEqual(await inWindow(T0 + 9 * H, T0 + 11 * H), [T0], 'by moved instant');
    t.deepEqual(await inWindow(T0 + 11 * H, T0 + 25 * H), [T0 + 24 * H]);
    t.deepEqual(await inWindow(T0 + 1, T0 + 9 * H), []);
    t.deepEqual(await store.overrides.listInWindow(T0, T0 + 1, []), []);
    t.true((await store.overrides.listInWindow(T0, T0 + 1)).some((o) => o.ruleId === rule.id));
    t.deepEqual(
      (await store.overrides.listForRule(rule.id, T0 + 5 * H)).map((o) => o.occurrenceAt),
      [T0, T0 + 24 * H],
    );
    t.deepEqual(
      (await store.overrides.listForRule(rule.id, T0 + 20 * H)).map((o) => o.occurrenceAt),
      [T0 + 24 * H],
    );
    await store.overrides.set({ ...moved, action: 'disabled', movedTo: null });
    t.is((await store.overrides.get(rule.id, T0))?.action, 'disabled');
    await store.overrides.clear(rule.id, T0);
    await store.overrides.clear(rule.id, T0);
    t.is(await store.overrides.get(rule.id, T0), null);
    const missing = { ...moved, ruleId: 'bbbbbbbb-0000-4000-8000-000000000000' };
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(store.overrides.set(missing))));
  });

  test('claimBatch claims, skips per the decider, and answers already_claimed for taken keys', async (t) => {
    const { store } = t.context;
    const on = await store.rules.create(newRule());
    const off = await store.rules.create(newRule({ enabled: false }));
    await store.overrides.set({
      ruleId: on.id,
      occurrenceAt: T0 + 2,
      action: 'deleted',
      movedTo: null,
      reason: null,
      by: null,
      updatedAt: NOW,
    });
    const requests = [
      claimRequest(on.id, T0),
      claimRequest(off.id, T0),
      claimRequest(on.id, T0 + 2),
      claimRequest('cccccccc-0000-4000-8000-000000000000', T0),
      claimRequest(on.id, T0, { trigger: 'manual' }),
      claimRequest(on.id, T0),
    ];
    const seen: Array<[string, string | null]> = [];
    const results = await store.firings.claimBatch(requests, (claim, rule, override) => {
      seen.push([claim.ruleId, override?.action ?? null]);
      return claimUnlessDisabled(claim, rule, override);
    });
    t.deepEqual(
      results.map((r) => r.status),
      ['claimed', 'skipped', 'skipped', 'skipped', 'claimed', 'already_claimed'],
    );
    t.deepEqual(seen[2], [on.id, 'deleted']);
    const first = results[0];
    if (first?.status !== 'claimed') return t.fail();
    t.deepEqual(first.rule, on);
    t.like(first.firing, {
      ruleId: on.id,
      dueAt: T0,
      fireAt: T0,
      trigger: 'schedule',
      status: 'claimed',
      requestId: requests[0]?.requestId,
      attempts: 0,
      claimedAt: T0 + 5,
      replicaId: 'replica-a',
    });
    const dup = results[5];
    t.is(dup?.status === 'already_claimed' ? dup.existing?.id : undefined, first.firing.id);
    const skipped = results[1];
    t.deepEqual(
      skipped?.status === 'skipped' ? [skipped.reason, skipped.firing.error, skipped.firing.status] : [],
      ['rule disabled', 'rule disabled', 'skipped'],
    );
    t.is(results[3]?.status === 'skipped' ? results[3].reason : '', 'rule deleted');

    const again = await store.firings.claimBatch(
      [claimRequest(on.id, T0), claimRequest(off.id, T0), claimRequest(on.id, T0 + 7)],
      claimUnlessDisabled,
    );
    t.deepEqual(
      again.map((r) => r.status),
      ['already_claimed', 'already_claimed', 'claimed'],
    );
    const prior = again[0];
    t.is(prior?.status === 'already_claimed' ? prior.existing?.id : undefined, first.firing.id);
    t.deepEqual(await store.firings.claimBatch([], claimUnlessDisabled), []);
    const decidedClaimNoRule = await store.firings.claimBatch(
      [claimRequest('dddddddd-0000-4000-8000-000000000000', T0)],
      () => ({ action: 'claim' }),
    );
    t.is(decidedClaimNoRule[0]?.status, 'skipped', 'a claim needs a rule');
  });

  test('outcomes update claimed rows only; requests and answers round-trip as JSON', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    const [r1, r2] = await store.firings.claimBatch(
      [claimRequest(rule.id, T0), claimRequest(rule.id, T0 + 1)],
      claimUnlessDisabled,
    );
    t.is(r1?.status, 'claimed');
    const request = {
      type: 'dispatch_task_request',
      request: { category: 'clean', description: { zone: 'é"\'\\' } },
    };
    const response = {
      success: true,
      state: { booking: { id: 'clean.dispatch-7' } },
      n: 1.5,
      arr: [null, true],
    };
    const outcome: FiringOutcome = {
      ruleId: rule.id,
      dueAt: T0,
      trigger: 'schedule',
      status: 'dispatched',
      requestId: null,
      request,
      response,
      rmfTaskId: 'clean.dispatch-7',
      error: null,
      attempts: 1,
      publishedAt: T0 + 10,
      respondedAt: T0 + 50,
    };
    await store.firings.recordOutcomes([
      outcome,
      {
        ...outcome,
        dueAt: T0 + 1,
        status: 'timed_out',
        response: null,
        rmfTaskId: null,
        error: 'no answer',
        attempts: 2,
        respondedAt: null,
      },
    ]);
    await store.firings.recordOutcomes([{ ...outcome, status: 'failed', error: 'too late' }]);
    const f1 = await store.firings.find(rule.id, T0, 'schedule');
    t.like(f1, {
      status: 'dispatched',
      request,
      response,
      rmfTaskId: 'clean.dispatch-7',
      error: null,
      attempts: 1,
      publishedAt: T0 + 10,
      respondedAt: T0 + 50,
    });
    t.is(f1?.requestId, r1?.status === 'claimed' ? r1.firing.requestId : 'x', 'request id kept');
    t.like(await store.firings.find(rule.id, T0 + 1, 'schedule'), {
      status: 'timed_out',
      error: 'no answer',
      attempts: 2,
      response: null,
    });
    t.is(r2?.status, 'claimed');
    await store.firings.updateTaskState('clean.dispatch-7', {
      status: 'completed',
      phases: { 1: { id: 1 } },
    });
    t.deepEqual((await store.firings.get(f1?.id ?? ''))?.taskState, {
      status: 'completed',
      phases: { 1: { id: 1 } },
    });
    t.true(
      isCode('NOT_FOUND')(await t.throwsAsync(store.firings.get('00000000-0000-4000-8000-00000000000f'))),
    );
    t.is(await store.firings.find(rule.id, T0, 'manual'), null);
  });

  test('history rows are inserted once; unresolved claims are listed', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    await store.firings.claimBatch([claimRequest(rule.id, T0)], claimUnlessDisabled);
    const missed = (dueAt: number) => ({
      ruleId: rule.id,
      dueAt,
      fireAt: dueAt,
      trigger: 'schedule' as const,
      status: 'missed' as const,
      error: 'service was down',
      replicaId: 'r',
      recordedAt: NOW,
    });
    t.is(await store.firings.recordHistory([missed(T0 - 2), missed(T0 - 1), missed(T0)]), 2);
    t.is(await store.firings.recordHistory([missed(T0 - 2), missed(T0 - 3)]), 1);
    t.is(await store.firings.recordHistory([]), 0);
    t.like(await store.firings.find(rule.id, T0 - 3, 'schedule'), {
      status: 'missed',
      error: 'service was down',
      claimedAt: NOW,
      requestId: null,
    });
    const unresolved = (await store.firings.listUnresolved()).filter((f) => f.ruleId === rule.id);
    t.deepEqual(
      unresolved.map((f) => f.dueAt),
      [T0],
    );
  });

  test('firing lists filter by rule, status and window, in either order, with totals', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    const other = await store.rules.create(newRule());
    const dues = [0, 1, 2, 3, 4, 5].map((i) => T0 + i * 1000);
    await store.firings.claimBatch(
      [...dues.map((d) => claimRequest(rule.id, d)), claimRequest(other.id, T0)],
      claimUnlessDisabled,
    );
    await store.firings.recordOutcomes(
      [1, 3].map((i) => ({
        ruleId: rule.id,
        dueAt: dues[i] ?? 0,
        trigger: 'schedule' as const,
        status: 'rejected' as const,
        requestId: null,
        request: null,
        response: { success: false },
        rmfTaskId: null,
        error: 'no fleet',
        attempts: 1,
        publishedAt: null,
        respondedAt: null,
      })),
    );
    const all = await store.firings.list({ ruleId: rule.id, order: 'asc', limit: 4, offset: 0 });
    t.is(all.total, 6);
    t.deepEqual(
      all.items.map((f) => f.dueAt),
      dues.slice(0, 4),
    );
    const desc = await store.firings.list({ ruleId: rule.id, order: 'desc', limit: 4, offset: 4 });
    t.deepEqual(
      desc.items.map((f) => f.dueAt),
      [dues[1], dues[0]],
    );
    const rejected = await store.firings.list({
      ruleId: rule.id,
      status: ['rejected', 'failed'],
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    t.deepEqual(
      rejected.items.map((f) => f.dueAt),
      [dues[1], dues[3]],
    );
    t.is(rejected.total, 2);
    const windowed = await store.firings.list({
      ruleId: rule.id,
      from: dues[2],
      to: dues[5],
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    t.deepEqual(
      windowed.items.map((f) => f.dueAt),
      dues.slice(2, 5),
    );
    t.is(
      (await store.firings.list({ ruleId: rule.id, status: [], order: 'asc', limit: 10, offset: 0 })).total,
      0,
    );
    const inWindow = await store.firings.listInWindow(T0, T0 + 2000, [rule.id, other.id]);
    t.deepEqual(
      inWindow.map((f) => [f.ruleId === rule.id, f.dueAt]).sort(),
      [
        [false, T0],
        [true, T0],
        [true, T0 + 1000],
      ].sort(),
    );
    t.deepEqual(await store.firings.listInWindow(T0, T0 + 2000, []), []);
    t.true((await store.firings.listInWindow(T0, T0 + 1)).length >= 2);
  });

  test('scheduling entries carry the newest scheduled due instant of each rule', async (t) => {
    const { store } = t.context;
    const a = await store.rules.create(newRule());
    const b = await store.rules.create(
      newRule({ enabled: false, leadTimeMs: 5, misfire: { policy: 'skip', graceMs: 0 } }),
    );
    await store.firings.claimBatch(
      [
        claimRequest(a.id, T0),
        claimRequest(a.id, T0 + 9),
        claimRequest(a.id, T0 + 99, { trigger: 'manual' }),
      ],
      claimUnlessDisabled,
    );
    await store.firings.recordHistory([
      {
        ruleId: a.id,
        dueAt: T0 + 50,
        fireAt: T0 + 50,
        trigger: 'schedule',
        status: 'missed',
        error: 'down',
        replicaId: 'r',
        recordedAt: NOW,
      },
    ]);
    const entries = new Map((await store.rules.loadSchedulingEntries()).map((e) => [e.id, e]));
    t.deepEqual(entries.get(a.id), {
      id: a.id,
      version: 1,
      enabled: true,
      schedule: a.schedule,
      leadTimeMs: a.leadTimeMs,
      misfire: a.misfire,
      lastDueAt: T0 + 50,
    });
    t.deepEqual(entries.get(b.id), {
      id: b.id,
      version: 1,
      enabled: false,
      schedule: b.schedule,
      leadTimeMs: 5,
      misfire: { policy: 'skip', graceMs: 0 },
      lastDueAt: null,
    });
  });

  test('two connections racing for the same 1,000 occurrences claim each exactly once', async (t) => {
    const { db, store } = t.context;
    const other =
      dialect === 'sqlite-memory'
        ? store
        : await openStore({ dbUrl: db.dbUrl, logger: silentLogger, migrate: false });
    try {
      const rules: Rule[] = [];
      for (let i = 0; i < 10; i++) rules.push(await store.rules.create(newRule()));
      const keys = rules.flatMap((r) =>
        Array.from({ length: 100 }, (_, i) => [r.id, T0 + i * 60_000] as const),
      );
      const run = async (s: Store, order: ReadonlyArray<readonly [string, number]>, replicaId: string) => {
        const claimed = new Map<string, string>();
        const taken: Array<string | null> = [];
        for (let i = 0; i < order.length; i += 100) {
          const batch = order.slice(i, i + 100).map(([id, due]) => claimRequest(id, due, { replicaId }));
          const results = await s.firings.claimBatch(batch, claimUnlessDisabled);
          results.forEach((r, j) => {
            const key = `${batch[j]?.ruleId}|${batch[j]?.dueAt}`;
            if (r.status === 'claimed') claimed.set(key, r.firing.id);
            else if (r.status === 'already_claimed') taken.push(r.existing?.id ?? null);
          });
        }
        return { claimed, taken };
      };
      const [x, y] = await Promise.all([run(store, keys, 'x'), run(other, [...keys].reverse(), 'y')]);
      t.is(x.claimed.size + y.claimed.size, 1000);
      t.true([...x.claimed.keys()].every((k) => !y.claimed.has(k)));
      const winners = new Set([...x.claimed.values(), ...y.claimed.values()]);
      t.is(x.taken.length + y.taken.length, 1000);
      t.true([...x.taken, ...y.taken].every((id) => id !== null && winners.has(id)));
      const stored = await store.firings.listInWindow(
        T0,
        T0 + 100 * 60_000,
        rules.map((r) => r.id),
      );
      t.is(stored.length, 1000);
      t.true(stored.every((f) => winners.has(f.id)));
    } finally {
      if (other !== store) await other.close();
    }
  });

  if (dialect !== 'sqlite-memory') {
    test('an unreadable row is INTERNAL naming table, row and column', async (t) => {
      const db = await createTestDatabase(dialect);
      const store = await openStore({ dbUrl: db.dbUrl, logger: silentLogger });
      try {
        const good = await store.rules.create(newRule());
        const kind = await store.rules.create(newRule());
        await adminQuery(
          db,
          `UPDATE rules SET schedule = '{"kind":"hourly","timezone":"UTC"}' WHERE id = '${kind.id}'`,
        );
        await adminQuery(db, `UPDATE rules SET metadata = 'not json' WHERE id = '${good.id}'`);
        const e1 = await t.throwsAsync(store.rules.get(kind.id));
        t.true(isCode('INTERNAL')(e1));
        t.like((e1 as DomainError).details, { table: 'rules', id: kind.id, column: 'schedule' });
        t.regex((e1 as Error).message, /rules row .* schedule .*unknown schedule kind/);
        const e2 = await t.throwsAsync(store.rules.list({ limit: 10, offset: 0 }));
        t.true(isCode('INTERNAL')(e2));
        t.true(isCode('INTERNAL')(await t.throwsAsync(store.rules.loadSchedulingEntries())));
        await adminQuery(
          db,
          `UPDATE rules SET metadata = '{}', schedule = '${JSON.stringify(good.schedule)}'`,
        );
        const [claim] = await store.firings.claimBatch([claimRequest(good.id, T0)], claimUnlessDisabled);
        const id = claim?.status === 'claimed' ? claim.firing.id : '';
        await adminQuery(db, `UPDATE firings SET request = '{broken' WHERE id = '${id}'`);
        const e3 = await t.throwsAsync(store.firings.get(id));
        t.like((e3 as DomainError).details, { table: 'firings', id, column: 'request' });
      } finally {
        await store.close();
        await db.drop();
      }
    });
  }
}
