/**
 * A task created through `/scheduled_tasks` runs like any rule, on simulated time with the
 * simulated RMF dispatcher, on SQLite and PostgreSQL: exactly once per occurrence, never on its
 * except dates, each run a `dispatch_task_request` with the stored task_request (its labels kept,
 * the scheduler's added), the occurrence's instant as earliest start and a fresh request time;
 * its firings are in /firings and `last_ran` is the last one published.
 */
import test from 'ava';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger } from '../../src/log.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import { createRuntimeMetrics } from '../../src/runtime/metrics.js';
import { startRuntime } from '../../src/runtime/startRuntime.js';
import { openStore } from '../../src/store/openStore.js';
import { DIALECTS } from '../helpers/testApp.js';
import { createTestDatabase, type TestDialect } from '../helpers/testDb.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';

/** Monday 2026-01-05 00:00 in Singapore. */
const START = Date.parse('2026-01-04T16:00:00.000Z');

async function open(dialect: TestDialect) {
  const db = await createTestDatabase(dialect);
  const clock = createSimulatedClock(START, {
    settle: () => new Promise((resolve) => setTimeout(resolve, 2)),
  });
  const logger = createMemoryLogger();
  const store = await openStore({ dbUrl: db.dbUrl, logger, clock, migrate: true });
  const dispatcher = createSimulatedDispatcher({ clock, latencyMs: 50 });
  const config = applyOverrides(
    defaultConfig(process.cwd()),
    { db_url: db.dbUrl, timezone: 'Asia/Singapore', 'rmf.transport': 'sim', sync_interval_ms: 60_000 },
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
  const app = createApp({ scheduler, config, logger, registry, now: () => clock.now(), version: 'test' });
  return {
    clock,
    dispatcher,
    http: supertest(app.callback()),
    close: async () => {
      await scheduler.stop();
      await dispatcher.close();
      await store.close();
      await db.drop();
    },
  };
}

const taskRequest = {
  category: 'patrol',
  description: { places: ['lobby', 'ward_a'], rounds: 1 },
  unix_millis_earliest_start_time: 0,
  unix_millis_request_time: 1_000,
  priority: { type: 'binary', value: 0 },
  requester: 'nurse',
  labels: ['task_definition_id=patrol', 'destination=lobby'],
};

for (const dialect of DIALECTS) {
  test(`${dialect}: a scheduled task fires once per occurrence, not on its except date, each run RMF's request with its labels`, async (t) => {
    const h = await open(dialect);
    t.teardown(h.close);
    const created = await h.http
      .post('/scheduled_tasks')
      .send({
        task_request: taskRequest,
        schedules: [
          { period: 'day', at: '09:00' },
          { period: 'tuesday', at: '09:00' },
        ],
        except_dates: ['2026-01-06'],
      })
      .expect(201);
    const id = created.body.id as number;
    const rule = (await h.http.get(`/rules?label=rmf_web_task_id%3D${id}`).expect(200)).body.items[0];
    const recorded = async (): Promise<number> =>
      (await h.http.get(`/firings?rule_id=${rule.id}`).expect(200)).body.items.filter(
        (f: { status: string }) => f.status !== 'claimed',
      ).length;
    // To each 09:00 of three days; there, until its outcome is recorded.
    for (const [day, n] of [
      ['2026-01-05', 1],
      ['2026-01-06', 2],
      ['2026-01-07', 3],
    ] as const) {
      await h.clock.advanceTo(Date.parse(`${day}T00:59:59.000Z`));
      for (let i = 0; i < 400 && (await recorded()) < n; i++) await h.clock.advance(50);
    }
    await h.clock.advanceTo(Date.parse('2026-01-08T00:00:00.000Z'));
    const sent = h.dispatcher.received.map((m) => JSON.parse(m.json_msg));
    t.is(sent.length, 2, 'Monday and Wednesday; Tuesday is an except date (and its two schedules meet once)');
    const monday = Date.parse('2026-01-05T01:00:00.000Z');
    const wednesday = Date.parse('2026-01-07T01:00:00.000Z');
    t.deepEqual(
      sent.map((p) => p.request.unix_millis_earliest_start_time),
      [monday, wednesday],
    );
    for (const p of sent) {
      t.is(p.type, 'dispatch_task_request');
      t.like(p.request, {
        category: 'patrol',
        description: taskRequest.description,
        priority: taskRequest.priority,
        requester: 'nurse',
      });
      t.true(
        p.request.unix_millis_request_time >= p.request.unix_millis_earliest_start_time,
        'a fresh request time',
      );
      t.deepEqual(p.request.labels.slice(0, 4), [
        'task_definition_id=patrol',
        'destination=lobby',
        'rmf_web_scheduled_task',
        `rmf_web_task_id=${id}`,
      ]);
      t.true(p.request.labels.includes('scheduler'));
    }
    const firings = (await h.http.get(`/firings?rule_id=${rule.id}&order=asc`).expect(200)).body
      .items as Array<{
      due_at: string;
      status: string;
      error: string | null;
      published_at: string | null;
    }>;
    t.deepEqual(
      firings.map((f) => [f.due_at, f.status]),
      [
        ['2026-01-05T01:00:00.000Z', 'dispatched'],
        ['2026-01-06T01:00:00.000Z', 'skipped'],
        ['2026-01-07T01:00:00.000Z', 'dispatched'],
      ],
    );
    t.regex(firings[1]!.error ?? '', /2026-01-06 is an except date/);
    const task = (await h.http.get(`/scheduled_tasks/${id}`).expect(200)).body;
    t.is(Date.parse(task.last_ran), Date.parse(firings[2]!.published_at!));
  });
}
