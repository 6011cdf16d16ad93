import test from 'ava';
import { createMemoryLogger } from '../../src/log.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { Rule } from '../../src/rules/Rule.js';
import type { Dispatcher, DispatchAnswer, Store } from '../../src/runtime/ports.js';
import { planRecovery } from '../../src/runtime/recovery.js';
import { at, daily, newRule } from './support/fixtures.js';

// What a restart does with firings a dead process left claimed: which are sent again, and what
// the operator reads on the ones that are not.

const NINE = at('2026-01-05T09:00:00.000Z');

const ruleWith = (id: string, fields: Partial<Rule> = {}): Rule => ({
  ...newRule({ schedule: daily(['09:00:00']) }),
  id,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
  ...fields,
});

const claimed = (ruleId: string, fields: Partial<Firing> = {}): Firing => ({
  id: `f-${ruleId}`,
  ruleId,
  dueAt: NINE,
  fireAt: NINE,
  trigger: 'schedule',
  status: 'claimed',
  requestId: `sched_${ruleId}`,
  request: null,
  response: null,
  rmfTaskId: null,
  error: null,
  attempts: 0,
  claimedAt: NINE - 1_000,
  publishedAt: null,
  respondedAt: null,
  replicaId: 'dead',
  taskState: null,
  cancel: null,
  dispatch: null,
  ruleName: null,
  triggeredBy: null,
  ...fields,
});

function plan(
  unresolved: Firing[],
  rules: Rule[],
  now: number,
  answers: Map<string, DispatchAnswer> | null = new Map(),
) {
  const asked: string[][] = [];
  const store = {
    rules: { getMany: async (ids: string[]) => rules.filter((r) => ids.includes(r.id)) },
  } as unknown as Store;
  const dispatcher = {
    kind: 'simulated',
    ...(answers === null
      ? {}
      : {
          recover: async (ids: string[]) => {
            asked.push(ids);
            return answers;
          },
        }),
  } as unknown as Dispatcher;
  const logger = createMemoryLogger();
  const result = planRecovery({ unresolved, store, dispatcher, now: () => now, recoverWaitMs: 0, logger });
  return { result, asked, logger };
}

const errorOf = async (p: ReturnType<typeof plan>, ruleId: string) => {
  const { outcomes } = await p.result;
  const outcome = outcomes.find((o) => o.ruleId === ruleId);
  return outcome === undefined ? 'not recorded' : `${outcome.status}: ${outcome.error}`;
};

test('a claim of a deleted, disabled or manual firing is recorded failed, saying why it is not re-sent', async (t) => {
  const p = plan(
    [claimed('gone'), claimed('off'), claimed('manual', { trigger: 'manual' })],
    [ruleWith('off', { enabled: false }), ruleWith('manual')],
    NINE + 10_000,
  );
  t.regex(await errorOf(p, 'gone'), /^failed: interrupted: .*not re-sent because the rule was deleted\./);
  t.regex(await errorOf(p, 'off'), /not re-sent because the rule is disabled\./);
  t.regex(await errorOf(p, 'manual'), /not re-sent because manual triggers are not repeated\./);
  t.regex(await errorOf(p, 'gone'), /may or may not have reached RMF \(request id sched_gone\)\.$/);
  t.deepEqual((await p.result).resend, []);
  t.is(
    p.logger.lines.filter((l) => l.msg === 'firing interrupted by a restart recorded as failed').length,
    3,
  );
});

test('fire_once: re-sent up to its grace, recorded failed past it with how late it is', async (t) => {
  const misfire = { policy: 'fire_once' as const, graceMs: 60_000 };
  const onTime = plan([claimed('r')], [ruleWith('r', { misfire })], NINE + 60_000);
  t.deepEqual(
    (await onTime.result).resend.map((r) => r.firing.requestId),
    ['sched_r'],
  );
  t.deepEqual((await onTime.result).outcomes, []);
  const tooLate = plan([claimed('r')], [ruleWith('r', { misfire })], NINE + 120_000);
  t.regex(
    await errorOf(tooLate, 'r'),
    /not re-sent because it is 120 s late, beyond the misfire grace of 60 s\./,
  );
  t.deepEqual((await tooLate.result).resend, []);
});

test('skip: a claim whose instant has passed is recorded failed; one whose instant is still ahead is sent on time', async (t) => {
  const misfire = { policy: 'skip' as const, graceMs: 3_600_000 };
  const lead = { misfire, leadTimeMs: 60_000 };
  const passed = plan([claimed('r')], [ruleWith('r', lead)], NINE - 60_000);
  t.regex(await errorOf(passed, 'r'), /not re-sent because the misfire policy is skip\./);
  const ahead = plan([claimed('r')], [ruleWith('r', lead)], NINE - 60_001);
  t.deepEqual(
    (await ahead.result).resend.map((r) => r.firing.requestId),
    ['sched_r'],
  );
});

test('a claim without a request id is never re-sent', async (t) => {
  const p = plan(
    [claimed('r', { requestId: null })],
    [ruleWith('r', { misfire: { policy: 'fire_once', graceMs: 60_000 } })],
    NINE,
  );
  t.regex(await errorOf(p, 'r'), /\(request id none\)/);
  t.deepEqual(p.asked, [[]], 'RMF is not asked about a firing that has no request id');
});

test('an answer RMF already gave is recorded as it was, without re-sending', async (t) => {
  const answers = new Map<string, DispatchAnswer>([
    [
      'sched_a',
      {
        kind: 'responded',
        respondedAt: NINE + 50,
        response: { success: true, state: { booking: { id: 'patrol-1' } } },
      },
    ],
    ['sched_b', { kind: 'failed', error: 'the dispatcher refused it' }],
  ]);
  const p = plan(
    [claimed('a', { attempts: 2 }), claimed('b')],
    [ruleWith('a'), ruleWith('b')],
    NINE + 1_000,
    answers,
  );
  const { outcomes, resend } = await p.result;
  t.deepEqual(resend, []);
  t.like(outcomes[0], { ruleId: 'a', status: 'dispatched', rmfTaskId: 'patrol-1', respondedAt: NINE + 50 });
  t.like(outcomes[1], {
    ruleId: 'b',
    status: 'failed',
    error: 'the dispatcher refused it',
    respondedAt: null,
  });
  t.deepEqual(p.asked, [['sched_a', 'sched_b']]);
  t.true(
    p.logger.lines.some((l) => l.msg.startsWith('answer to a firing claimed before the restart recovered')),
  );
});

test('a transport that cannot recover answers: the misfire policy alone decides', async (t) => {
  const p = plan(
    [claimed('r')],
    [ruleWith('r', { misfire: { policy: 'fire_once', graceMs: 60_000 } })],
    NINE + 1_000,
    null,
  );
  t.deepEqual(
    (await p.result).resend.map((r) => r.rule.id),
    ['r'],
  );
});
