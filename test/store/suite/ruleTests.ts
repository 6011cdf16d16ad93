/** Rules: CRUD with versions, names, lists and pagination, the change feed. */
import type { Rule } from '../../../src/rules/Rule.js';
import type { DomainError } from '../../../src/rules/errors.js';
import type { Store } from '../../../src/runtime/ports.js';
import type { TestDialect } from '../../helpers/testDb.js';
import { claimRequest, claimUnlessDisabled, newRule, T0, unique } from '../fixtures.js';
import { isCode, NOW, test } from './context.js';

export function ruleTests(dialect: TestDialect): void {
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

  test('creates arriving together commit together; a failing one fails alone', async (t) => {
    const { store } = t.context;
    const label = unique('batch-');
    const taken = await store.rules.create(newRule());
    const before = await store.rules.latestChangeSeq();
    const results = await Promise.allSettled([
      store.rules.create(newRule({ labels: [label] })),
      store.rules.create(newRule({ name: taken.name, labels: [label] })),
      store.rules.create(newRule({ labels: [label, 'second'] })),
      store.rules.create(newRule({ id: taken.id, labels: [label] })),
      store.rules.create(newRule({ labels: [label] })),
    ]);
    t.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
    );
    const reason = (i: number) => (results[i] as PromiseRejectedResult).reason as DomainError;
    t.true(isCode('ALREADY_EXISTS')(reason(1)));
    t.is(reason(1).details?.field, 'name');
    t.true(isCode('ALREADY_EXISTS')(reason(3)));
    t.is(reason(3).details?.field, 'id');
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const rule of ok) t.deepEqual(await store.rules.get(rule.id), rule);
    const listed = await store.rules.list({ label, limit: 10, offset: 0 });
    t.is(listed.total, 3);
    t.deepEqual(listed.items.map((r) => r.id).sort(), ok.map((r) => r.id).sort());
    t.deepEqual(await store.rules.get(taken.id), taken);
    const changes = (await store.rules.changesSince(before, 10_000)).filter((c) =>
      ok.some((r) => r.id === c.ruleId),
    );
    t.deepEqual(changes.map((c) => c.ruleId).sort(), ok.map((r) => r.id).sort());
    t.true(changes.every((c) => c.kind === 'upsert'));
  });

  test('creates, updates and deletes arriving together all commit, each with its change row', async (t) => {
    const { store } = t.context;
    const label = unique('together-');
    const old = await store.rules.create(newRule({ labels: [label] }));
    const gone = await store.rules.create(newRule({ labels: [label] }));
    const before = await store.rules.latestChangeSeq();
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.rules.create(newRule({ labels: [label, `n${i}`] }))),
    );
    const [, , updated] = await Promise.all([
      store.rules.create(newRule({ labels: [label] })),
      store.rules.delete(gone.id, 1),
      store.rules.update(old.id, 1, { description: 'changed' }),
    ]);
    for (const rule of created) t.deepEqual(await store.rules.get(rule.id), rule);
    t.is((await store.rules.list({ label: 'n3', limit: 10, offset: 0 })).items[0]?.id, created[3]!.id);
    t.is((await store.rules.list({ label, limit: 1, offset: 0 })).total, 8);
    t.deepEqual(await store.rules.get(old.id), updated);
    // (Other tests may write to the same database meanwhile.)
    const ours = new Set([old.id, gone.id, ...created.map((r) => r.id)]);
    const changes = (await store.rules.changesSince(before, 10_000)).filter((c) => ours.has(c.ruleId));
    t.deepEqual(
      changes.slice(0, 6).map((c) => c.ruleId),
      created.map((r) => r.id),
      'in submission order, one each',
    );
    t.deepEqual(
      changes.slice(6).map((c) => [c.ruleId, c.kind]),
      [
        [gone.id, 'delete'],
        [old.id, 'upsert'],
      ],
    );
  });

  test('updates and deletes arriving together: a stale or missing one fails alone', async (t) => {
    const { store } = t.context;
    const a = await store.rules.create(newRule());
    const b = await store.rules.create(newRule());
    const c = await store.rules.create(newRule());
    const results = await Promise.allSettled([
      store.rules.update(a.id, 1, { description: 'first' }),
      store.rules.update(a.id, 1, { description: 'second' }),
      store.rules.delete(b.id, 1),
      store.rules.delete('bbbbbbbb-0000-4000-8000-000000000000', null),
      store.rules.update(c.id, null, { labels: ['after'] }),
    ]);
    t.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
    );
    t.true(isCode('VERSION_CONFLICT')((results[1] as PromiseRejectedResult).reason));
    t.true(isCode('RULE_NOT_FOUND')((results[3] as PromiseRejectedResult).reason));
    t.is((await store.rules.get(a.id)).description, 'first');
    t.is((await store.rules.get(a.id)).version, 2);
    t.is(await store.rules.find(b.id), null);
    t.deepEqual((await store.rules.get(c.id)).labels, ['after']);
  });

  test('the total of a list follows creates and deletes', async (t) => {
    const { store } = t.context;
    const label = unique('total-');
    const a = await store.rules.create(newRule({ labels: [label] }));
    t.is((await store.rules.list({ label, limit: 1, offset: 0 })).total, 1);
    t.is((await store.rules.list({ label, limit: 1, offset: 0 })).total, 1);
    await store.rules.create(newRule({ labels: [label] }));
    t.is((await store.rules.list({ label, limit: 1, offset: 0 })).total, 2);
    await store.rules.delete(a.id, null);
    t.is((await store.rules.list({ label, limit: 1, offset: 0 })).total, 1);
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
    const heads = async (q: Parameters<Store['rules']['listHeads']>[0]) =>
      (await store.rules.listHeads(q)).map((r) => r.id).sort();
    t.deepEqual(await heads({ label }), [a.id, b.id].sort(), 'heads filter alike');
    t.deepEqual(await heads({ label, enabled: false }), [b.id]);
    t.deepEqual(await heads({ nameContains: `${tag}_`.toLowerCase() }), [b.id]);
    t.deepEqual(await heads({ nameContains: tag, ids: [c.id, a.id] }), [a.id, c.id].sort());
    t.deepEqual(await heads({ ids: [] }), []);
    const [head] = await store.rules.listHeads({ ids: [b.id] });
    t.deepEqual(head, { id: b.id, name: b.name, enabled: false, version: 1, schedule: b.schedule });
    const odd = await store.rules.create(newRule({ name: unique('tab\tnew\nline "q" \\ ü 🧹 ') }));
    const [oddHead] = await store.rules.listHeads({ ids: [odd.id] });
    t.deepEqual(oddHead, { id: odd.id, name: odd.name, enabled: true, version: 1, schedule: odd.schedule });
    await store.rules.update(c.id, null, { labels: [label] });
    await store.rules.update(a.id, null, { labels: ['x'] });
    t.deepEqual(await names({ label }), [b.id, c.id].sort());
    t.deepEqual(await heads({ label }), [b.id, c.id].sort());
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
}
