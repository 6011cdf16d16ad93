import test from 'ava';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { Rule } from '../../src/rules/Rule.js';
import { DomainError } from '../../src/rules/errors.js';
import type { RuleChange, RuleWithOverrides } from '../../src/runtime/ports.js';
import { createRuleReadCache } from '../../src/runtime/ruleReadCache.js';

/**
 * A repository holding rules, overrides and the change feed in memory, counting its reads. Reads
 * of one kind can be held (`hold`) until `release`, so a test can commit a change while one is
 * under way; a held read has already read what it will return.
 */
function fakeRules() {
  const rules = new Map<string, Rule>();
  const overrides: OccurrenceOverride[] = [];
  const feed: RuleChange[] = [];
  const calls = { reads: 0, seqReads: 0, changeReads: 0 };
  type Kind = 'rule' | 'seq';
  let holding: Kind | null = null;
  const held: Array<() => void> = [];
  let failing: Error | null = null;
  const wait = async (kind: Kind) => {
    if (holding === kind) await new Promise<void>((go) => held.push(go));
    if (failing) throw failing;
  };
  const commit = (ruleId: string, kind: RuleChange['kind'] = 'upsert') =>
    feed.push({ seq: feed.length + 1, ruleId, kind });
  return {
    calls,
    put(id: string, name: string) {
      const version = (rules.get(id)?.version ?? 0) + 1;
      rules.set(id, { id, name, version } as unknown as Rule);
      commit(id);
    },
    override(o: Pick<OccurrenceOverride, 'ruleId' | 'occurrenceAt' | 'action' | 'movedTo'>) {
      overrides.push({ reason: null, by: null, updatedAt: 0, ...o });
      commit(o.ruleId, 'override');
    },
    /** Rewinds the feed as a restore from an older backup would. */
    restoreOlder(keep: number) {
      feed.splice(keep);
    },
    hold(kind: Kind) {
      holding = kind;
    },
    /** Lets the held reads go on, and holds no more. */
    release() {
      holding = null;
      for (const go of held.splice(0)) go();
    },
    fail(error: Error | null) {
      failing = error;
    },
    repo: {
      async getWithOverrides(id: string, from: number): Promise<RuleWithOverrides> {
        calls.reads++;
        const rule = rules.get(id);
        const read = {
          rule,
          overrides: overrides.filter(
            (o) => o.ruleId === id && (o.occurrenceAt >= from || (o.movedTo ?? -Infinity) >= from),
          ),
        };
        await wait('rule');
        if (!read.rule) throw new DomainError('RULE_NOT_FOUND', `Rule ${id} does not exist`, { id });
        return read as RuleWithOverrides;
      },
      async latestChangeSeq() {
        calls.seqReads++;
        const seq = feed.length;
        await wait('seq');
        return seq;
      },
      async changesSince(cursor: number, limit: number) {
        calls.changeReads++;
        return feed.slice(cursor, cursor + limit);
      },
    },
  };
}

test('a rule read again with nothing changed is answered from memory after one check of the feed', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  const first = await cache.getWithOverrides('r1', 0);
  const second = await cache.getWithOverrides('r1', 0);
  t.is(second.rule.name, 'patrol');
  t.is(second.rule, first.rule);
  t.is(f.calls.reads, 1);
  t.is(f.calls.seqReads, 2);
  t.like(cache.stats(), { hits: 1, misses: 1, size: 1 });
});

test('a change committed before a read began is in what the read returns', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  f.put('r2', 'clean');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  await cache.getWithOverrides('r2', 0);
  f.put('r1', 'patrol v2');
  t.is((await cache.getWithOverrides('r1', 0)).rule.name, 'patrol v2');
  t.is((await cache.getWithOverrides('r1', 0)).rule.version, 2);
  // Only the changed rule was read again.
  t.is((await cache.getWithOverrides('r2', 0)).rule.name, 'clean');
  t.is(f.calls.reads, 3);
});

test('an override set on a rule is in its next read', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  t.deepEqual((await cache.getWithOverrides('r1', 0)).overrides, []);
  f.override({ ruleId: 'r1', occurrenceAt: 1_000, action: 'disabled', movedTo: null });
  t.deepEqual(
    (await cache.getWithOverrides('r1', 0)).overrides.map((o) => o.occurrenceAt),
    [1_000],
  );
});

