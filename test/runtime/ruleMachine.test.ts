import test from 'ava';
import { createActor } from 'xstate';
import type { Firing } from '../../src/rules/Firing.js';
import type { Rule } from '../../src/rules/Rule.js';
import type { ClaimResult } from '../../src/runtime/ports.js';
import {
  createRuleMachine,
  type DispatchResult,
  type RuleMachineContext,
  type RuleMachineEvent,
  type RuleMachineInput,
  stepInputs,
} from '../../src/runtime/ruleMachine.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';
import { daily, newRule } from './support/fixtures.js';

const T = Date.parse('2026-01-05T09:00:00.000Z');
const rule: Rule = {
  ...newRule({ schedule: daily(['09:00:00']) }),
  id: 'r1',
  version: 1,
  createdAt: 0,
  updatedAt: 0,
};
const firing: Firing = {
  id: 'f1',
  ruleId: 'r1',
  dueAt: T,
  fireAt: T,
  trigger: 'schedule',
  status: 'claimed',
  requestId: 'q1',
  request: null,
  response: null,
  rmfTaskId: null,
  error: null,
  attempts: 0,
  claimedAt: T,
  publishedAt: null,
  respondedAt: null,
  replicaId: 'a',
  taskState: null,
  cancel: null,
  dispatch: null,
  ruleName: null,
  triggeredBy: null,
};
const input = (o: Partial<RuleMachineInput> = {}): RuleMachineInput => ({
  ruleId: 'r1',
  version: 1,
  dueAt: T,
  fireAt: T,
  dispatchAt: T,
  trigger: 'schedule',
  misfire: { policy: 'skip', graceMs: 0 },
  ...o,
});

function run(claim: ClaimResult, start = T - 60_000, o: Partial<RuleMachineInput> = {}) {
  const clock = createSimulatedClock(start);
  const log: string[] = [];
  const reports: RuleMachineContext[] = [];
  const later = <E extends RuleMachineEvent>(self: unknown, work: () => Promise<E>) => {
    void work().then((event) => (self as { send: (e: RuleMachineEvent) => void }).send(event));
  };
  const machine = createRuleMachine({ clock, lateToleranceMs: 5_000, claimAheadMs: 1_000 }).provide({
    actions: {
      claim: ({ context, self }) =>
        later(self, async () => {
          const input = stepInputs.claim(context);
          log.push(`claim ${new Date(input.dueAt).toISOString()} at ${new Date(clock.now()).toISOString()}`);
          return { type: 'claim.done' as const, output: claim };
        }),
      dispatch: ({ self }) =>
        later(self, async () => {
          log.push(`dispatch at ${new Date(clock.now()).toISOString()}`);
          const output: DispatchResult = {
            status: 'dispatched',
            requestId: 'q1',
            request: {},
            response: {},
            rmfTaskId: 'task-1',
            error: null,
            publishedAt: clock.now(),
            respondedAt: clock.now(),
          };
          return { type: 'dispatch.done' as const, output };
        }),
      record: ({ context, self }) =>
        later(self, async () => {
          log.push('record');
          const input = stepInputs.record(context);
          const output: Firing = {
            ...input.firing,
            status: input.result.status,
            error: input.result.error,
            attempts: input.attempts,
          };
          return { type: 'record.done' as const, output };
        }),
      recordMissed: ({ self }) =>
        later(self, async () => {
          log.push('missed');
          return { type: 'missed.done' as const };
        }),
      // The engine's launch pad, reduced to one actor: launch at the dispatch instant.
      awaitLaunch: ({ context, self }) => {
        clock.setTimeout(
          () => (self as { send: (e: RuleMachineEvent) => void }).send({ type: 'dispatch.launch' }),
          context.dispatchAt - clock.now(),
        );
      },
      released: () => log.push('released'),
      report: ({ context }) => reports.push(context),
    },
  });
  const actor = createActor(machine, { clock, input: input(o) }).start();
  return { clock, actor, log, reports };
}

