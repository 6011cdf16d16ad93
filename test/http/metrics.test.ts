/**
 * /metrics as a Prometheus user reads it: requests refused before routing carry the route they
 * were aimed at; every firing outcome series exists from the start; gauges say the transport is
 * simulated, the store is up, claims without an outcome, rules by state and the next due instant;
 * with auth on, `metrics_public` lets Prometheus scrape without a token, and /docs, /openapi.json
 * and /health never need one. The shipped Grafana dashboard and alert rules name only metrics
 * the service exports.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'ava';
import { exportSPKI, generateKeyPair } from 'jose';
import { parse as parseYaml } from 'yaml';
import { TERMINAL_STATUSES } from '../../src/rules/Firing.js';
import { createTestApp, type TestApp } from '../helpers/testApp.js';
import { ruleBody } from './fixtures.js';

/** The value of one series, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(app: TestApp): Promise<string> {
  return (await app.http.get('/metrics').expect(200)).text;
}

test('requests refused before routing are labelled with the route they aimed at; only real 404s are unmatched', async (t) => {
  const app = await createTestApp({ dialect: 'sqlite-memory', config: { body_limit: 1024 } });
  t.teardown(() => app.close());
  await app.http.post('/rules').set('content-type', 'application/json').send('{"name":').expect(400);
  await app.http
    .post('/rules')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ name: 'x'.repeat(4096) }))
    .expect(413);
  await app.http.post('/rules').set('content-type', 'text/plain').send('hello').expect(415);
  await app.http.get('/no/such/path').expect(404);
  const text = await scrape(app);
  for (const status of ['400', '413', '415'])
    t.is(sample(text, 'http_requests_total', { method: 'POST', route: '/rules', status }), 1, status);
  t.is(sample(text, 'http_requests_total', { route: 'unmatched', status: '404' }), 1);
  t.is(sample(text, 'http_requests_total', { route: 'unmatched', status: '400' }), undefined);
});

test('every firing outcome series exists from the start at 0; a firing moves its own', async (t) => {
  const app = await createTestApp({ dialect: 'sqlite-memory' });
  t.teardown(() => app.close());
  const before = await scrape(app);
  for (const outcome of TERMINAL_STATUSES)
    for (const trigger of ['schedule', 'manual'])
      t.is(sample(before, 'rmf_scheduler_firings_total', { outcome, trigger }), 0, `${outcome} ${trigger}`);
  const rule = (await app.http.post('/rules').send(ruleBody()).expect(201)).body as { id: string };
  await app.http.post(`/rules/${rule.id}/trigger`).expect(201);
  const after = await scrape(app);
  t.is(sample(after, 'rmf_scheduler_firings_total', { outcome: 'dispatched', trigger: 'manual' }), 1);
  t.is(sample(after, 'rmf_scheduler_firings_total', { outcome: 'rejected', trigger: 'manual' }), 0);
});

test('gauges: simulated transport, store up (then down), claims without an outcome, rules by state, next due instant', async (t) => {
  const app = await createTestApp({ dialect: 'sqlite-file' });
  t.teardown(() => app.close());
  const empty = await scrape(app);
  t.is(sample(empty, 'rmf_scheduler_rmf_simulated'), 1);
  t.is(sample(empty, 'rmf_scheduler_store_up'), 1);
  t.is(sample(empty, 'rmf_scheduler_claims_without_outcome'), 0);
  t.is(sample(empty, 'rmf_scheduler_rules', { state: 'enabled' }), 0);
  t.is(sample(empty, 'rmf_scheduler_next_due_timestamp_seconds'), 0, 'no rule: nothing will fire');

  const now = Date.now();
  const soon = (
    await app.http
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'once', at: new Date(now + 600_000).toISOString().slice(0, 19) } }))
      .expect(201)
  ).body as { id: string; next_due_at: string };
  await app.http
    .post('/rules')
    .send(ruleBody({ schedule: { kind: 'once', at: new Date(now + 1_200_000).toISOString().slice(0, 19) } }))
    .expect(201);
  const off = (await app.http.post('/rules').send(ruleBody()).expect(201)).body as { id: string };
  await app.http.post(`/rules/${off.id}/disable`).send({}).expect(200);
  const three = await scrape(app);
  t.is(sample(three, 'rmf_scheduler_rules', { state: 'enabled' }), 2);
  t.is(sample(three, 'rmf_scheduler_rules', { state: 'disabled' }), 1);
  t.is(sample(three, 'rmf_scheduler_next_due_timestamp_seconds'), Date.parse(soon.next_due_at) / 1000);

  // RMF does not answer: the manual firing stays claimed without an outcome until it times out.
  app.dispatcher.drop({}, { times: 1 });
  const pending = app.http
    .post(`/rules/${soon.id}/trigger`)
    .expect(201)
    .then((res) => res.body as { status: string }); // .then sends it
  while (app.dispatcher.received.length === 0) await new Promise((r) => setTimeout(r, 10));
  t.is(sample(await scrape(app), 'rmf_scheduler_claims_without_outcome'), 1);
  t.is((await pending).status, 'timed_out');
  t.is(sample(await scrape(app), 'rmf_scheduler_claims_without_outcome'), 0);

  await app.store.close();
  t.is(sample(await scrape(app), 'rmf_scheduler_store_up'), 0);
});

test('with auth on: /docs, /openapi.json and /health need no token; /metrics does unless metrics_public', async (t) => {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  const auth = { iss: 'https://id.example', jwt_public_key: await exportSPKI(publicKey) };
  const [closed, open] = await Promise.all([
    createTestApp({ dialect: 'sqlite-memory', config: auth }),
    createTestApp({ dialect: 'sqlite-memory', config: { ...auth, metrics_public: true } }),
  ]);
  t.teardown(() => Promise.all([closed.close(), open.close()]).then(() => undefined));
  for (const app of [closed, open]) {
    await app.http.get('/health').expect(200);
    await app.http.get('/docs').expect(200);
    await app.http.get('/openapi.json').expect(200);
    await app.http.get('/rules').expect(401);
  }
  await closed.http.get('/metrics').expect(401);
  const scraped = await open.http.get('/metrics').expect(200);
  t.regex(scraped.text, /rmf_scheduler_store_up 1/);
  t.is(sample(scraped.text, 'http_requests_total', { method: 'GET', route: '/rules', status: '401' }), 1);
});

/** Metric names in PromQL expressions (a name followed by `{`, `[`, `(` , space or the end). */
function metricNames(expr: string): string[] {
  const names = expr.match(/\b(rmf_scheduler_[a-z_]+|http_request[a-z_]+)\b/g) ?? [];
  return names.map((n) => n.replace(/_(bucket|sum|count)$/, ''));
}

