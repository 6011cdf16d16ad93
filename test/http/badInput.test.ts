/**
 * Bad input, over real HTTP against the real stack: each request gets the right 4xx naming the
 * field, and the store is exactly as before (a full GET /rules + /firings + calendar snapshot).
 */
import anyTest, { type TestFn } from 'ava';
import { createTestApp, DIALECTS, type AppDialect, type TestApp } from '../helpers/testApp.js';
import { fieldsOf, ruleBody } from './fixtures.js';

const test = anyTest as TestFn;

interface Seeded {
  app: TestApp;
  ruleId: string;
  version: number;
  snapshot: string;
}
const seeded = new Map<AppDialect, Seeded>();

async function snapshot(app: TestApp): Promise<string> {
  const rules = await app.http.get('/rules?limit=500&sort=name').expect(200);
  const firings = await app.http.get('/firings?limit=500').expect(200);
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const calendar = await app.http
    .get(`/occurrences?from=${from}T00:00:00.000Z&to=${from}T23:59:59.999Z`)
    .expect(200);
  return JSON.stringify({ rules: rules.body, firings: firings.body, calendar: calendar.body });
}

test.before(async () => {
  await Promise.all(
    DIALECTS.map(async (dialect) => {
      const app = await createTestApp({ dialect });
      const rule = (
        await app.http
          .post('/rules')
          .send(ruleBody({ name: 'seeded' }))
          .expect(201)
      ).body;
      await app.http.post(`/rules/${rule.id}/trigger`).expect(201);
      seeded.set(dialect, { app, ruleId: rule.id, version: rule.version, snapshot: await snapshot(app) });
    }),
  );
});
test.after.always(async () => {
  await Promise.all([...seeded.values()].map((s) => s.app.close()));
});

interface Case {
  title: string;
  status: number;
  code: string;
  /** Every one of these fields must be named. */
  fields?: string[];
  send: (s: Seeded) => Promise<{ status: number; body: unknown }>;
}

