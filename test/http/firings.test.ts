import anyTest, { type TestFn } from 'ava';
import { DIALECTS, errorOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

for (const d of DIALECTS) {
  test(`${d}: firings of a rule, of all rules, and one firing`, async (t) => {
    const { http, dispatcher } = appOf(d);
    const rule = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const first = (await http.post(`/rules/${rule.id}/trigger`).expect(201)).body;
    dispatcher.reject(
      { label: `rule_id=${rule.id}` },
      [{ code: 3, category: 'test', detail: 'no fleet can do it' }],
      { times: 1 },
    );
    const second = (await http.post(`/rules/${rule.id}/trigger`).expect(201)).body;
    t.is(first.status, 'dispatched');

    const ofRule = await http.get(`/rules/${rule.id}/firings`).expect(200);
    t.is(ofRule.body.total, 2);
    t.deepEqual(
      ofRule.body.items.map((f: { id: string }) => f.id),
      [second.id, first.id],
    );
    const asc = await http.get(`/rules/${rule.id}/firings?order=asc&limit=1`).expect(200);
    t.deepEqual(
      asc.body.items.map((f: { id: string }) => f.id),
      [first.id],
    );
    t.is(asc.body.total, 2);

    const dispatched = await http.get(`/firings?rule_id=${rule.id}&status=dispatched`).expect(200);
    t.deepEqual(
      dispatched.body.items.map((f: { id: string }) => f.id),
      [first.id],
    );
    const both = await http.get(`/firings?rule_id=${rule.id}&status=dispatched,rejected`).expect(200);
    t.is(both.body.total, 2);
    const windowed = await http
      .get(
        `/firings?rule_id=${rule.id}&from=${encodeURIComponent(first.due_at)}&to=${encodeURIComponent(first.due_at)}`,
      )
      .expect(200);
    t.is(windowed.body.total, 0);

    const one = await http.get(`/firings/${first.id}`).expect(200);
    t.is(one.body.id, first.id);
    t.is(one.body.rmf_task_id, first.rmf_task_id);
    t.is(one.body.status, 'dispatched');
    t.truthy(one.body.response);
  });

  test(`${d}: an unknown firing is 404`, async (t) => {
    const { http } = appOf(d);
    const res = await http.get('/firings/999999999').expect(404);
    t.truthy(errorOf(t, res.body).code);
  });
}
