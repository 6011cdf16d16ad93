/**
 * GET /replicas, /health and /metrics as an operator running several replicas reads them: this
 * replica alive, with its host and pid, the alive count and the clock skew against the database.
 */
import test from 'ava';
import { createTestApp } from '../helpers/testApp.js';

test('postgres: GET /replicas lists this replica alive; /health and /metrics count it and give the skew', async (t) => {
  const app = await createTestApp({ dialect: 'postgres', config: { replica_id: 'site-a:1:abcdef' } });
  t.teardown(() => app.close());
  const list = (await app.http.get('/replicas').expect(200)).body as {
    items: Array<Record<string, unknown>>;
  };
  t.is(list.items.length, 1);
  t.like(list.items[0], {
    id: 'site-a:1:abcdef',
    host: 'test-host',
    pid: process.pid,
    version: '0.0.0-test',
    state: 'alive',
    heartbeat_interval_ms: 1000,
  });
  const health = (await app.http.get('/health').expect(200)).body as {
    replicas: { alive: number };
    clock_skew_ms: number;
  };
  t.deepEqual(health.replicas, { alive: 1 });
  t.true(Math.abs(health.clock_skew_ms) < 500, `skew ${health.clock_skew_ms} ms`);
  const metrics = (await app.http.get('/metrics').expect(200)).text;
  t.regex(metrics, /^rmf_scheduler_replicas_alive 1$/m);
  t.regex(metrics, /^rmf_scheduler_clock_skew_seconds -?\d/m);
});

test('postgres: a replica stopped cleanly is gone', async (t) => {
  const app = await createTestApp({ dialect: 'postgres', config: { replica_id: 'site-b:2:abcdef' } });
  const { scheduler } = app;
  await scheduler.stop();
  const items = await scheduler.replicas();
  t.deepEqual(
    items.map((r) => [r.id, r.state]),
    [['site-b:2:abcdef', 'gone']],
  );
  await app.close();
});