const json = (s: Seeded, method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
  s.app.http[method](path).set('Content-Type', 'application/json').send(JSON.stringify(body));

const rule = (overrides: Record<string, unknown>) => ruleBody({ name: 'bad', ...overrides });
const withSchedule = (schedule: Record<string, unknown>) =>
  rule({ schedule: { kind: 'daily', times: ['09:00'], timezone: 'UTC', ...schedule } });
const huge = 'x'.repeat(100_000);

const CASES: Case[] = [
  {
    title: 'malformed JSON',
    status: 400,
    code: 'MALFORMED_JSON',
    send: (s) => s.app.http.post('/rules').set('Content-Type', 'application/json').send('{"name": "a",'),
  },
  {
    title: 'a body that is not JSON',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    send: (s) => s.app.http.post('/rules').set('Content-Type', 'text/plain').send('name=a'),
  },
  {
    title: 'a form body',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    send: (s) => s.app.http.put(`/rules/${s.ruleId}`).type('form').send({ name: 'a' }),
  },
  {
    title: 'a body over 1 MiB',
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    send: (s) => json(s, 'post', '/rules', rule({ metadata: { blob: 'y'.repeat(1_100_000) } })),
  },
  {
    title: 'a JSON array as body',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['body'],
    send: (s) => json(s, 'post', '/rules', [rule({})]),
  },
  {
    title: 'JSON null as body',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['body'],
    send: (s) => json(s, 'post', '/rules', null),
  },
  {
    title: 'an empty body',
    status: 422,
    code: 'INVALID_INPUT',
    send: (s) => s.app.http.post('/rules').set('Content-Type', 'application/json'),
  },
  {
    title: 'missing fields',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['name', 'schedule', 'task'],
    send: (s) => json(s, 'post', '/rules', {}),
  },
  {
    title: 'wrong types',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['name', 'enabled', 'labels'],
    send: (s) => json(s, 'post', '/rules', rule({ name: 42, enabled: 'yes', labels: 'night' })),
  },
  {
    title: 'an unknown field',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['colour'],
    send: (s) => json(s, 'post', '/rules', rule({ colour: 'red' })),
  },
  {
    title: 'an unknown nested field',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.hours'],
    send: (s) => json(s, 'post', '/rules', withSchedule({ hours: [9] })),
  },
  {
    title: 'a name of 100k characters',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['name'],
    send: (s) => json(s, 'post', '/rules', rule({ name: huge })),
  },
  {
    title: 'a description of 100k characters',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['description'],
    send: (s) => json(s, 'post', '/rules', rule({ description: huge })),
  },
  {
    title: 'a label of 100k characters',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['labels[0]'],
    send: (s) => json(s, 'post', '/rules', rule({ labels: [huge] })),
  },
  {
    title: 'metadata holding a string of 100k characters',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['metadata'],
    send: (s) => json(s, 'post', '/rules', rule({ metadata: { note: huge } })),
  },
  {
    title: 'a patch renaming to 100k characters',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['name'],
    send: (s) => json(s, 'patch', `/rules/${s.ruleId}`, { name: huge }),
  },
  {
    title: 'an invalid time zone',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.timezone'],
    send: (s) => json(s, 'post', '/rules', withSchedule({ timezone: 'Mars/Olympus_Mons' })),
  },
  {
    title: 'an invalid time of day',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.times[1]'],
    send: (s) => json(s, 'post', '/rules', withSchedule({ times: ['09:00', '25:61'] })),
  },
  {
    title: 'a date that does not exist',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.at'],
    send: (s) => json(s, 'post', '/rules', rule({ schedule: { kind: 'once', at: '2031-02-30T10:00' } })),
  },
  {
    title: 'an unknown schedule kind',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.kind'],
    send: (s) => json(s, 'post', '/rules', rule({ schedule: { kind: 'hourly' } })),
  },
  {
    title: 'a negative lead time',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['lead_time_ms'],
    send: (s) => json(s, 'post', '/rules', rule({ lead_time_ms: -1 })),
  },
  {
    title: 'an overflowing number',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['lead_time_ms'],
    send: (s) =>
      s.app.http
        .post('/rules')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(rule({})).replace(/}$/, ',"lead_time_ms":1e400}')),
  },
  {
    title: 'a fractional count',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.count'],
    send: (s) => json(s, 'post', '/rules', withSchedule({ count: 1.5 })),
  },
  {
    title: 'a negative interval',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.every_seconds'],
    send: (s) => json(s, 'post', '/rules', rule({ schedule: { kind: 'interval', every_seconds: -5 } })),
  },
  {
    title: 'metadata that is not an object',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['metadata'],
    send: (s) => json(s, 'post', '/rules', rule({ metadata: 'ward B' })),
  },
  {
    title: 'an RMF task without its description',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['task.request.description'],
    send: (s) =>
      json(
        s,
        'post',
        '/rules',
        rule({ task: { type: 'dispatch_task_request', request: { category: 'patrol' } } }),
      ),
  },
  {
    title: 'a schedule that never fires',
    status: 422,
    code: 'NEVER_FIRES',
    send: (s) =>
      json(
        s,
        'post',
        '/rules',
        rule({ schedule: { kind: 'once', at: '2001-01-01T00:00', timezone: 'UTC' } }),
      ),
  },
  {
    title: 'PUT with a stale If-Match',
    status: 409,
    code: 'VERSION_CONFLICT',
    send: (s) =>
      json(s, 'put', `/rules/${s.ruleId}`, ruleBody({ name: 'seeded-2' })).set(
        'If-Match',
        `"${s.version + 5}"`,
      ),
  },
  {
    title: 'PATCH with a stale body version',
    status: 409,
    code: 'VERSION_CONFLICT',
    send: (s) => json(s, 'patch', `/rules/${s.ruleId}`, { description: 'x', version: s.version + 1 }),
  },
  {
    title: 'DELETE with a stale If-Match',
    status: 409,
    code: 'VERSION_CONFLICT',
    send: (s) => s.app.http.delete(`/rules/${s.ruleId}`).set('If-Match', '"99"'),
  },
  {
    title: 'a garbage If-Match',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['If-Match'],
    send: (s) => json(s, 'patch', `/rules/${s.ruleId}`, { description: 'x' }).set('If-Match', 'yesterday'),
  },
  {
    title: 'If-Match and body version disagreeing',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['version'],
    send: (s) =>
      json(s, 'patch', `/rules/${s.ruleId}`, { description: 'x', version: 1 }).set('If-Match', '"2"'),
  },
  {
    title: 'PATCH with an invalid value changes nothing',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['schedule.times[0]'],
    send: (s) =>
      json(s, 'patch', `/rules/${s.ruleId}`, {
        description: 'changed',
        schedule: { kind: 'daily', times: ['7pm'] },
      }),
  },
  {
    title: 'a rule id that is not a UUID',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['id'],
    send: (s) => s.app.http.get('/rules/1%20OR%201=1'),
  },
  {
    title: 'an occurrence id without an instant',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['id'],
    send: (s) => s.app.http.get(`/occurrences/${s.ruleId}`),
  },
  {
    title: 'a firing id with SQL in it',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['id'],
    send: (s) => s.app.http.get(`/firings/${encodeURIComponent("1'; DROP TABLE firings; --")}`),
  },
  {
    title: 'a bad from',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['from'],
    send: (s) => s.app.http.get('/occurrences?from=yesterday'),
  },
  {
    title: 'a from without a zone',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['from'],
    send: (s) => s.app.http.get('/occurrences?from=2026-03-01T00:00:00'),
  },
  {
    title: 'to before from',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['to'],
    send: (s) => s.app.http.get('/occurrences?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z'),
  },
  {
    title: 'a window over a year',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['to'],
    send: (s) => s.app.http.get('/occurrences?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z'),
  },
  {
    title: 'limit -1',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['limit'],
    send: (s) => s.app.http.get('/rules?limit=-1'),
  },
  {
    title: 'limit over 500',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['limit'],
    send: (s) => s.app.http.get('/firings?limit=501'),
  },
  {
    title: 'an overflowing offset',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['offset'],
    send: (s) => s.app.http.get('/rules?offset=99999999999999999999'),
  },
  {
    title: 'a repeated parameter',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['limit'],
    send: (s) => s.app.http.get('/rules?limit=1&limit=2'),
  },
  {
    title: 'an unknown parameter',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['colour'],
    send: (s) => s.app.http.get('/rules?colour=red'),
  },
  {
    title: 'a bad enabled filter',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['enabled'],
    send: (s) => s.app.http.get('/rules?enabled=maybe'),
  },
  {
    title: 'an unknown firing status',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['status[1]'],
    send: (s) => s.app.http.get('/firings?status=dispatched,exploded'),
  },
  {
    title: 'a bad sort',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['sort'],
    send: (s) => s.app.http.get('/rules?sort=random()'),
  },
  {
    title: 'an empty occurrence patch',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['enabled'],
    send: (s) => json(s, 'patch', `/occurrences/${s.ruleId}@2030-01-01T09:30:00.000Z`, {}),
  },
  {
    title: 'moving an occurrence to a non-instant',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['at'],
    send: (s) => json(s, 'patch', `/occurrences/${s.ruleId}@2030-01-01T09:30:00.000Z`, { at: 'tomorrow' }),
  },
  {
    title: 'a preview with to before from',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['to'],
    send: (s) =>
      json(s, 'post', '/schedules/preview', {
        schedule: { kind: 'daily', times: ['09:00'] },
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-01T00:00:00.000Z',
      }),
  },
  {
    title: 'a preview limit of 0',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['limit'],
    send: (s) =>
      json(s, 'post', '/schedules/preview', {
        schedule: { kind: 'daily', times: ['09:00'] },
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-03-02T00:00:00.000Z',
        limit: 0,
      }),
  },
  {
    title: 'a disable reason that is a number',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['reason'],
    send: (s) => json(s, 'post', `/rules/${s.ruleId}/disable`, { reason: 7 }),
  },
  {
    title: 'an unknown trigger field',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['forse'],
    send: (s) => json(s, 'post', `/rules/${s.ruleId}/trigger`, { forse: true }),
  },
  {
    title: 'a trigger force that is not a boolean',
    status: 422,
    code: 'INVALID_INPUT',
    fields: ['force'],
    send: (s) => json(s, 'post', `/rules/${s.ruleId}/trigger`, { force: 'yes' }),
  },
];

