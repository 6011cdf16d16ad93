/**
 * A rule's state over its life, through REST on the simulated clock: active while something is
 * ahead, finished once a once-rule fired (or a count is used up), disabled when disabled.
 */
import anyTest, { type TestFn } from 'ava';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { openStore } from '../../src/store/openStore.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';
import { ALL_DIALECTS, type AppDialect } from '../helpers/testApp.js';
import { createTestDatabase } from '../helpers/testDb.js';
import { patrolTask } from './fixtures.js';

const test = anyTest as TestFn;
const START = Date.parse('2026-01-05T07:30:00.000Z');

async function open(dialect: AppDialect) {
  const db = await createTestDatabase(dialect);
  const clock = createSimulatedClock(START, {
    settle: () => new Promise((resolve) => setTimeout(resolve, 2)),
  });
  const logger = createMemoryLogger();
  const store = await openStore({ dbUrl: db.dbUrl, logger, clock });
  const dispatcher = createSimulatedDispatcher({ clock, latencyMs: 50 });
  const config = applyOverrides(
    defaultConfig(process.cwd()),
    { db_url: db.dbUrl, timezone: 'UTC', 'rmf.transport': 'sim' },
    'test',
  );
  const { scheduler } = await startRuntime({
    clock,
    store,
    dispatcher,
    logger,
    config,
    version: 'test',
    metrics: createRuntimeMetrics(new Registry()),
  });
  const app = createApp({
    scheduler,
    config,
    logger,
    registry: new Registry(),
    now: () => clock.now(),
    version: 'test',
  });
  return {
    clock,
    http: supertest(app.callback()),
    close: async () => {
      await scheduler.stop();
      await dispatcher.close();
      await store.close();
      await db.drop();
    },
  };
}

for (const d of ALL_DIALECTS) {
  test(`${d}: a once-rule is active until it fires, then finished; ?state= filters on it`, async (t) => {
    const h = await open(d);
    t.teardown(h.close);
    const create = (name: string, schedule: Record<string, unknown>) =>
      h.http.post('/rules').send({ name, schedule, task: patrolTask }).expect(201);
    const once = (
      await create('ward 3 linen once', { kind: 'once', at: '2026-01-05T08:00', timezone: 'UTC' })
    ).body;
    const counted = (
      await create('ward 3 linen twice', {
        kind: 'daily',
        times: ['08:00', '08:30'],
        count: 2,
        timezone: 'UTC',
        start: '2026-01-05T00:00',
      })
    ).body;
    const daily = (await create('ward 3 linen daily', { kind: 'daily', times: ['08:00'], timezone: 'UTC' }))
      .body;
    const off = (await create('ward 3 linen off', { kind: 'daily', times: ['08:00'], timezone: 'UTC' })).body;
    await h.http.post(`/rules/${off.id}/disable`).send({ reason: 'ward closed' }).expect(200);
    t.like(once, { state: 'active', next_due_at: '2026-01-05T08:00:00.000Z' });

    // 08:45: the once-rule's 08:00 has come, and the count of two is used up at 08:30.
    const fired = async () => (await h.http.get(`/rules/${counted.id}/firings`).expect(200)).body.total;
    await h.clock.advanceTo(Date.parse('2026-01-05T08:45:00.000Z'));
    for (let i = 0; i < 500 && (await fired()) < 2; i++) await h.clock.advance(10);

    const state = async (id: string) => (await h.http.get(`/rules/${id}`).expect(200)).body;
    t.like(await state(once.id), { state: 'finished', enabled: true, next_due_at: null });
    t.like(await state(counted.id), { state: 'finished', enabled: true, next_due_at: null });
    t.like(await state(daily.id), { state: 'active', next_due_at: '2026-01-06T08:00:00.000Z' });
    t.like(await state(off.id), { state: 'disabled' });

    const ids = async (q: string) =>
      ((await h.http.get(`/rules?${q}&sort=name`).expect(200)).body.items as Array<{ id: string }>).map(
        (r) => r.id,
      );
    t.deepEqual(await ids('state=finished'), [once.id, counted.id]);
    t.deepEqual(await ids('state=active'), [daily.id]);
    t.deepEqual(await ids('state=disabled'), [off.id]);
    const bad = await h.http.get('/rules?state=done').expect(422);
    t.is(bad.body.error.details.field, 'state');

    // A scheduled firing names its rule and nobody who triggered it.
    const [firing] = (await h.http.get(`/rules/${once.id}/firings`).expect(200)).body.items;
    t.like(firing, {
      trigger: 'schedule',
      rule_name: 'ward 3 linen once',
      triggered_by: null,
    });
  });
}
