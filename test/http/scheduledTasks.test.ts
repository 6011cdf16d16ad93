/**
 * rmf-web's `/scheduled_tasks` routes (shared/rmf/RMF_WEB_SCHEDULED_TASKS.md) through HTTP, on
 * SQLite and PostgreSQL: each route's status and shape, integer ids, each task one rule found by
 * its label, its JWT auth (scheme in any case, `created_by` from the token), the config key that
 * turns the routes off, CORS for a dashboard on another origin, and what a task whose rule was
 * changed through /rules into something rmf-web cannot express answers.
 */
import test from 'ava';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createTestApp, DIALECTS, type AppDialect, type TestApp } from '../helpers/testApp.js';

const patrol = {
  category: 'patrol',
  description: { places: ['lobby'], rounds: 1 },
  unix_millis_earliest_start_time: 0,
  unix_millis_request_time: 1_700_000_000_000,
  priority: { type: 'binary', value: 0 },
  requester: 'alice',
  labels: ['task_definition_id=patrol', 'destination=lobby'],
};
const weekly = [
  { period: 'monday', at: '09:00' },
  { period: 'wednesday', at: '09:00' },
];

async function open(
  t: { teardown(fn: () => unknown): void },
  dialect: AppDialect,
  config: Record<string, unknown> = {},
): Promise<TestApp> {
  const app = await createTestApp({ dialect, config: { timezone: 'Asia/Singapore', ...config } });
  t.teardown(() => app.close());
  return app;
}