test('the Grafana dashboard and the Prometheus alert rules name only metrics the service exports', async (t) => {
  const app = await createTestApp({ dialect: 'sqlite-memory' });
  t.teardown(() => app.close());
  await app.http.get('/health').expect(200);
  const exported = new Set([...(await scrape(app)).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string));
  const dashboard = JSON.parse(
    readFileSync(resolve(process.cwd(), 'deploy/grafana/rmf-task-scheduler.json'), 'utf8'),
  ) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
  const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr));
  t.true(dashboardExprs.length >= 8);
  const alerts = parseYaml(readFileSync(resolve(process.cwd(), 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  };
  const rules = alerts.groups.flatMap((g) => g.rules);
  for (const expr of [...dashboardExprs, ...rules.map((r) => r.expr)]) {
    const names = metricNames(expr);
    t.true(names.length > 0, expr);
    for (const name of names) t.true(exported.has(name), `${name} (in ${expr}) is not exported`);
  }
  const alertNames = rules.map((r) => r.alert);
  for (const wanted of [
    'RmfSchedulerFiringsRejected',
    'RmfSchedulerFiringsTimedOut',
    'RmfSchedulerFiringsMissed',
    'RmfSchedulerClaimsWithoutOutcome',
    'RmfSchedulerStoreDown',
    'RmfSchedulerSimulatedDispatcher',
  ])
    t.true(alertNames.includes(wanted), wanted);
});