test('claims shortly before its instant, dispatches at the instant (only after the claim), records, reports', async (t) => {
  const { clock, actor, log, reports } = run({ status: 'claimed', firing, rule });
  await clock.advanceTo(T - 1_001);
  t.deepEqual(log, []);
  await clock.advanceTo(T - 1_000);
  t.deepEqual(log, ['claim 2026-01-05T09:00:00.000Z at 2026-01-05T08:59:59.000Z', 'released']);
  await clock.advanceTo(T - 1);
  t.is(log.length, 2, 'nothing sent before the instant');
  await clock.advanceTo(T);
  t.deepEqual(log.slice(2), ['dispatch at 2026-01-05T09:00:00.000Z', 'record']);
  t.is(actor.getSnapshot().status, 'done');
  t.is(reports[0]?.result, 'recorded');
  t.is(reports[0]?.recorded?.status, 'dispatched');
});

test('cancelled between claim and instant: recorded skipped with the reason, nothing sent', async (t) => {
  const { clock, actor, log, reports } = run({ status: 'claimed', firing, rule });
  await clock.advanceTo(T - 500);
  actor.send({ type: 'firing.cancel', reason: 'the rule is disabled' });
  await clock.advanceTo(T + 1_000);
  t.deepEqual(log.slice(1), ['released', 'record']);
  t.is(reports[0]?.recorded?.status, 'skipped');
  t.regex(reports[0]?.recorded?.error ?? '', /before it was sent: the rule is disabled/);
});

test('a claim someone else holds: nothing dispatched', async (t) => {
  const { clock, log, reports } = run({ status: 'already_claimed', existing: null });
  await clock.advanceTo(T);
  t.deepEqual(log.slice(1), ['released']);
  t.is(reports[0]?.result, 'already_claimed');
});

test('rule.changed while waiting re-targets the wait; rule.removed cancels it', async (t) => {
  const { clock, actor, log, reports } = run({ status: 'claimed', firing, rule });
  actor.send({
    type: 'rule.changed',
    version: 2,
    enabled: true,
    misfire: { policy: 'skip', graceMs: 0 },
    next: { dueAt: T + 3_600_000, fireAt: T + 3_600_000, dispatchAt: T + 3_600_000 },
  });
  await clock.advanceTo(T + 3_600_000 - 1_001);
  t.deepEqual(log, []);
  actor.send({ type: 'rule.removed' });
  await clock.advanceTo(T + 7_200_000);
  t.deepEqual(log, ['released']);
  t.is(reports[0]?.result, 'cancelled');
});

test('woken long after its instant (the machine slept) with misfire skip: recorded as missed, not claimed', async (t) => {
  const { clock, log, reports } = run({ status: 'claimed', firing, rule });
  clock.jump(2 * 3_600_000);
  await clock.advance(0);
  t.deepEqual(log, ['missed', 'released']);
  t.is(reports[0]?.result, 'missed');
});

test("woken 10 min after its instant with misfire skip and a 1 h grace: missed (the grace is fire_once's)", async (t) => {
  const { clock, log, reports } = run({ status: 'claimed', firing, rule }, T - 60_000, {
    misfire: { policy: 'skip', graceMs: 3_600_000 },
  });
  clock.jump(11 * 60_000);
  await clock.advance(0);
  t.deepEqual(log, ['missed', 'released']);
  t.is(reports[0]?.result, 'missed');
});

test('woken 10 min after its instant with fire_once and a 1 h grace: claimed and sent at once, late', async (t) => {
  const { clock, log, reports } = run({ status: 'claimed', firing, rule }, T - 60_000, {
    misfire: { policy: 'fire_once', graceMs: 3_600_000 },
  });
  clock.jump(11 * 60_000);
  await clock.advance(0);
  await clock.advance(0);
  t.is(log[0], 'claim 2026-01-05T09:00:00.000Z at 2026-01-05T09:10:00.000Z');
  t.true(log.includes('dispatch at 2026-01-05T09:10:00.000Z'));
  t.is(reports[0]?.result, 'recorded');
});

