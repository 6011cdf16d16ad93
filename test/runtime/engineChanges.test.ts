import test, { type ExecutionContext } from 'ava';
import { at, daily } from './support/fixtures.js';
import { createHarness } from './support/harness.js';

const NINE = at('2026-01-05T09:00:00.000Z');

test('a rule edited while dispatching finishes that dispatch and re-arms from the new schedule', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:59:00.000Z'), latencyMs: 5_000 });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.advanceTo(NINE);
  t.is(h.dispatcher.received.length, 1, 'published, waiting for the answer');
  const edited = await h.store.rules.update(rule.id, rule.version, { schedule: daily(['10:00:00']) });
  await h.engine.refresh(edited);
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-05T10:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'the first dispatch is recorded');
  t.is(h.firings[0]!.status, 'dispatched');
  t.is(h.firings[0]!.dueAt, NINE);
  await h.clock.advanceTo(at('2026-01-05T10:00:00.000Z'));
  await h.until(() => h.firings.length === 2, 'the new time fires');
  t.is(h.firings[1]!.dueAt, at('2026-01-05T10:00:00.000Z'));
  t.is(h.dispatcher.received.length, 2);
});

test('a rule deleted while waiting sends nothing', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:59:58.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.flush();
  t.is(h.engine.stats().active, 1, 'due within the horizon: its actor waits');
  await h.store.rules.delete(rule.id, null);
  h.engine.remove(rule.id);
  await h.clock.advanceTo(at('2026-01-06T10:00:00.000Z'));
  t.is(h.dispatcher.received.length, 0);
  t.is(h.engine.nextDueAt(rule.id), null);
  t.deepEqual(h.engine.stats(), { armed: 0, active: 0, inFlight: 0, pendingClaims: 0, unwrittenOutcomes: 0 });
  t.is((await h.store.firings.list({ ruleId: rule.id, order: 'asc', limit: 10, offset: 0 })).total, 0);
});

test('disable then enable: nothing fires while disabled, the next occurrence after enabling does', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  const disabled = await h.store.rules.update(rule.id, null, {
    enabled: false,
    disabledReason: 'maintenance',
  });
  await h.engine.refresh(disabled.id);
  t.is(h.engine.nextDueAt(rule.id), null);
  await h.clock.advanceTo(at('2026-01-05T12:00:00.000Z'));
  t.is(h.dispatcher.received.length, 0);
  const enabled = await h.store.rules.update(rule.id, null, { enabled: true, disabledReason: null });
  await h.engine.refresh(enabled);
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'), 'the missed 09:00 is not caught up');
  await h.clock.advanceTo(at('2026-01-06T09:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  t.is(h.firings[0]!.dueAt, at('2026-01-06T09:00:00.000Z'));
});

test('a rule disabled while its actor waits: nothing sent', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:59:59.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.flush();
  t.is(h.engine.stats().active, 1);
  await h.engine.refresh(await h.store.rules.update(rule.id, null, { enabled: false }));
  await h.clock.advanceTo(at('2026-01-05T09:01:00.000Z'));
  t.is(h.dispatcher.received.length, 0);
  t.is(h.engine.stats().active, 0);
});

/** A daily 09:00 rule, its 09:00 occurrence claimed and half a second from being sent. */
async function claimedHalfASecondBefore(t: ExecutionContext) {
  const h = await createHarness({ start: at('2026-01-05T08:59:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.advanceTo(NINE - 500);
  t.truthy(await h.store.firings.find(rule.id, NINE, 'schedule'), 'claimed ahead of the instant');
  return { h, rule };
}

test('a rule disabled after its occurrence was claimed, before it was sent: skipped row, nothing sent', async (t) => {
  const { h, rule } = await claimedHalfASecondBefore(t);
  await h.engine.refresh(
    await h.store.rules.update(rule.id, null, { enabled: false, disabledReason: 'robot down' }),
  );
  await h.until(() => h.firings.length === 1, 'the skip is recorded');
  await h.clock.advanceTo(NINE + 60_000);
  t.is(h.dispatcher.received.length, 0);
  const row = await h.store.firings.find(rule.id, NINE, 'schedule');
  t.is(row?.status, 'skipped');
  t.regex(row?.error ?? '', /before it was sent: the rule is disabled: robot down/);
});

test('a task edited after its occurrence was claimed, before it was sent: the edited task goes out', async (t) => {
  const { h, rule } = await claimedHalfASecondBefore(t);
  const task = {
    type: 'dispatch_task_request' as const,
    request: { category: 'patrol', description: { places: ['lobby'], rounds: 3 } },
  };
  await h.engine.refresh(await h.store.rules.update(rule.id, null, { task }));
  await h.clock.advanceTo(NINE - 1);
  t.is(h.dispatcher.received.length, 0, 'still not before the instant');
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length === 1, 'the firing is recorded');
  t.is(h.dispatcher.received.length, 1);
  const sent = JSON.parse(h.dispatcher.received[0]!.json_msg) as { request: { description: unknown } };
  t.deepEqual(sent.request.description, { places: ['lobby'], rounds: 3 });
  t.is(h.firings[0]!.status, 'dispatched');
  t.deepEqual((h.firings[0]!.request as { request: { description: unknown } }).request.description, {
    places: ['lobby'],
    rounds: 3,
  });
});

test('a disabled occurrence is not sent and leaves a skipped row with the reason', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.store.overrides.set({
    ruleId: rule.id,
    occurrenceAt: NINE,
    action: 'disabled',
    movedTo: null,
    reason: 'holiday',
    by: 'ops',
    updatedAt: h.clock.now(),
  });
  await h.engine.refresh(rule.id);
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length === 1, 'the skip is recorded');
  t.is(h.dispatcher.received.length, 0);
  const row = await h.store.firings.find(rule.id, NINE, 'schedule');
  t.is(row?.status, 'skipped');
  t.regex(row?.error ?? '', /disabled: holiday/);
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'));
});