for (const dialect of DIALECTS) {
  for (const c of CASES) {
    test.serial(`${dialect}: ${c.title} → ${c.status} ${c.code}, store unchanged`, async (t) => {
      const s = seeded.get(dialect) as Seeded;
      const res = await c.send(s);
      t.is(res.status, c.status, JSON.stringify(res.body).slice(0, 500));
      const error = (res.body as { error?: { code: string; message: string } }).error;
      t.is(error?.code, c.code);
      t.true(typeof error?.message === 'string' && error.message.length > 0);
      for (const field of c.fields ?? [])
        t.true(fieldsOf(res.body).includes(field), `${field} in ${JSON.stringify(fieldsOf(res.body))}`);
      if (c.fields)
        t.is(
          (res.body as { error: { details: { field?: string } } }).error.details.field,
          fieldsOf(res.body)[0],
        );
      t.is(await snapshot(s.app), s.snapshot);
    });
  }

  test.serial(
    `${dialect}: SQL- and script-looking text is stored and returned verbatim, as JSON`,
    async (t) => {
      const s = seeded.get(dialect) as Seeded;
      const name = `x'); DROP TABLE rules; -- <script>alert(1)</script>`;
      const metadata = {
        note: "' OR '1'='1",
        html: '<img src=x onerror=alert(1)>',
        nested: { sql: 'SELECT * FROM firings;' },
      };
      const created = await json(
        s,
        'post',
        '/rules',
        ruleBody({ name, metadata, labels: ['<b>bold</b>'] }),
      ).expect(201);
      t.regex(created.headers['content-type'] ?? '', /^application\/json/);
      const got = await s.app.http.get(`/rules/${created.body.id}`).expect(200);
      t.is(got.body.name, name);
      t.deepEqual(got.body.metadata, metadata);
      t.deepEqual(got.body.labels, ['<b>bold</b>']);
      const found = await s.app.http
        .get(`/rules?name=${encodeURIComponent('DROP TABLE rules; --')}`)
        .expect(200);
      t.deepEqual(
        found.body.items.map((r: { id: string }) => r.id),
        [created.body.id],
      );
      await s.app.http.delete(`/rules/${created.body.id}`).expect(204);
      t.is(await snapshot(s.app), s.snapshot);
    },
  );
}
