/** GET /rules/{id}/history: every change on record, who made it and why, after the rule is gone. */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createTestApp } from '../helpers/testApp.js';
import { ALL_DIALECTS, errorOf, localDay, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ALL_DIALECTS });

interface Entry {
  at: string;
  actor: string | null;
  action: string;
  reason: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  details: Record<string, unknown>;
}

for (const d of ALL_DIALECTS) {
  test(`${d}: a rule's history lists each change newest first and stays readable after delete`, async (t) => {
    const { http, logs } = appOf(d);
    const created = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: { kind: 'daily', times: ['02:30'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const id = created.id as string;
    await http
      .patch(`/rules/${id}`)
      .send({ schedule: { kind: 'daily', times: ['03:00'], timezone: 'UTC' }, lead_time_ms: 60_000 })
      .expect(200);
    const occurrence = `${id}@${localDay(2, '03:00')}:00.000Z`;
    await http
      .patch(`/occurrences/${occurrence}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    await http.post(`/rules/${id}/disable`).send({ reason: 'lift maintenance' }).expect(200);
    await http.delete(`/rules/${id}`).expect(204);

    const res = await http.get(`/rules/${id}/history`).expect(200);
    const items = res.body.items as Entry[];
    t.deepEqual(
      items.map((e) => e.action),
      ['deleted', 'disabled', 'occurrence_disabled', 'updated', 'created'],
    );
    t.is(res.body.total, 5);
    t.false(res.body.truncated);
    t.true(items.every((e) => e.actor === null));
    const [deleted, disabled, occ, updated, first] = items as [Entry, Entry, Entry, Entry, Entry];
    t.is(deleted.details.name, created.name);
    t.is(first.details.name, created.name);
    t.is(disabled.reason, 'lift maintenance');
    t.deepEqual(disabled.changes, {
      enabled: { before: true, after: false },
      disabled_reason: { before: null, after: 'lift maintenance' },
    });
    t.is(occ.reason, 'ward closed');
    t.is(occ.details.occurrence_id, occurrence);
    t.deepEqual(Object.keys(updated.changes).sort(), ['lead_time_ms', 'schedule']);
    t.deepEqual(updated.changes.lead_time_ms, { before: 0, after: 60_000 });
    t.deepEqual((updated.changes.schedule!.before as { times: string[] }).times, ['02:30:00']);
    t.deepEqual((updated.changes.schedule!.after as { times: string[] }).times, ['03:00:00']);
    t.true(items.every((e, i) => i === 0 || e.at <= items[i - 1]!.at));

    // One info line per change, with the actor and the reason.
    const lines = logs.filter((l) => l.rule_id === id && l.action !== undefined);
    t.deepEqual(
      lines.map((l) => l.action),
      ['created', 'updated', 'occurrence_disabled', 'disabled', 'deleted'],
    );
    t.is(lines.find((l) => l.action === 'disabled')?.reason, 'lift maintenance');
    t.true(lines.every((l) => l.level === 'info' && 'actor' in l));
  });

  test(`${d}: the history pages with limit and offset; an id that never existed is a 404`, async (t) => {
    const { http } = appOf(d);
    const id = (await http.post('/rules').send(ruleBody()).expect(201)).body.id as string;
    for (const reason of ['a', 'b', 'c']) {
      await http.post(`/rules/${id}/disable`).send({ reason }).expect(200);
      await http.post(`/rules/${id}/enable`).send({}).expect(200);
    }
    const first = await http.get(`/rules/${id}/history?limit=4`).expect(200);
    t.is(first.body.total, 7);
    t.true(first.body.truncated);
    t.is(first.body.next_offset, 4);
    t.deepEqual(
      (first.body.items as Entry[]).map((e) => [e.action, e.reason]),
      [
        ['enabled', null],
        ['disabled', 'c'],
        ['enabled', null],
        ['disabled', 'b'],
      ],
    );
    const rest = await http.get(`/rules/${id}/history?limit=4&offset=4`).expect(200);
    t.deepEqual(
      (rest.body.items as Entry[]).map((e) => e.action),
      ['enabled', 'disabled', 'created'],
    );
    t.false(rest.body.truncated);
    t.is(rest.body.next_offset, null);

    const missing = await http.get(`/rules/${randomUUID()}/history`).expect(404);
    t.is(errorOf(t, missing.body).code, 'RULE_NOT_FOUND');
    const bad = await http.get(`/rules/${id}/history?limit=0`).expect(422);
    t.is(errorOf(t, bad.body).details.field, 'limit');
  });
}

test('with auth on, the actor is the token user, and no token reaches the log', async (t) => {
  const ISS = 'https://id.hospital.example/realms/rmf';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const app = await createTestApp({
    dialect: 'sqlite-memory',
    config: { iss: ISS, aud: 'rmf_task_scheduler', jwt_public_key: await exportSPKI(publicKey) },
  });
  try {
    const token = await new SignJWT({ preferred_username: 'nurse.joy' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISS)
      .setAudience('rmf_task_scheduler')
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(privateKey);
    const auth = { Authorization: `Bearer ${token}` };
    const id = (await app.http.post('/rules').set(auth).send(ruleBody()).expect(201)).body.id as string;
    await app.http.post(`/rules/${id}/disable`).set(auth).send({ reason: 'ward 3 closed' }).expect(200);
    const res = await app.http.get(`/rules/${id}/history`).set(auth).expect(200);
    t.deepEqual(
      (res.body.items as Entry[]).map((e) => [e.action, e.actor, e.reason]),
      [
        ['disabled', 'nurse.joy', 'ward 3 closed'],
        ['created', 'nurse.joy', null],
      ],
    );
    const line = app.logs.find((l) => l.action === 'disabled' && l.rule_id === id);
    t.is(line?.actor, 'nurse.joy');
    t.false(JSON.stringify(app.logs).includes(token));
  } finally {
    await app.close();
  }
});