test('a moved occurrence fires at its new instant, not at the original', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  const movedTo = at('2026-01-05T11:15:00.000Z');
  await h.store.overrides.set({
    ruleId: rule.id,
    occurrenceAt: NINE,
    action: 'moved',
    movedTo,
    reason: null,
    by: null,
    updatedAt: h.clock.now(),
  });
  await h.engine.refresh(rule.id);
  t.is(h.engine.nextDueAt(rule.id), movedTo);
  await h.clock.advanceTo(movedTo - 1);
  t.is(h.dispatcher.received.length, 0, 'nothing at 09:00');
  await h.clock.advanceTo(movedTo);
  await h.until(() => h.firings.length === 1, 'it fires');
  const firing = h.firings[0]!;
  t.is(firing.dueAt, NINE);
  t.is(firing.fireAt, movedTo);
  t.is(firing.publishedAt, movedTo);
  const request = JSON.parse(h.dispatcher.received[0]!.json_msg) as { request: Record<string, unknown> };
  t.is(request.request.unix_millis_earliest_start_time, movedTo);
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'));
});

test('a manual trigger is recorded as manual and leaves the schedule untouched', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  const firing = h.engine.trigger(rule.id, 'ops');
  await h.until(() => h.firings.length === 1, 'the manual firing is recorded');
  const recorded = await firing;
  t.is(recorded.trigger, 'manual');
  t.is(recorded.status, 'dispatched');
  t.is(recorded.dueAt, at('2026-01-05T08:00:00.000Z'));
  t.is(h.engine.nextDueAt(rule.id), NINE);
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length === 2, 'the schedule fires as planned');
  t.deepEqual(
    h.firings.map((f) => f.trigger),
    ['manual', 'schedule'],
  );
  await t.throwsAsync(h.engine.trigger('00000000-0000-4000-8000-000000000000', null), {
    message: /not found/,
  });
});

test('retries: a failed dispatch is tried again with doubling backoff, each attempt counted', async (t) => {
  const h = await createHarness({
    start: at('2026-01-05T08:59:00.000Z'),
    config: { dispatchTimeoutMs: 1_000 },
  });
  t.teardown(() => h.close());
  const rule = await h.addRule({
    schedule: daily(['09:00:00']),
    retry: { maxAttempts: 3, backoffMs: 2_000 },
  });
  h.dispatcher.drop(() => true, { times: 2 });
  await h.engine.start();
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length === 1, 'the third attempt succeeds');
  const firing = h.firings[0]!;
  t.is(firing.status, 'dispatched');
  t.is(firing.attempts, 3);
  t.is(h.dispatcher.received.length, 3);
  t.is(new Set(h.dispatcher.received.map((r) => r.request_id)).size, 3, 'a fresh request id per attempt');
  // 09:00 first (times out at +1 s), +2 s backoff → second at 09:00:03 (times out at +1 s), +4 s → 09:00:08.
  t.is(firing.publishedAt, NINE + 8_000);
  t.is(firing.requestId, h.dispatcher.received[2]!.request_id);
  const stored = await h.store.firings.find(rule.id, NINE, 'schedule');
  t.like(stored, { status: 'dispatched', attempts: 3 });
});

test('without a retry policy a silent RMF gives one timed_out row', async (t) => {
  const h = await createHarness({
    start: at('2026-01-05T08:59:00.000Z'),
    config: { dispatchTimeoutMs: 1_000 },
  });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  h.dispatcher.drop(() => true);
  await h.engine.start();
  await h.clock.advanceTo(NINE);
  await h.until(() => h.firings.length === 1, 'the timeout is recorded');
  t.like(h.firings[0], { status: 'timed_out', attempts: 1 });
  t.is(h.dispatcher.received.length, 1);
  t.is((await h.store.firings.find(rule.id, NINE, 'schedule'))?.status, 'timed_out');
});