/** Scripted steps: each claim / dispatch attempt takes the next scripted outcome. */
function drive(
  script: { claims: Array<ClaimResult | Error>; dispatches?: Array<DispatchResult['status']> },
  start: number,
  o: Partial<RuleMachineInput> = {},
) {
  const clock = createSimulatedClock(start);
  const log: string[] = [];
  const reports: RuleMachineContext[] = [];
  const send = (self: unknown, e: RuleMachineEvent) =>
    (self as { send: (e: RuleMachineEvent) => void }).send(e);
  const stamp = () => new Date(clock.now()).toISOString().slice(11, 23);
  let claims = 0;
  let dispatches = 0;
  const machine = createRuleMachine({ clock, lateToleranceMs: 5_000, claimAheadMs: 1_000 }).provide({
    actions: {
      claim: ({ self }) => {
        const outcome = script.claims[Math.min(claims++, script.claims.length - 1)]!;
        log.push(`claim ${stamp()}`);
        void Promise.resolve().then(() =>
          send(
            self,
            outcome instanceof Error
              ? { type: 'claim.failed', error: outcome }
              : { type: 'claim.done', output: outcome },
          ),
        );
      },
      dispatch: ({ context, self }) => {
        const statuses = script.dispatches ?? ['dispatched'];
        const status = statuses[Math.min(dispatches++, statuses.length - 1)]!;
        log.push(`dispatch ${stamp()} attempt ${stepInputs.dispatch(context).attempt}`);
        const output: DispatchResult = {
          status,
          requestId: 'q1',
          request: {},
          response: null,
          rmfTaskId: status === 'dispatched' ? 'task-1' : null,
          error: status === 'dispatched' ? null : status,
          publishedAt: clock.now(),
          respondedAt: null,
        };
        void Promise.resolve().then(() => send(self, { type: 'dispatch.done', output }));
      },
      record: ({ context, self }) => {
        const input = stepInputs.record(context);
        log.push(`record ${input.result.status} after ${input.attempts}`);
        const output: Firing = { ...input.firing, status: input.result.status, attempts: input.attempts };
        void Promise.resolve().then(() => send(self, { type: 'record.done', output }));
      },
      recordMissed: ({ self }) => {
        log.push(`missed ${stamp()}`);
        void Promise.resolve().then(() => send(self, { type: 'missed.done' }));
      },
      awaitLaunch: ({ context, self }) => {
        clock.setTimeout(() => send(self, { type: 'dispatch.launch' }), context.dispatchAt - clock.now());
      },
      released: () => {},
      report: ({ context }) => reports.push(context),
    },
  });
  const actor = createActor(machine, { clock, input: { ...input(o), resumed: null } }).start();
  return { clock, actor, log, reports };
}

const claimedOk: ClaimResult = { status: 'claimed', firing, rule };

test('late by exactly the 5 s tolerance: still sent (skip); by a millisecond more: missed', async (t) => {
  for (const [late, expected] of [
    [5_000, 'claim 09:00:05.000'],
    [5_001, 'missed 09:00:05.001'],
  ] as const) {
    const { clock, log } = drive({ claims: [claimedOk] }, T - 60_000);
    clock.jump(60_000 + late);
    await clock.advance(0);
    t.is(log[0], expected, `late by ${late} ms`);
  }
});

test('fire_once: late by exactly its grace is sent; a millisecond beyond it is missed', async (t) => {
  const misfire = { policy: 'fire_once' as const, graceMs: 600_000 };
  for (const [late, expected] of [
    [600_000, 'claim 09:10:00.000'],
    [600_001, 'missed 09:10:00.001'],
  ] as const) {
    const { clock, log } = drive({ claims: [claimedOk] }, T - 60_000, { misfire });
    clock.jump(60_000 + late);
    await clock.advance(0);
    t.is(log[0], expected, `late by ${late} ms`);
  }
});

test('a manual trigger, or a firing accepted late after downtime, is never counted missed', async (t) => {
  for (const o of [{ trigger: 'manual' as const }, { lateAccepted: true }]) {
    const { clock, log, reports } = drive({ claims: [claimedOk] }, T - 60_000, o);
    clock.jump(2 * 3_600_000);
    await clock.advance(0);
    await clock.advance(0);
    t.is(log[0], 'claim 10:59:00.000', JSON.stringify(o));
    t.is(reports[0]?.result, 'recorded');
  }
});