test('overrides that time has passed are left out of a later read answered from memory', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  f.override({ ruleId: 'r1', occurrenceAt: 1_000, action: 'disabled', movedTo: null });
  f.override({ ruleId: 'r1', occurrenceAt: 2_000, action: 'moved', movedTo: 9_000 });
  f.override({ ruleId: 'r1', occurrenceAt: 5_000, action: 'deleted', movedTo: null });
  const cache = createRuleReadCache(f.repo);
  t.is((await cache.getWithOverrides('r1', 500)).overrides.length, 3);
  const later = await cache.getWithOverrides('r1', 3_000);
  t.deepEqual(
    later.overrides.map((o) => o.occurrenceAt),
    [2_000, 5_000],
  );
  t.is(f.calls.reads, 1);
  // A read from before what was kept (the clock went back) reads the store.
  t.is((await cache.getWithOverrides('r1', 100)).overrides.length, 3);
  t.is(f.calls.reads, 2);
});

const settle = () => new Promise((go) => setImmediate(go));

test('reads arriving while a check runs share the next check', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  const checksBefore = f.calls.seqReads;
  f.hold('seq');
  const first = cache.getWithOverrides('r1', 0);
  const rest = Array.from({ length: 20 }, () => cache.getWithOverrides('r1', 0));
  f.release();
  // The check in flight when the 20 arrived began before them: they need one more, one for all.
  const all = await Promise.all([first, ...rest]);
  t.true(all.every((r) => r.rule.name === 'patrol'));
  t.is(f.calls.seqReads - checksBefore, 2);
  t.is(f.calls.reads, 1);
});

test('a read that waits on a check in flight sees a change committed after that check began', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  f.hold('seq');
  const before = cache.getWithOverrides('r1', 0); // its check has read the counter, and is held
  f.put('r1', 'patrol v2');
  const after = cache.getWithOverrides('r1', 0); // began after the change committed
  f.release();
  t.is((await before).rule.name, 'patrol');
  t.is((await after).rule.name, 'patrol v2');
});

test('a rule read from the store before a change committed is not kept', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  f.put('r2', 'clean');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r2', 0);
  f.hold('rule');
  const slow = cache.getWithOverrides('r1', 0);
  await settle(); // checked, and reading r1 from the store (it has read "patrol")
  f.put('r1', 'patrol v2');
  t.is((await cache.getWithOverrides('r2', 0)).rule.name, 'clean'); // its check sees the change
  f.release();
  t.is((await slow).rule.name, 'patrol');
  t.is((await cache.getWithOverrides('r1', 0)).rule.name, 'patrol v2');
});

test('a feed that went back (a restored store) drops everything kept', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  f.put('r1', 'patrol v2');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  f.restoreOlder(0);
  f.put('r1', 'patrol restored'); // seq 1 again, below what was seen
  t.is((await cache.getWithOverrides('r1', 0)).rule.name, 'patrol restored');
});

test('more changes than it reads one by one drop everything kept', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  for (let i = 0; i < 600; i++) f.put(`bulk-${i}`, 'bulk');
  f.put('r1', 'patrol v2');
  t.is((await cache.getWithOverrides('r1', 0)).rule.name, 'patrol v2');
  t.is(f.calls.changeReads, 0);
});

test('it keeps at most its capacity, dropping the least recently read', async (t) => {
  const f = fakeRules();
  for (const id of ['a', 'b', 'c']) f.put(id, id);
  const cache = createRuleReadCache(f.repo, 2);
  await cache.getWithOverrides('a', 0);
  await cache.getWithOverrides('b', 0);
  await cache.getWithOverrides('a', 0);
  await cache.getWithOverrides('c', 0); // drops b
  t.is(cache.stats().size, 2);
  const reads = f.calls.reads;
  await cache.getWithOverrides('a', 0);
  t.is(f.calls.reads, reads);
  await cache.getWithOverrides('b', 0);
  t.is(f.calls.reads, reads + 1);
});

test('a missing rule is an error each time, and is never kept', async (t) => {
  const f = fakeRules();
  const cache = createRuleReadCache(f.repo);
  await t.throwsAsync(cache.getWithOverrides('nope', 0), { message: /nope does not exist/ });
  f.put('nope', 'now it exists');
  t.is((await cache.getWithOverrides('nope', 0)).rule.name, 'now it exists');
});

test('when the feed cannot be read, the read fails (nothing unchecked is served) and the next one retries', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  const cache = createRuleReadCache(f.repo);
  await cache.getWithOverrides('r1', 0);
  f.fail(new Error('database is locked'));
  await t.throwsAsync(cache.getWithOverrides('r1', 0), { message: 'database is locked' });
  f.fail(null);
  t.is((await cache.getWithOverrides('r1', 0)).rule.name, 'patrol');
});

test('what a caller does to the overrides it got does not change what is kept', async (t) => {
  const f = fakeRules();
  f.put('r1', 'patrol');
  f.override({ ruleId: 'r1', occurrenceAt: 1_000, action: 'disabled', movedTo: null });
  const cache = createRuleReadCache(f.repo);
  (await cache.getWithOverrides('r1', 0)).overrides.length = 0;
  t.is((await cache.getWithOverrides('r1', 0)).overrides.length, 1);
});
