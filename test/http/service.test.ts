import anyTest, { type TestFn } from 'ava';
import { createTestApp } from '../helpers/testApp.js';
import { DIALECTS, errorOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

for (const d of DIALECTS) {
  test(`${d}: GET /health reports the store, the simulated transport and the rules`, async (t) => {
    const { http } = appOf(d);
    const res = await http.get('/health').expect(200);
    t.is(res.body.status, 'ok');
    t.true(res.body.store.ok);
    t.is(res.body.store.dialect, d === 'postgres' ? 'postgres' : 'sqlite');
    t.deepEqual(res.body.rmf, { transport: 'simulated', simulated: true });
    t.is(typeof res.body.rules.total, 'number');
    t.is(res.headers['cache-control'], 'no-store');
  });
}

test('a request answered while the service stops closes its connection (the stop does not wait on it)', async (t) => {
  const stopping = new AbortController();
  const app = await createTestApp({ dialect: 'sqlite-memory', shutdown: stopping.signal });
  t.teardown(() => app.close());
  const before = await fetch(`${app.url}/health`);
  t.is(before.headers.get('connection'), 'keep-alive');
  stopping.abort();
  const during = await fetch(`${app.url}/rules`);
  t.is(during.status, 200);
  t.is(during.headers.get('connection'), 'close');
});

test('postgres: /health and the API answer 503 when the database goes away', async (t) => {
  const app = await createTestApp({ dialect: 'postgres' });
  t.teardown(() => app.close());
  await app.http.post('/rules').send(ruleBody()).expect(201);
  await app.db.drop();
  const res = await app.http.get('/health').expect(503);
  t.false(res.body.store.ok);
  t.is(res.body.status, 'degraded');
  const list = await app.http.get('/rules').expect(503);
  t.is(errorOf(t, list.body).code, 'STORE_UNAVAILABLE');
});

test('GET /metrics serves Prometheus text with HTTP request counts and latencies', async (t) => {
  const { http } = appOf('sqlite-memory');
  await http.get('/rules').expect(200);
  await http.get('/rules/not-a-uuid').expect(422);
  const res = await http.get('/metrics').expect(200);
  t.regex(res.headers['content-type'] ?? '', /^text\/plain/);
  t.regex(res.text, /http_requests_total\{method="GET",route="\/rules",status="200"\} \d+/);
  t.regex(res.text, /http_requests_total\{method="GET",route="\/rules\/:id",status="422"\} \d+/);
  t.regex(
    res.text,
    /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/rules",status="200"\} \d+/,
  );
});

test('GET /openapi.json describes every route from the validating schemas', async (t) => {
  const { http } = appOf('sqlite-memory');
  const res = await http.get('/openapi.json').expect(200);
  const doc = res.body as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };
  t.is(doc.openapi, '3.1.0');
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  for (const route of [
    'POST /rules',
    'GET /rules',
    'GET /rules/{id}',
    'PUT /rules/{id}',
    'PATCH /rules/{id}',
    'DELETE /rules/{id}',
    'POST /rules/{id}/enable',
    'POST /rules/{id}/disable',
    'POST /rules/{id}/trigger',
    'GET /rules/{id}/occurrences',
    'GET /occurrences',
    'GET /occurrences/{id}',
    'PATCH /occurrences/{id}',
    'DELETE /occurrences/{id}',
    'POST /schedules/preview',
    'GET /rules/{id}/firings',
    'GET /firings',
    'GET /firings/{id}',
    'GET /health',
    'GET /metrics',
  ]) {
    t.true(routes.includes(route), route);
  }
  const create = doc.paths['/rules']?.post as {
    requestBody: {
      content: {
        'application/json': { schema: { properties: Record<string, unknown>; required: string[] } };
      };
    };
  };
  const schema = create.requestBody.content['application/json'].schema;
  t.true(
    'schedule' in schema.properties && 'task' in schema.properties && 'lead_time_ms' in schema.properties,
  );
  t.true(schema.required.includes('name'));
  const list = doc.paths['/rules']?.get as { parameters: Array<{ name: string; in: string }> };
  t.deepEqual(list.parameters.map((p) => p.name).sort(), [
    'enabled',
    'label',
    'limit',
    'name',
    'next_due_after',
    'next_due_before',
    'offset',
    'sort',
    'state',
  ]);
  t.truthy(doc.components.schemas.Rule);
  t.truthy(doc.components.schemas.Error);
});

test('GET /docs is the API reference from the files the service ships (Swagger UI), scripts of its own only', async (t) => {
  const { http } = appOf('sqlite-memory');
  const res = await http.get('/docs').expect(200);
  t.regex(res.headers['content-type'] ?? '', /^text\/html/);
  const csp = res.headers['content-security-policy'] ?? '';
  t.regex(csp, /default-src 'none'/);
  t.regex(csp, /script-src 'self'(;|$)/);
  const files = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  t.deepEqual(files.sort(), [
    'docs/favicon-32x32.png',
    'docs/init.js',
    'docs/swagger-ui-bundle.js',
    'docs/swagger-ui.css',
    'openapi.json',
  ]);
  const bundle = await http.get('/docs/swagger-ui-bundle.js').expect(200);
  t.regex(bundle.headers['content-type'] ?? '', /^text\/javascript/);
  t.true(bundle.text.includes('SwaggerUIBundle'));
  const init = await http.get('/docs/init.js').expect(200);
  t.regex(init.text, /url: new URL\('openapi\.json', document\.baseURI\)/);
  t.regex(init.text, /validatorUrl: null/, 'no call to an outside validator');
  await http
    .get('/docs/swagger-ui.css')
    .expect('content-type', /^text\/css/)
    .expect(200);
  await http.get('/docs/package.json').expect(404);
  await http.get('/docs/..%2Fpackage.json').expect(404);
  const slash = await http.get('/docs/').expect(302);
  t.is(slash.headers.location, '../docs');
});

test('unknown routes are 404 and wrong methods 405, as JSON errors', async (t) => {
  const { http } = appOf('sqlite-memory');
  const missing = await http.get('/nowhere').expect(404);
  t.is(errorOf(t, missing.body).code, 'NOT_FOUND');
  const method = await http.post('/firings').send({}).expect(405);
  t.is(errorOf(t, method.body).code, 'METHOD_NOT_ALLOWED');
});

test('CORS: configured origins are allowed, others get no CORS headers', async (t) => {
  const app = await createTestApp({
    dialect: 'sqlite-memory',
    config: { cors_origins: ['https://dashboard.example'] },
  });
  t.teardown(() => app.close());
  const ok = await app.http.get('/rules').set('Origin', 'https://dashboard.example').expect(200);
  t.is(ok.headers['access-control-allow-origin'], 'https://dashboard.example');
  const preflight = await app.http
    .options('/rules')
    .set('Origin', 'https://dashboard.example')
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'content-type,if-match');
  t.is(preflight.status, 204);
  t.regex(preflight.headers['access-control-allow-methods'] ?? '', /POST/);
  const other = await app.http.get('/rules').set('Origin', 'https://evil.example').expect(200);
  t.is(other.headers['access-control-allow-origin'], undefined);
});

test('rules created over HTTP show up in the simulated RMF requests with tracing labels', async (t) => {
  const { http, dispatcher } = appOf('sqlite-memory');
  const rule = (await http.post('/rules').send(ruleBody()).expect(201)).body;
  await http.post(`/rules/${rule.id}/trigger`).expect(201);
  const sent = dispatcher.received.map((r) => JSON.parse(r.json_msg) as { request: { labels: string[] } });
  t.true(sent.some((m) => m.request.labels.includes(`rule_id=${rule.id}`)));
});
