/**
 * Taking back what was sent ahead of time, through REST: with a lead time RMF has the task
 * before its occurrence; disabling or deleting the occurrence or its rule asks RMF to cancel it
 * (the answer of the change says what RMF answered, the firing keeps its status and gains
 * `cancel`, ~/events-facing events and metrics tell it); moving it cancels it and sends it again
 * for the new time, or is refused, changing nothing, when RMF does not cancel it.
 */
import test from 'ava';
import supertest from 'supertest';
import { Registry } from 'prom-client';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { openStore } from '../../src/store/openStore.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';

const START = Date.parse('2026-01-05T07:30:00.000Z');
const NINE = '2026-01-05T09:00:00.000Z';

async function open(options: { cancelWithdrawn?: boolean } = {}) {
  const clock = createSimulatedClock(START, {
    settle: () => new Promise((resolve) => setTimeout(resolve, 2)),
  });
  const logger = createMemoryLogger();
  const store = await openStore({ dbUrl: 'sqlite::memory:', logger, clock });
  const dispatcher = createSimulatedDispatcher({ clock, latencyMs: 50 });
  const config = applyOverrides(
    defaultConfig(process.cwd()),
    {
      db_url: 'sqlite::memory:',
      timezone: 'UTC',
      'rmf.transport': 'sim',
      'rmf.cancel_withdrawn': options.cancelWithdrawn ?? true,
    },
    'test',
  );
  const registry = new Registry();
  const { scheduler } = await startRuntime({
    clock,
    store,
    dispatcher,
    logger,
    config,
    version: 'test',
    metrics: createRuntimeMetrics(registry),
  });
  const events: SchedulerEvent[] = [];
  scheduler.onEvent((e) => events.push(e));
  const app = createApp({ scheduler, config, logger, registry, now: () => clock.now(), version: 'test' });
  const http = supertest(app.callback());
  /** Runs a request while simulated time moves on (RMF's answers take time on the clock). */
  async function call<T>(request: PromiseLike<T>): Promise<T> {
    let done = false;
    const result = Promise.resolve(request).finally(() => (done = true));
    while (!done) await clock.advance(10);
    return result;
  }
  const rule = (
    await http
      .post('/rules')
      .send({
        name: 'ward 3 linen',
        schedule: { kind: 'daily', times: ['09:00'], timezone: 'UTC' },
        lead_time_ms: 3_600_000,
        task: {
          type: 'dispatch_task_request',
          request: { category: 'patrol', description: { places: ['ward_3'], rounds: 1 } },
        },
      })
      .expect(201)
  ).body as { id: string };
  // 08:00: the 09:00 occurrence goes to RMF an hour ahead (the store works on real time: let
  // simulated time move on until RMF's answer is recorded).
  await clock.advanceTo(Date.parse('2026-01-05T08:00:00.000Z'));
  let firing: { id: string; status: string; rmf_task_id: string } | undefined;
  for (let i = 0; i < 1_000 && firing?.status !== 'dispatched'; i++) {
    await clock.advance(10);
    firing = (await http.get(`/rules/${rule.id}/firings`).expect(200)).body.items[0];
  }
  if (firing?.status !== 'dispatched')
    throw new Error(`the 09:00 occurrence was not sent: ${JSON.stringify(firing)}`);
  return {
    clock,
    store,
    dispatcher,
    scheduler,
    registry,
    events,
    http,
    call,
    rule,
    firing,
    occurrence: `${rule.id}@${NINE}`,
    close: async () => {
      await scheduler.stop();
      await dispatcher.close();
      await store.close();
    },
  };
}

