import anyTest, { type TestFn } from 'ava';
import { DIALECTS, errorOf, localDay, patrolTask, ruleBody, uniqueName, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const d of DIALECTS) {
  test(`${d}: POST /rules creates a rule: 201, Location, ETag, snake_case body`, async (t) => {
    const { http } = appOf(d);
    const body = ruleBody({ lead_time_ms: 60_000, misfire: { policy: 'skip' } });
    const res = await http.post('/rules').send(body).expect(201);
    t.is(res.headers.location, `/rules/${res.body.id}`);
    t.is(res.headers.etag, '"1"');
    t.is(res.body.name, body.name);
    t.is(res.body.version, 1);
    t.true(res.body.enabled);
    t.is(res.body.lead_time_ms, 60_000);
    t.deepEqual(res.body.misfire, { policy: 'skip', grace_ms: 300_000 });
    t.is(res.body.schedule.kind, 'daily');
    t.deepEqual(res.body.schedule.times, ['09:30:00', '21:30:00']);
    t.deepEqual(res.body.metadata, { ward: 'B', floor: 2 });
    t.deepEqual(res.body.task, patrolTask);
    t.regex(res.body.created_at, ISO_MS);
    t.regex(res.body.next_due_at, ISO_MS);
    t.is(res.body.created_by, null);
  });

  test(`${d}: GET /rules/{id} returns the rule, its ETag and its next occurrences`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const res = await http.get(`/rules/${created.id}`).expect(200);
    t.is(res.headers.etag, '"1"');
    t.is(res.body.id, created.id);
    t.is(res.body.upcoming.length, 5);
    t.is(res.body.upcoming[0].at, created.next_due_at);
    t.is(res.body.upcoming[0].state, 'scheduled');
    t.is(res.body.upcoming[0].id, `${created.id}@${created.next_due_at}`);
    const three = await http.get(`/rules/${created.id}?upcoming=3`).expect(200);
    t.is(three.body.upcoming.length, 3);
    const none = await http.get(`/rules/${created.id}?upcoming=0`).expect(200);
    t.deepEqual(none.body, { ...res.body, upcoming: [] });
  });

  test(`${d}: GET /rules filters by label, name, enabled and next due, and paginates`, async (t) => {
    const { http } = appOf(d);
    const label = uniqueName('lbl');
    const soon = await http
      .post('/rules')
      .send(
        ruleBody({
          name: uniqueName('alpha'),
          labels: [label],
          schedule: { kind: 'once', at: localDay(1), timezone: 'UTC' },
        }),
      )
      .expect(201);
    const later = await http
      .post('/rules')
      .send(
        ruleBody({
          name: uniqueName('beta'),
          labels: [label],
          schedule: { kind: 'once', at: localDay(30), timezone: 'UTC' },
        }),
      )
      .expect(201);
    const off = await http
      .post('/rules')
      .send(ruleBody({ name: uniqueName('gamma'), labels: [label], enabled: false }))
      .expect(201);

    const all = await http.get(`/rules?label=${label}&sort=name`).expect(200);
    t.is(all.body.total, 3);
    t.deepEqual(
      all.body.items.map((r: { id: string }) => r.id),
      [soon.body.id, later.body.id, off.body.id],
    );
    t.is(all.body.limit, 50);
    t.is(all.body.offset, 0);

    const enabled = await http.get(`/rules?label=${label}&enabled=false`).expect(200);
    t.deepEqual(
      enabled.body.items.map((r: { id: string }) => r.id),
      [off.body.id],
    );

    const byName = await http
      .get(`/rules?label=${label}&name=${soon.body.name.slice(0, 9).toUpperCase()}`)
      .expect(200);
    t.deepEqual(
      byName.body.items.map((r: { id: string }) => r.id),
      [soon.body.id],
    );

    const cut = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const before = await http.get(`/rules?label=${label}&next_due_before=${cut}`).expect(200);
    t.deepEqual(
      before.body.items.map((r: { id: string }) => r.id),
      [soon.body.id],
    );
    const after = await http.get(`/rules?label=${label}&next_due_after=${cut}`).expect(200);
    t.deepEqual(
      after.body.items.map((r: { id: string }) => r.id),
      [later.body.id],
    );

    const page = await http.get(`/rules?label=${label}&sort=name&limit=1&offset=1`).expect(200);
    t.is(page.body.total, 3);
    t.is(page.body.limit, 1);
    t.is(page.body.offset, 1);
    t.deepEqual(
      page.body.items.map((r: { id: string }) => r.id),
      [later.body.id],
    );
  });

  test(`${d}: PUT /rules/{id} replaces; If-Match or body version guards; stale → 409`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const replacement = ruleBody({
      name: uniqueName('renamed'),
      labels: ['day'],
      schedule: { kind: 'weekly', days: ['mon'], times: ['08:00'], timezone: 'Europe/Berlin' },
    });
    const res = await http.put(`/rules/${created.id}`).set('If-Match', '"1"').send(replacement).expect(200);
    t.is(res.body.version, 2);
    t.is(res.headers.etag, '"2"');
    t.is(res.body.name, replacement.name);
    t.deepEqual(res.body.labels, ['day']);
    t.is(res.body.schedule.timezone, 'Europe/Berlin');

    const stale = await http.put(`/rules/${created.id}`).set('If-Match', '"1"').send(replacement).expect(409);
    t.is(errorOf(t, stale.body).code, 'VERSION_CONFLICT');
    const staleBody = await http
      .put(`/rules/${created.id}`)
      .send({ ...replacement, version: 1 })
      .expect(409);
    t.is(errorOf(t, staleBody.body).code, 'VERSION_CONFLICT');
    await http
      .put(`/rules/${created.id}`)
      .send({ ...replacement, version: 2 })
      .expect(200);
    const unconditional = await http.put(`/rules/${created.id}`).send(replacement).expect(200);
    t.is(unconditional.body.version, 4);
    const current = await http.get(`/rules/${created.id}`).expect(200);
    t.is(current.body.version, 4);
  });

  test(`${d}: PATCH /rules/{id} changes only the given fields`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const res = await http
      .patch(`/rules/${created.id}`)
      .set('If-Match', 'W/"1"')
      .send({ description: 'changed', metadata: { ward: 'C' }, retry: { max_attempts: 3, backoff_ms: 1000 } })
      .expect(200);
    t.is(res.body.description, 'changed');
    t.deepEqual(res.body.metadata, { ward: 'C' });
    t.deepEqual(res.body.retry, { max_attempts: 3, backoff_ms: 1000 });
    t.is(res.body.name, created.name);
    t.deepEqual(res.body.schedule, created.schedule);
    t.is(res.body.version, 2);
    const stale = await http.patch(`/rules/${created.id}`).send({ description: 'x', version: 1 }).expect(409);
    t.is(errorOf(t, stale.body).code, 'VERSION_CONFLICT');
  });

  test(`${d}: a taken name is a 409 ALREADY_EXISTS`, async (t) => {
    const { http } = appOf(d);
    const body = ruleBody();
    await http.post('/rules').send(body).expect(201);
    const res = await http.post('/rules').send(body).expect(409);
    t.is(errorOf(t, res.body).code, 'ALREADY_EXISTS');
  });

  test(`${d}: disable (with reason) and enable`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const off = await http.post(`/rules/${created.id}/disable`).send({ reason: 'ward closed' }).expect(200);
    t.false(off.body.enabled);
    t.is(off.body.disabled_reason, 'ward closed');
    t.is(off.body.next_due_at, null);
    const on = await http.post(`/rules/${created.id}/enable`).set('If-Match', '"2"').expect(200);
    t.true(on.body.enabled);
    t.is(on.body.disabled_reason, null);
    t.truthy(on.body.next_due_at);
    const stale = await http.post(`/rules/${created.id}/disable`).set('If-Match', '"2"').expect(409);
    t.is(errorOf(t, stale.body).code, 'VERSION_CONFLICT');
  });

  test(`${d}: DELETE /rules/{id} → 204, then 404`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    await http.delete(`/rules/${created.id}`).set('If-Match', '"7"').expect(409);
    await http.delete(`/rules/${created.id}`).expect(204);
    const gone = await http.get(`/rules/${created.id}`).expect(404);
    t.is(errorOf(t, gone.body).code, 'RULE_NOT_FOUND');
    await http.delete(`/rules/${created.id}`).expect(404);
  });

  test(`${d}: POST /rules/{id}/trigger fires now and returns the firing with RMF's answer`, async (t) => {
    const { http } = appOf(d);
    const created = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const res = await http.post(`/rules/${created.id}/trigger`).expect(201);
    t.is(res.headers.location, `/firings/${res.body.id}`);
    t.is(res.body.rule_id, created.id);
    t.is(res.body.trigger, 'manual');
    t.is(res.body.status, 'dispatched');
    t.regex(res.body.rmf_task_id, /^patrol\.dispatch-\d+$/);
    t.is((res.body.request as { type: string }).type, 'dispatch_task_request');
    const again = await http.get(`/rules/${created.id}`).expect(200);
    t.is(again.body.version, 1);
    t.is(again.body.next_due_at, created.next_due_at);
  });

  test(`${d}: unknown rules are 404 on every rule route`, async (t) => {
    const { http } = appOf(d);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [route, res] of [
      ['GET', await http.get(`/rules/${id}`)],
      ['PUT', await http.put(`/rules/${id}`).send(ruleBody())],
      ['PATCH', await http.patch(`/rules/${id}`).send({ description: 'x' })],
      ['DELETE', await http.delete(`/rules/${id}`)],
      ['enable', await http.post(`/rules/${id}/enable`)],
      ['disable', await http.post(`/rules/${id}/disable`)],
      ['trigger', await http.post(`/rules/${id}/trigger`)],
      ['occurrences', await http.get(`/rules/${id}/occurrences`)],
    ] as const) {
      t.is(res.status, 404, route);
      t.is(errorOf(t, res.body).code, 'RULE_NOT_FOUND');
    }
  });
}