test('the claim is made its claim-ahead before the dispatch instant (a larger one when many fall due)', async (t) => {
  const { clock, log } = drive({ claims: [claimedOk] }, T - 60_000, { claimAheadMs: 10_000 });
  await clock.advanceTo(T - 10_001);
  t.deepEqual(log, []);
  await clock.advanceTo(T - 10_000);
  t.deepEqual(log, ['claim 08:59:50.000']);
  await clock.advanceTo(T);
  t.is(log[1], 'dispatch 09:00:00.000 attempt 1');
});

test('the store failing: the claim is tried 3 times, 1 s then 2 s apart, then given up, nothing sent', async (t) => {
  const down = new Error('SQLITE_BUSY: database is locked');
  const { clock, log, reports } = drive({ claims: [down] }, T - 60_000);
  await clock.advanceTo(T + 10_000);
  t.deepEqual(log, ['claim 08:59:59.000', 'claim 09:00:00.000', 'claim 09:00:02.000']);
  t.is(reports[0]?.result, 'claim_failed');
  t.is(reports[0]?.error, 'SQLITE_BUSY: database is locked');
});

test('the store back on the second try: claimed and sent on time', async (t) => {
  const { clock, log, reports } = drive({ claims: [new Error('connection lost'), claimedOk] }, T - 60_000);
  await clock.advanceTo(T + 10_000);
  t.deepEqual(log, [
    'claim 08:59:59.000',
    'claim 09:00:00.000',
    'dispatch 09:00:00.000 attempt 1',
    'record dispatched after 1',
  ]);
  t.is(reports[0]?.result, 'recorded');
});

test('deleted while the claim waits to be retried: nothing more is tried', async (t) => {
  const { clock, actor, log, reports } = drive(
    { claims: [new Error('connection lost'), claimedOk] },
    T - 60_000,
  );
  await clock.advanceTo(T - 500);
  actor.send({ type: 'rule.removed' });
  await clock.advanceTo(T + 10_000);
  t.deepEqual(log, ['claim 08:59:59.000']);
  t.is(reports[0]?.result, 'cancelled');
});

const retrying = { ...rule, retry: { maxAttempts: 3, backoffMs: 2_000 } };
const claimedRetrying: ClaimResult = { status: 'claimed', firing, rule: retrying };

test('retry: a failed or timed-out attempt is tried again after 2 s, then 4 s, up to maxAttempts', async (t) => {
  const { clock, log } = drive(
    { claims: [claimedRetrying], dispatches: ['failed', 'timed_out', 'failed'] },
    T - 60_000,
  );
  await clock.advanceTo(T + 60_000);
  t.deepEqual(log, [
    'claim 08:59:59.000',
    'dispatch 09:00:00.000 attempt 1',
    'dispatch 09:00:02.000 attempt 2',
    'dispatch 09:00:06.000 attempt 3',
    'record failed after 3',
  ]);
});

test('retry: a rejection is RMF’s answer, not retried; nor is anything without a retry policy', async (t) => {
  const rejected = drive({ claims: [claimedRetrying], dispatches: ['rejected'] }, T - 60_000);
  await rejected.clock.advanceTo(T + 60_000);
  t.deepEqual(rejected.log.slice(1), ['dispatch 09:00:00.000 attempt 1', 'record rejected after 1']);
  const noPolicy = drive({ claims: [claimedOk], dispatches: ['timed_out'] }, T - 60_000);
  await noPolicy.clock.advanceTo(T + 60_000);
  t.deepEqual(noPolicy.log.slice(1), ['dispatch 09:00:00.000 attempt 1', 'record timed_out after 1']);
});

test('retry: a rule deleted during the backoff is recorded with its last outcome, not tried again', async (t) => {
  const { clock, actor, log } = drive(
    { claims: [claimedRetrying], dispatches: ['failed', 'dispatched'] },
    T - 60_000,
  );
  await clock.advanceTo(T + 1_000);
  actor.send({ type: 'rule.removed' });
  await clock.advanceTo(T + 60_000);
  t.deepEqual(log.slice(1), ['dispatch 09:00:00.000 attempt 1', 'record failed after 1']);
});