for (const dialect of DIALECTS) {
  test(`${dialect}: POST is 201 with rmf-web's ScheduledTask, every field present; GET /{id} answers the same`, async (t) => {
    const app = await open(t, dialect);
    const res = await app.http
      .post('/scheduled_tasks')
      .send({ task_request: patrol, schedules: weekly })
      .expect(201);
    t.deepEqual(res.body, {
      id: 1,
      task_request: { ...patrol, fleet_name: null },
      created_by: '',
      schedules: [
        { every: null, period: 'monday', at: '09:00' },
        { every: null, period: 'wednesday', at: '09:00' },
      ],
      last_ran: null,
      start_from: null,
      until: null,
      except_dates: [],
    });
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(200)).body, res.body);
    const second = await app.http
      .post('/scheduled_tasks')
      .send({
        task_request: { category: 'clean', description: 'zone_a' },
        schedules: [{ period: 'day', at: '07:30:15', every: 2 }],
        start_from: '2124-03-01T00:00:05.250+00:00',
        until: '2124-06-01T08:00:00+08:00',
      })
      .expect(201);
    t.like(second.body, {
      id: 2,
      schedules: [{ every: 2, period: 'day', at: '07:30:15' }],
      // Instants as pydantic writes UTC; the start rounds up to the second it counts from.
      start_from: '2124-03-01T00:00:06Z',
      until: '2124-06-01T00:00:00Z',
      task_request: {
        category: 'clean',
        description: 'zone_a',
        unix_millis_earliest_start_time: null,
        unix_millis_request_time: null,
        priority: null,
        labels: null,
        requester: null,
        fleet_name: null,
      },
    });
  });

  test(`${dialect}: each task is one rule, named after its id, labelled, in the server zone`, async (t) => {
    const app = await open(t, dialect);
    await app.http.post('/scheduled_tasks').send({ task_request: patrol, schedules: weekly }).expect(201);
    await app.http
      .post('/scheduled_tasks')
      .send({
        task_request: patrol,
        schedules: [
          { period: 'hour', at: '15:30', every: 3 },
          { period: 'minute', at: ':17', every: 10 },
        ],
      })
      .expect(201);
    const found = (await app.http.get('/rules?label=rmf_web_task_id%3D2').expect(200)).body.items;
    t.is(found.length, 1);
    t.like(found[0], { name: 'scheduled task 2 — patrol', enabled: true });
    t.true(found[0].labels.includes('rmf_web_scheduled_task'));
    t.like(found[0].schedule, {
      kind: 'any_of',
      timezone: 'Asia/Singapore',
      schedules: [
        { kind: 'interval', every_seconds: 10_800, between: ['00:15:30', '23:59:59'] },
        { kind: 'interval', every_seconds: 600, between: ['00:00:17', '23:59:59'] },
      ],
    });
    const all = (await app.http.get('/rules?label=rmf_web_scheduled_task').expect(200)).body.items;
    t.deepEqual(all.map((r: { name: string }) => r.name).sort(), [
      'scheduled task 1 — patrol',
      'scheduled task 2 — patrol',
    ]);
    const one = all.find((r: { name: string }) => r.name === 'scheduled task 1 — patrol');
    t.like(one.schedule, {
      kind: 'any_of',
      schedules: [
        { kind: 'weekly', days: ['mon'], times: ['09:00:00'] },
        { kind: 'weekly', days: ['wed'], times: ['09:00:00'] },
      ],
    });
    // The stored request is what the dashboard sent, without the per-run timestamps.
    t.deepEqual(one.task, {
      type: 'dispatch_task_request',
      request: {
        category: 'patrol',
        description: { places: ['lobby'], rounds: 1 },
        priority: { type: 'binary', value: 0 },
        requester: 'alice',
        labels: ['task_definition_id=patrol', 'destination=lobby'],
      },
    });
  });

  test(`${dialect}: except_date is 201 null and adds the server-zone date; update is 200 and replaces all; DELETE is 200 null`, async (t) => {
    const app = await open(t, dialect);
    await app.http.post('/scheduled_tasks').send({ task_request: patrol, schedules: weekly }).expect(201);
    const added = await app.http
      .post('/scheduled_tasks/1/except_date')
      .send({ except_date: '2124-02-10T23:59:00+00:00' })
      .expect(201);
    t.is(added.text, 'null');
    t.regex(added.headers['content-type'] ?? '', /application\/json/);
    await app.http.post('/scheduled_tasks/1/except_date').send({ except_date: '2124-02-11' }).expect(201);
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(200)).body.except_dates, ['2124-02-11']);
    const updated = await app.http
      .post('/scheduled_tasks/1/update')
      .send({
        task_request: { ...patrol, description: { places: ['ward_a'], rounds: 2 } },
        schedules: [{ period: 'friday', at: '18:45' }],
        except_dates: ['2124-03-03T00:00:00+08:00'],
        until: '2125-01-01T00:00:00Z',
      })
      .expect(200);
    t.like(updated.body, {
      id: 1,
      schedules: [{ every: null, period: 'friday', at: '18:45' }],
      except_dates: ['2124-03-03'],
      until: '2125-01-01T00:00:00Z',
      start_from: null,
      task_request: { description: { places: ['ward_a'], rounds: 2 } },
    });
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(200)).body, updated.body);
    const rule = (await app.http.get('/rules?label=rmf_web_task_id%3D1').expect(200)).body.items[0];
    t.like(rule, { name: 'scheduled task 1 — patrol', version: 4 });
    const deleted = await app.http.delete('/scheduled_tasks/1').expect(200);
    t.is(deleted.text, 'null');
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(404)).body, { detail: 'Not Found' });
    await app.http.get(`/rules/${rule.id}`).expect(404);
    // An id is never given twice.
    const next = await app.http
      .post('/scheduled_tasks')
      .send({ task_request: patrol, schedules: weekly })
      .expect(201);
    t.is(next.body.id, 2);
  });

  test(`${dialect}: a task changed through /rules into what rmf-web cannot express is a 409 naming the rule, left out of the list, still deletable`, async (t) => {
    const app = await open(t, dialect);
    await app.http.post('/scheduled_tasks').send({ task_request: patrol, schedules: weekly }).expect(201);
    await app.http
      .post('/scheduled_tasks')
      .send({ task_request: patrol, schedules: [{ period: 'day', at: '10:00' }] })
      .expect(201);
    const rule = (await app.http.get('/rules?label=rmf_web_task_id%3D1').expect(200)).body.items[0];
    const list = () =>
      app.http
        .get('/scheduled_tasks?start_before=2200-01-01T00:00:00Z&until_after=2000-01-01T00:00:00Z')
        .expect(200);
    // Another schedule rmf-web can express: answered as rmf-web's.
    await app.http
      .patch(`/rules/${rule.id}`)
      .send({
        schedule: {
          kind: 'weekly',
          days: ['tue', 'thu'],
          times: ['08:00', '17:30:10'],
          timezone: 'Asia/Singapore',
        },
      })
      .expect(200);
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(200)).body.schedules, [
      { every: null, period: 'tuesday', at: '08:00' },
      { every: null, period: 'tuesday', at: '17:30:10' },
      { every: null, period: 'thursday', at: '08:00' },
      { every: null, period: 'thursday', at: '17:30:10' },
    ]);
    for (const [change, why] of [
      [
        { schedule: { kind: 'monthly', day: 1, times: ['09:00'], timezone: 'Asia/Singapore' } },
        /a monthly schedule/,
      ],
      [
        { schedule: { kind: 'daily', times: ['09:00'], timezone: 'Europe/Berlin' } },
        /time zone is Europe\/Berlin/,
      ],
      [
        { schedule: { kind: 'daily', times: ['09:00'], count: 3, timezone: 'Asia/Singapore' } },
        /after 3 occurrences/,
      ],
      [{ enabled: false }, /disabled/],
    ] as const) {
      await app.http.patch(`/rules/${rule.id}`).send(change).expect(200);
      const res = await app.http.get('/scheduled_tasks/1');
      t.is(res.status, 409, JSON.stringify(change));
      t.regex(res.body.detail, why);
      t.regex(res.body.detail, new RegExp(`GET /rules/${rule.id}`));
      t.deepEqual(
        (await list()).body.map((x: { id: number }) => x.id),
        [2],
      );
      await app.http.patch(`/rules/${rule.id}`).send({ enabled: true }).expect(200);
    }
    // /update makes it rmf-web's again.
    await app.http
      .post('/scheduled_tasks/1/update')
      .send({ task_request: patrol, schedules: [{ period: 'sunday', at: '06:00' }] })
      .expect(200);
    t.deepEqual((await app.http.get('/scheduled_tasks/1').expect(200)).body.schedules, [
      { every: null, period: 'sunday', at: '06:00' },
    ]);
    await app.http.patch(`/rules/${rule.id}`).send({ enabled: false }).expect(200);
    await app.http.delete('/scheduled_tasks/1').expect(200);
    await app.http.get(`/rules/${rule.id}`).expect(404);
  });
}

