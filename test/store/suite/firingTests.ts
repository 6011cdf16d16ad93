/** Firings: the claim, outcomes, history, queries, the start-up load, and racing connections. */
import type { Rule } from '../../../src/rules/Rule.js';
import type { FiringOutcome, Store } from '../../../src/runtime/ports.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/openStore.js';
import type { TestDialect } from '../../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0 } from '../fixtures.js';
import { isCode, NOW, test } from './context.js';

export function firingTests(dialect: TestDialect): void {
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
      createdAt: a.createdAt,
    });
    t.deepEqual(entries.get(b.id), {
      id: b.id,
      version: 1,
      enabled: false,
      schedule: b.schedule,
      leadTimeMs: 5,
      misfire: { policy: 'skip', graceMs: 0 },
      lastDueAt: null,
      createdAt: b.createdAt,
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
}