test('disabling an occurrence already sent asks RMF to cancel it; the firing keeps its status and gains cancel', async (t) => {
  const h = await open();
  t.teardown(h.close);
  t.like(h.firing, { status: 'dispatched', rmf_task_id: 'patrol.dispatch-0' });
  const res = await h.call(
    h.http.patch(`/occurrences/${h.occurrence}`).send({ enabled: false, reason: 'ward closed' }),
  );
  t.is(res.status, 200);
  t.like(res.body, { state: 'dispatched' });
  t.is(res.body.cancellations.length, 1);
  t.like(res.body.cancellations[0], {
    firing_id: h.firing.id,
    state: 'canceled',
    by: 'simulated',
    rmf_task_id: 'patrol.dispatch-0',
    reason: 'the occurrence was disabled: ward closed',
    errors: [],
  });
  t.deepEqual(h.dispatcher.cancels, [['patrol.dispatch-0', true]]);

  const stored = (await h.http.get(`/firings/${h.firing.id}`).expect(200)).body;
  t.is(stored.status, 'dispatched');
  t.like(stored.cancel, { state: 'canceled', by: 'simulated', rmf_task_id: 'patrol.dispatch-0' });
  const updates = h.events.filter((e) => e.type === 'firing.updated');
  t.deepEqual(
    updates.map((e) => (e.type === 'firing.updated' ? [e.change, e.firing.cancel?.state, e.ruleName] : [])),
    [
      ['cancel', 'requested', 'ward 3 linen'],
      ['cancel', 'canceled', 'ward 3 linen'],
    ],
  );
  const metrics = await h.registry.metrics();
  t.regex(metrics, /rmf_scheduler_cancellations_total\{result="canceled"\} 1/);

  // Asked once: doing it again changes the override, not RMF.
  await h.call(h.http.delete(`/occurrences/${h.occurrence}`).expect(204));
  t.is(h.dispatcher.cancels.length, 1);
});

test('moving an occurrence already sent cancels it and sends it again for the new time', async (t) => {
  const h = await open();
  t.teardown(h.close);
  const res = await h.call(
    h.http.patch(`/occurrences/${h.occurrence}`).send({ at: '2026-01-05T10:30:00.000Z' }),
  );
  t.is(res.status, 200, JSON.stringify(res.body));
  t.like(res.body, { at: '2026-01-05T10:30:00.000Z', state: 'claimed' });
  t.like(res.body.cancellations[0], { state: 'canceled', rmf_task_id: 'patrol.dispatch-0' });
  // sent again an hour ahead of its new time
  await h.clock.advanceTo(Date.parse('2026-01-05T09:29:59.000Z'));
  t.is(h.dispatcher.received.length, 1);
  await h.clock.advanceTo(Date.parse('2026-01-05T09:30:01.000Z'));
  t.is(h.dispatcher.received.length, 2);
  const again = JSON.parse(h.dispatcher.received[1]?.json_msg ?? '{}') as {
    request: { unix_millis_earliest_start_time: number; labels: string[] };
  };
  t.is(again.request.unix_millis_earliest_start_time, Date.parse('2026-01-05T10:30:00.000Z'));
  t.true(again.request.labels.includes(`occurrence=${NINE}`), 'the same occurrence');
  const firing = (await h.http.get(`/firings/${h.firing.id}`).expect(200)).body;
  t.like(firing, {
    status: 'dispatched',
    fire_at: '2026-01-05T10:30:00.000Z',
    rmf_task_id: 'patrol.dispatch-1',
  });
  t.like(firing.cancel, { state: 'canceled', rmf_task_id: 'patrol.dispatch-0' });
  t.not(firing.request_id, null);
  const page = (await h.http.get(`/rules/${h.rule.id}/firings`).expect(200)).body;
  t.is(page.total, 1, 'one occurrence, one firing');
});