test('with auth on: no token is 401 "Not authenticated"; a lower-case bearer works; created_by is the user', async (t) => {
  const ISS = 'https://id.example/realms/rmf';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const app = await open(t, 'sqlite-memory', {
    iss: ISS,
    aud: 'rmf_api_server',
    jwt_public_key: await exportSPKI(publicKey),
  });
  const token = await new SignJWT({ preferred_username: 'admin' })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISS)
    .setAudience('rmf_api_server')
    .setExpirationTime('5m')
    .sign(privateKey);
  const none = await app.http.get('/scheduled_tasks/1').expect(401);
  t.deepEqual(none.body, { detail: 'Not authenticated' });
  t.is(none.headers['www-authenticate'], 'Bearer');
  const wrong = await app.http.get('/scheduled_tasks/1').set('Authorization', 'bearer not-a-jwt').expect(401);
  t.is(typeof wrong.body.detail, 'string');
  const res = await app.http
    .post('/scheduled_tasks')
    .set('Authorization', `bearer ${token}`)
    .send({ task_request: patrol, schedules: weekly })
    .expect(201);
  t.is(res.body.created_by, 'admin');
  await app.http.get('/scheduled_tasks/1').set('Authorization', `BEARER ${token}`).expect(200);
  // The service's own routes keep their own error bodies.
  const own = await app.http.get('/rules').expect(401);
  t.is(own.body.error.code, 'UNAUTHENTICATED');
});

test('the OpenAPI document describes the six routes with their FastAPI error bodies', async (t) => {
  const app = await open(t, 'sqlite-memory');
  const doc = (await app.http.get('/openapi.json').expect(200)).body;
  const routes = Object.entries(doc.paths as Record<string, object>)
    .filter(([path]) => path.startsWith('/scheduled_tasks'))
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  t.deepEqual(routes, [
    'DELETE /scheduled_tasks/{task_id}',
    'GET /scheduled_tasks',
    'GET /scheduled_tasks/{task_id}',
    'POST /scheduled_tasks',
    'POST /scheduled_tasks/{task_id}/except_date',
    'POST /scheduled_tasks/{task_id}/update',
  ]);
  const refused = doc.paths['/scheduled_tasks'].post.responses['422'].content['application/json'].schema;
  t.is(refused.$ref, '#/components/schemas/FastApiError');
  t.truthy(doc.components.schemas.ScheduledTask.properties.except_dates);
});

test('rmf_web_routes: false turns the routes off (a 404 of the service, like any unknown route)', async (t) => {
  const app = await open(t, 'sqlite-memory', { rmf_web_routes: false });
  const doc = (await app.http.get('/openapi.json').expect(200)).body;
  t.false(Object.keys(doc.paths).some((path) => path.startsWith('/scheduled_tasks')));
  const res = await app.http
    .post('/scheduled_tasks')
    .send({ task_request: patrol, schedules: weekly })
    .expect(404);
  t.is(res.body.error.code, 'NOT_FOUND');
});

test('a dashboard on another origin: CORS preflight and answers carry its headers, errors too', async (t) => {
  const app = await open(t, 'sqlite-memory', { cors_origins: ['https://dashboard.example'] });
  const pre = await app.http
    .options('/scheduled_tasks')
    .set('Origin', 'https://dashboard.example')
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type')
    .expect(204);
  t.is(pre.headers['access-control-allow-origin'], 'https://dashboard.example');
  t.regex(pre.headers['access-control-allow-methods'] ?? '', /POST/);
  const created = await app.http
    .post('/scheduled_tasks')
    .set('Origin', 'https://dashboard.example')
    .send({ task_request: patrol, schedules: weekly })
    .expect(201);
  t.is(created.headers['access-control-allow-origin'], 'https://dashboard.example');
  const missing = await app.http
    .get('/scheduled_tasks/77')
    .set('Origin', 'https://dashboard.example')
    .expect(404);
  t.is(missing.headers['access-control-allow-origin'], 'https://dashboard.example');
});

test('an unknown path or method under /scheduled_tasks answers as FastAPI does', async (t) => {
  const app = await open(t, 'sqlite-memory');
  t.deepEqual((await app.http.get('/scheduled_tasks/1/nothing').expect(404)).body, { detail: 'Not Found' });
  t.deepEqual((await app.http.put('/scheduled_tasks/1').send({}).expect(405)).body, {
    detail: 'Method Not Allowed',
  });
});
