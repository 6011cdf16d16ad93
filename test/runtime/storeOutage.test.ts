/**
 * The store going away in the middle of a burst and coming back (simulated clock, a store that
 * fails while "down"): claims are tried again with the same request id until the store is back,
 * late claims follow the misfire policy, unwritten outcomes are kept and written afterwards. In
 * the end every occurrence has exactly one firing row in a final state and nothing is published
 * twice or without a durable claim.
 */
import test from 'ava';
import { DomainError } from '../../src/rules/errors.js';
import type { Store } from '../../src/runtime/ports.js';
import { at, once } from './support/fixtures.js';
import { createHarness } from './support/harness.js';

interface Outage {
  down: boolean;
  /** The next claim batch while down commits, then its answer is lost (it throws). */
  loseNextClaimAnswer: boolean;
  /** Likewise for the next outcome batch. */
  loseNextOutcomeAnswer: boolean;
  failedCalls: number;
  /** Rows committed while their answer was lost. */
  lostAnswers: number;
}

const unreachable = () =>
  new DomainError('STORE_UNAVAILABLE', 'The store cannot be reached (test): connect ECONNREFUSED');

/** The store, failing every firing write while `outage.down` (as a cut connection does). */
function cuttable(store: Store, outage: Outage): Store {
  const firings = store.firings;
  return {
    ...store,
    firings: {
      ...firings,
      async claimBatch(requests, decide) {
        if (!outage.down) return firings.claimBatch(requests, decide);
        outage.failedCalls++;
        if (outage.loseNextClaimAnswer) {
          outage.loseNextClaimAnswer = false;
          await firings.claimBatch(requests, decide);
          outage.lostAnswers += requests.length;
        }
        throw unreachable();
      },
      async recordOutcomes(outcomes) {
        if (!outage.down) return firings.recordOutcomes(outcomes);
        outage.failedCalls++;
        if (outage.loseNextOutcomeAnswer) {
          outage.loseNextOutcomeAnswer = false;
          await firings.recordOutcomes(outcomes);
          outage.lostAnswers += outcomes.length;
        }
        throw unreachable();
      },
      async recordHistory(records) {
        if (!outage.down) return firings.recordHistory(records);
        outage.failedCalls++;
        throw unreachable();
      },
    },
  };
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 19);

test('an 8 s store outage mid-burst: every occurrence ends with one final row, none published twice', async (t) => {
  const outage: Outage = {
    down: false,
    loseNextClaimAnswer: true,
    loseNextOutcomeAnswer: true,
    failedCalls: 0,
    lostAnswers: 0,
  };
  const base = at('2026-01-05T09:00:00.000Z');
  const h = await createHarness({
    start: base - 10_000,
    latencyMs: 200,
    wrapStore: (store) => cuttable(store, outage),
  });
  t.teardown(() => h.close());
  // Two rules per second over 20 s: one skips what is missed, one fires it once if within 60 s.
  const rules = [];
  for (let i = 0; i < 20; i++) {
    for (const policy of ['skip', 'fire_once'] as const) {
      rules.push(
        await h.addRule({
          schedule: once(iso(base + i * 1_000)),
          misfire: { policy, graceMs: policy === 'skip' ? 0 : 60_000 },
        }),
      );
    }
  }
  await h.engine.start();

  await h.clock.advanceTo(base + 4_500);
  outage.down = true;
  let pendingSeen = 0;
  let unwrittenSeen = 0;
  while (h.clock.now() < base + 12_500) {
    await h.clock.advanceTo(Math.min(base + 12_500, h.clock.now() + 100));
    const s = h.engine.stats();
    pendingSeen = Math.max(pendingSeen, s.pendingClaims);
    unwrittenSeen = Math.max(unwrittenSeen, s.unwrittenOutcomes);
  }
  outage.down = false;
  await h.until(
    () => h.clock.now() > base + 25_000 && h.engine.stats().inFlight === 0,
    'every occurrence is settled',
  );
  t.true(outage.failedCalls > 0);
  t.true(outage.lostAnswers > 0, 'a commit whose answer was lost happened');
  t.true(pendingSeen > 0, 'claims were seen waiting for the store');
  t.true(unwrittenSeen > 0, 'outcomes were seen kept in memory');
  t.deepEqual(
    [h.engine.stats().pendingClaims, h.engine.stats().unwrittenOutcomes],
    [0, 0],
    'nothing waits once the store is back',
  );

  const rows = (await h.store.firings.list({ order: 'asc', limit: 1_000, offset: 0 })).items;
  const byRule = new Map<string, typeof rows>();
  for (const r of rows) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  t.is(byRule.size, rules.length, 'every occurrence has a row');
  t.true(
    [...byRule.values()].every((list) => list.length === 1),
    'exactly one row each',
  );
  t.deepEqual(
    rows.filter((r) => r.status === 'claimed').map((r) => iso(r.dueAt)),
    [],
    'none left claimed',
  );

  const requestIds = h.dispatcher.received.map((m) => m.request_id);
  t.is(new Set(requestIds).size, requestIds.length, 'no request published twice');
  const dispatched = rows.filter((r) => r.status === 'dispatched');
  t.is(dispatched.length, requestIds.length, 'every published request is a dispatched row');
  t.true(dispatched.every((r) => r.requestId !== null && requestIds.includes(r.requestId)));

  // Claimed at 12.5 s at the earliest (within a retry delay of it: the first success wakes the
  // rest): those due at 6 and 7 s are then more than 5 s late. The skip policy records them
  // missed; fire_once (60 s grace) sends them late.
  const policyOf = new Map(rules.map((r) => [r.id, r.misfire.policy]));
  const missed = rows.filter((r) => r.status === 'missed');
  t.deepEqual(
    missed.filter((r) => r.dueAt <= base + 7_000).map((r) => iso(r.dueAt)),
    [iso(base + 6_000), iso(base + 7_000)],
    'late claims under the skip policy are missed',
  );
  t.true(missed.every((r) => policyOf.get(r.ruleId) === 'skip' && r.dueAt < base + 9_000));
  t.true(missed.every((r) => /store could not be reached/.test(r.error ?? '')));
  t.true(
    rows.filter((r) => policyOf.get(r.ruleId) === 'fire_once').every((r) => r.status === 'dispatched'),
    'every fire_once occurrence was sent',
  );
  t.log({ failedCalls: outage.failedCalls, lostAnswers: outage.lostAnswers, missed: missed.length });
});