test('a move RMF does not cancel is refused and changes nothing; the failed cancel is recorded', async (t) => {
  const h = await open();
  t.teardown(h.close);
  h.dispatcher.refuseCancel(['code 42: the robot is already on its way']);
  const res = await h.call(
    h.http.patch(`/occurrences/${h.occurrence}`).send({ at: '2026-01-05T11:00:00.000Z' }),
  );
  t.is(res.status, 503);
  t.is(res.body.error.code, 'RMF_UNAVAILABLE');
  t.regex(
    res.body.error.message,
    /RMF did not cancel the task already sent .*already on its way.*it was not moved/,
  );
  const occurrence = (await h.http.get(`/occurrences/${h.occurrence}`).expect(200)).body;
  t.like(occurrence, { at: NINE, state: 'dispatched' });
  const firing = (await h.http.get(`/firings/${h.firing.id}`).expect(200)).body;
  t.like(firing, { status: 'dispatched', fire_at: NINE, rmf_task_id: 'patrol.dispatch-0' });
  t.like(firing.cancel, { state: 'failed', errors: ['code 42: the robot is already on its way'] });
  t.is(h.dispatcher.received.length, 1, 'nothing sent again');
});

test('disabling or deleting the rule cancels what it sent ahead; the answers say so', async (t) => {
  const h = await open();
  t.teardown(h.close);
  const disabled = await h.call(h.http.post(`/rules/${h.rule.id}/disable`).send({ reason: 'lift broken' }));
  t.is(disabled.status, 200);
  t.like(disabled.body, { enabled: false });
  t.like(disabled.body.cancellations[0], { state: 'canceled', reason: 'the rule was disabled: lift broken' });

  const other = await open();
  t.teardown(other.close);
  t.like(other.firing, { status: 'dispatched' });
  const deleted = await other.call(other.http.delete(`/rules/${other.rule.id}`));
  t.is(deleted.status, 200, JSON.stringify(deleted.body));
  t.like(deleted.body.cancellations[0], {
    firing_id: other.firing.id,
    state: 'canceled',
    reason: 'the rule was deleted',
  });
  const kept = (await other.http.get(`/firings/${other.firing.id}`).expect(200)).body;
  t.like(kept.cancel, { state: 'canceled' });
  // nothing sent ahead: plain 204 as before
  await other.http.delete(`/rules/${h.rule.id}`).expect(404);
});

test('once its instant has passed, or with rmf.cancel_withdrawn off, a sent occurrence no longer changes', async (t) => {
  const off = await open({ cancelWithdrawn: false });
  t.teardown(off.close);
  const refused = await off.call(off.http.patch(`/occurrences/${off.occurrence}`).send({ enabled: false }));
  t.is(refused.status, 422);
  t.regex(refused.body.error.message, /already fired \(dispatched\)/);
  t.deepEqual(off.dispatcher.cancels, []);
  const rule = await off.call(off.http.post(`/rules/${off.rule.id}/disable`).send({}));
  t.is(rule.body.cancellations, undefined);

  const h = await open();
  t.teardown(h.close);
  await h.clock.advanceTo(Date.parse('2026-01-05T09:00:01.000Z'));
  const late = await h.call(h.http.patch(`/occurrences/${h.occurrence}`).send({ enabled: false }));
  t.is(late.status, 422, 'RMF may have started it: nothing to take back');
  t.deepEqual(h.dispatcher.cancels, []);
});

test('an occurrence whose task RMF cancelled can be enabled again: it is sent again for its time', async (t) => {
  const h = await open();
  t.teardown(h.close);
  await h.call(h.http.patch(`/occurrences/${h.occurrence}`).send({ enabled: false }).expect(200));
  const enabled = await h.call(h.http.patch(`/occurrences/${h.occurrence}`).send({ enabled: true }));
  t.is(enabled.status, 200, JSON.stringify(enabled.body));
  t.deepEqual(enabled.body.cancellations, undefined, 'nothing more to cancel');
  let firing = (await h.http.get(`/firings/${h.firing.id}`).expect(200)).body;
  for (let i = 0; i < 1_000 && firing.status !== 'dispatched'; i++) {
    await h.clock.advance(10);
    firing = (await h.http.get(`/firings/${h.firing.id}`).expect(200)).body;
  }
  t.like(firing, { status: 'dispatched', fire_at: NINE, rmf_task_id: 'patrol.dispatch-1' });
  t.is(h.dispatcher.received.length, 2);
});
