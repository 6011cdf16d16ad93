import test from 'ava';
import type { SimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { DispatchAnswer } from '../../src/runtime/ports.js';
import { at, daily, interval } from './support/fixtures.js';
import { createHarness, type Harness } from './support/harness.js';

const HOUR = 3_600_000;

test('restart after downtime: every missed occurrence gets a row; fire_once fires the newest within grace', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T07:30:00.000Z') });
  t.teardown(() => h.close());
  const hourly = await h.addRule({
    schedule: interval(3_600, '2026-01-01T00:00:00'),
    misfire: { policy: 'fire_once', graceMs: HOUR },
  });
  const skipper = await h.addRule({
    schedule: interval(3_600, '2026-01-01T00:00:00'),
    misfire: { policy: 'skip', graceMs: HOUR },
  });
  const tooLate = await h.addRule({
    schedule: daily(['09:00:00']),
    misfire: { policy: 'fire_once', graceMs: HOUR },
  });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T08:00:00.000Z'));
  await h.until(() => h.firings.length === 2, 'the 08:00 firings');
  await h.engine.stop();

  await h.clock.advanceTo(at('2026-01-05T12:30:00.000Z')); // down from 08:00:01 to 12:30
  const restarted = h.newEngine();
  await restarted.start();
  await h.until(() => h.firings.length === 3, 'the late firing');
  const rows = async (ruleId: string) =>
    (await h.store.firings.list({ ruleId, order: 'asc', limit: 50, offset: 0 })).items.map(
      (f) => `${new Date(f.dueAt).toISOString().slice(11, 16)} ${f.status}`,
    );
  t.deepEqual(await rows(hourly.id), [
    '08:00 dispatched',
    '09:00 missed',
    '10:00 missed',
    '11:00 missed',
    '12:00 dispatched',
  ]);
  t.deepEqual(await rows(skipper.id), [
    '08:00 dispatched',
    '09:00 missed',
    '10:00 missed',
    '11:00 missed',
    '12:00 missed',
  ]);
  t.deepEqual(await rows(tooLate.id), ['09:00 missed']);
  t.is(h.firings[2]!.publishedAt, at('2026-01-05T12:30:00.000Z'));
  t.is(restarted.nextDueAt(hourly.id), at('2026-01-05T13:00:00.000Z'));
  t.is(restarted.nextDueAt(tooLate.id), at('2026-01-06T09:00:00.000Z'));
  t.is(h.dispatcher.received.length, 3);
});

/** A claim left by a process that died before recording the outcome. */
async function leftClaimed(h: Harness, ruleId: string, dueAt: number, requestId: string) {
  const [result] = await h.store.firings.claimBatch(
    [{ ruleId, dueAt, fireAt: dueAt, trigger: 'schedule', requestId, claimedAt: dueAt, replicaId: 'dead' }],
    () => ({ action: 'claim' }),
  );
  assertSetup(result?.status === 'claimed');
}
function assertSetup(ok: boolean): void {
  if (!ok) throw new Error('setup failed');
}

function recovering(d: SimulatedDispatcher, answers: Map<string, DispatchAnswer>, asked: string[][]) {
  return {
    ...d,
    recover: async (ids: string[]) => {
      asked.push(ids);
      return new Map([...answers].filter(([id]) => ids.includes(id)));
    },
  };
}

test('claims left by a crash: answered ones are recorded without publishing; the others follow the misfire policy', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T09:00:30.000Z') });
  t.teardown(() => h.close());
  const nine = at('2026-01-05T09:00:00.000Z');
  const answered = await h.addRule({ schedule: daily(['09:00:00']) });
  const resend = await h.addRule({
    schedule: daily(['09:00:00']),
    misfire: { policy: 'fire_once', graceMs: 60_000 },
  });
  const skip = await h.addRule({
    schedule: daily(['09:00:00']),
    misfire: { policy: 'skip', graceMs: 60_000 },
  });
  await leftClaimed(h, answered.id, nine, 'sched_answered');
  await leftClaimed(h, resend.id, nine, 'sched_resend');
  await leftClaimed(h, skip.id, nine, 'sched_skip');
  const asked: string[][] = [];
  const answers = new Map<string, DispatchAnswer>([
    [
      'sched_answered',
      {
        kind: 'responded',
        respondedAt: nine + 50,
        response: { success: true, state: { booking: { id: 'patrol.dispatch-77' } } },
      },
    ],
  ]);
  const engine = h.newEngine({ dispatcher: recovering(h.dispatcher, answers, asked) });
  await engine.start();
  await h.until(() => h.firings.length === 3, 'all three are resolved');

  t.deepEqual(
    asked.map((ids) => [...ids].sort()),
    [['sched_answered', 'sched_resend', 'sched_skip']],
  );
  t.deepEqual(
    h.dispatcher.received.map((r) => r.request_id),
    ['sched_resend'],
    'only the unanswered fire_once claim is re-sent, with its own request id',
  );
  const row = (ruleId: string) => h.store.firings.find(ruleId, nine, 'schedule');
  t.like(await row(answered.id), {
    status: 'dispatched',
    rmfTaskId: 'patrol.dispatch-77',
    requestId: 'sched_answered',
  });
  t.like(await row(resend.id), { status: 'dispatched', requestId: 'sched_resend' });
  const failed = await row(skip.id);
  t.is(failed?.status, 'failed');
  t.regex(failed?.error ?? '', /interrupted.*misfire policy is skip/);
  t.true(h.logger.lines.some((l) => l.msg.startsWith('re-sending a firing claimed before the restart')));
  t.is(engine.nextDueAt(answered.id), at('2026-01-06T09:00:00.000Z'));
});

test('a claim made ahead of its instant by a process that died: sent at its instant after the restart', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:59:59.500Z') });
  t.teardown(() => h.close());
  const nine = at('2026-01-05T09:00:00.000Z');
  const rule = await h.addRule({ schedule: daily(['09:00:00']), misfire: { policy: 'skip', graceMs: 0 } });
  await leftClaimed(h, rule.id, nine, 'sched_ahead');
  const engine = h.newEngine();
  await engine.start();
  await h.clock.advanceTo(nine - 1);
  t.is(h.dispatcher.received.length, 0, 'not before its instant');
  await h.clock.advanceTo(nine);
  await h.until(() => h.firings.length === 1, 'it is recorded');
  t.deepEqual(
    h.dispatcher.received.map((r) => r.request_id),
    ['sched_ahead'],
  );
  t.like(h.firings[0], { status: 'dispatched', publishedAt: nine, requestId: 'sched_ahead' });
});
