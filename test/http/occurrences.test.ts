import anyTest, { type TestFn } from 'ava';
import { DIALECTS, errorOf, ruleBody, uniqueName, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

const DAY = 86_400_000;
const midnight = (days: number): string =>
  `${new Date(Date.now() + days * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`;

for (const d of DIALECTS) {
  test(`${d}: GET /rules/{id}/occurrences lists a window of one rule`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: { kind: 'daily', times: ['06:00'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const from = midnight(2);
    const to = midnight(5);
    const res = await http.get(`/rules/${rule.id}/occurrences?from=${from}&to=${to}`).expect(200);
    t.is(res.body.from, from);
    t.is(res.body.to, to);
    t.deepEqual(
      res.body.items.map((o: { at: string }) => o.at),
      [2, 3, 4].map((n) => midnight(n).replace('T00:', 'T06:')),
    );
    t.true(
      res.body.items.every(
        (o: { rule_id: string; state: string }) => o.rule_id === rule.id && o.state === 'scheduled',
      ),
    );
    const limited = await http.get(`/rules/${rule.id}/occurrences?from=${from}&to=${to}&limit=2`).expect(200);
    t.is(limited.body.items.length, 2);
  });

  test(`${d}: GET /occurrences is a calendar across rules, filtered by label or rule`, async (t) => {
    const { http } = appOf(d);
    const label = uniqueName('cal');
    const a = (
      await http
        .post('/rules')
        .send(ruleBody({ labels: [label], schedule: { kind: 'daily', times: ['07:00'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const b = (
      await http
        .post('/rules')
        .send(ruleBody({ labels: [label], schedule: { kind: 'daily', times: ['08:00'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const from = midnight(3);
    const to = midnight(4);
    const res = await http.get(`/occurrences?from=${from}&to=${to}&label=${label}`).expect(200);
    t.deepEqual(
      res.body.items.map((o: { rule_id: string }) => o.rule_id),
      [a.id, b.id],
    );
    const one = await http.get(`/occurrences?from=${from}&to=${to}&rule_id=${b.id}`).expect(200);
    t.deepEqual(
      one.body.items.map((o: { rule_id: string }) => o.rule_id),
      [b.id],
    );
  });

  test(`${d}: one occurrence: get, disable, enable, move, delete`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: { kind: 'daily', times: ['10:00'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const at = midnight(3).replace('T00:', 'T10:');
    const id = `${rule.id}@${at}`;
    const got = await http.get(`/occurrences/${encodeURIComponent(id)}`).expect(200);
    t.is(got.body.id, id);
    t.is(got.body.state, 'scheduled');

    const disabled = await http
      .patch(`/occurrences/${encodeURIComponent(id)}`)
      .send({ enabled: false, reason: 'holiday' })
      .expect(200);
    t.is(disabled.body.state, 'disabled');
    const enabled = await http
      .patch(`/occurrences/${encodeURIComponent(id)}`)
      .send({ enabled: true })
      .expect(200);
    t.is(enabled.body.state, 'scheduled');

    const movedTo = midnight(3).replace('T00:', 'T15:');
    const moved = await http
      .patch(`/occurrences/${encodeURIComponent(id)}`)
      .send({ at: movedTo })
      .expect(200);
    t.is(moved.body.state, 'moved');
    t.is(moved.body.at, movedTo);
    t.is(moved.body.original_at, at);
    const window = await http
      .get(`/rules/${rule.id}/occurrences?from=${midnight(3)}&to=${midnight(4)}`)
      .expect(200);
    t.deepEqual(
      window.body.items.map((o: { at: string }) => o.at),
      [movedTo],
    );

    await http.delete(`/occurrences/${encodeURIComponent(id)}?reason=cancelled`).expect(204);
    const deleted = await http.get(`/occurrences/${encodeURIComponent(id)}`).expect(200);
    t.is(deleted.body.state, 'deleted');
    const after = await http
      .get(`/rules/${rule.id}/occurrences?from=${midnight(3)}&to=${midnight(4)}`)
      .expect(200);
    t.false(after.body.items.some((o: { state: string }) => o.state === 'scheduled'));
  });

  test(`${d}: an occurrence that is not one of the rule's is 404`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: { kind: 'daily', times: ['10:00'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const id = `${rule.id}@${midnight(3).replace('T00:', 'T11:')}`;
    const res = await http.get(`/occurrences/${encodeURIComponent(id)}`);
    t.is(res.status, 404);
    t.is(errorOf(t, res.body).code, 'OCCURRENCE_NOT_FOUND');
  });

  test.serial(`${d}: POST /schedules/preview returns instants and stores nothing`, async (t) => {
    const { http } = appOf(d);
    const before = (await http.get('/rules?limit=1').expect(200)).body.total;
    const res = await http
      .post('/schedules/preview')
      .send({
        schedule: {
          kind: 'monthly_weekday',
          weekday: 'fri',
          week: -1,
          times: ['18:00'],
          timezone: 'America/New_York',
          start: '2026-01-01',
        },
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-04-01T00:00:00.000Z',
      })
      .expect(200);
    t.deepEqual(
      res.body.items.map((i: { at: string; at_local: string }) => [i.at, i.at_local]),
      [
        ['2026-01-30T23:00:00.000Z', '2026-01-30T18:00:00-05:00'],
        ['2026-02-27T23:00:00.000Z', '2026-02-27T18:00:00-05:00'],
        ['2026-03-27T22:00:00.000Z', '2026-03-27T18:00:00-04:00'],
      ],
    );
    t.is(res.body.timezone, 'America/New_York');
    t.is((await http.get('/rules?limit=1').expect(200)).body.total, before);
  });
}
