/**
 * What the record tells, through REST: a disabled rule is only triggered by force (and the
 * history says who and whether forced), firings carry their rule's name and who triggered them,
 * a deleted rule's firings stay on the calendar, a label's rules are disabled and enabled in one
 * request, and overridden occurrences say who changed them.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { ALL_DIALECTS, errorOf, localDay, ruleBody, uniqueName, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ALL_DIALECTS });

interface Entry {
  action: string;
  actor: string | null;
  reason: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  details: Record<string, unknown>;
}

for (const d of ALL_DIALECTS) {
  test(`${d}: a disabled rule is triggered only with force, and the history says so`, async (t) => {
    const { http } = appOf(d);
    const rule = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    await http.post(`/rules/${rule.id}/disable`).send({ reason: 'lift maintenance' }).expect(200);

    for (const body of [undefined, {}, { force: false }]) {
      const refused = await http.post(`/rules/${rule.id}/trigger`).send(body).expect(409);
      t.is(errorOf(t, refused.body).code, 'RULE_DISABLED');
      t.regex(errorOf(t, refused.body).message, /lift maintenance/);
      t.is(errorOf(t, refused.body).details.reason, 'lift maintenance');
    }
    t.is((await http.get(`/rules/${rule.id}/firings`).expect(200)).body.total, 0, 'nothing fired');

    const forced = await http
      .post(`/rules/${rule.id}/trigger`)
      .send({ force: true, reason: 'fire drill' })
      .expect(201);
    t.is(forced.body.trigger, 'manual');
    t.is(forced.body.rule_name, rule.name);
    t.is(forced.body.triggered_by, null);
    t.is(forced.body.status, 'dispatched');

    await http.post(`/rules/${rule.id}/enable`).send({}).expect(200);
    await http.post(`/rules/${rule.id}/trigger`).send({ force: true }).expect(201);
    const history = (await http.get(`/rules/${rule.id}/history`).expect(200)).body.items as Entry[];
    t.deepEqual(
      history.map((e) => [e.action, e.reason, e.details.forced ?? null]),
      [
        ['triggered', null, false],
        ['enabled', null, null],
        ['triggered', 'fire drill', true],
        ['disabled', 'lift maintenance', null],
        ['created', null, null],
      ],
    );
    t.is(history[2]!.details.firing_id, forced.body.id);
  });

  test(`${d}: firings keep their rule's name; a deleted rule's firings stay on the calendar`, async (t) => {
    const { http } = appOf(d);
    const name = uniqueName('Lobby Patrol');
    const rule = (await http.post('/rules').send(ruleBody({ name })).expect(201)).body;
    const fired = (await http.post(`/rules/${rule.id}/trigger`).send({}).expect(201)).body;
    await http
      .patch(`/rules/${rule.id}`)
      .send({ name: `${name} (renamed)` })
      .expect(200);

    const byName = await http.get(`/firings?rule_name=${encodeURIComponent(name)}`).expect(200);
    t.deepEqual(
      byName.body.items.map((f: { id: string }) => f.id),
      [fired.id],
    );
    t.is(byName.body.items[0].rule_name, name, 'the name when it fired');
    const renamed = await http
      .get(`/firings?rule_name=${encodeURIComponent(`${name} (renamed)`)}`)
      .expect(200);
    t.is(renamed.body.total, 0);

    await http.delete(`/rules/${rule.id}`).expect(204);
    const after = await http.get(`/firings?rule_name=${encodeURIComponent(name)}`).expect(200);
    t.is(after.body.total, 1);

    const from = new Date(Date.parse(fired.due_at) - 60_000).toISOString();
    const to = new Date(Date.parse(fired.due_at) + 60_000).toISOString();
    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const one = await http.get(`/occurrences?rule_id=${rule.id}&${window}`).expect(200);
    t.is(one.body.items.length, 1);
    t.like(one.body.items[0], {
      rule_id: rule.id,
      rule_name: name,
      firing_id: fired.id,
      state: 'dispatched',
      at: fired.fire_at,
    });
    const all = await http.get(`/occurrences?${window}&limit=10000`).expect(200);
    t.true(all.body.items.some((o: { firing_id: string }) => o.firing_id === fired.id));

    const never = await http.get(`/occurrences?rule_id=${randomUUID()}&${window}`).expect(404);
    t.is(errorOf(t, never.body).code, 'RULE_NOT_FOUND');
  });

  test(`${d}: POST /rules/disable and /rules/enable switch a label's rules in one request`, async (t) => {
    const { http } = appOf(d);
    const label = uniqueName('ward=3');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await http
            .post('/rules')
            .send(ruleBody({ labels: [label, 'linen'] }))
            .expect(201)
        ).body.id,
      );
    const other = (
      await http
        .post('/rules')
        .send(ruleBody({ labels: ['ward=4'] }))
        .expect(201)
    ).body;
    ids.sort();

    const off = await http
      .post('/rules/disable')
      .send({ label, reason: 'Ward 3 is closed this week' })
      .expect(200);
    t.is(off.body.label, label);
    t.deepEqual(
      off.body.items.map((r: { id: string }) => r.id),
      ids,
    );
    t.true(
      off.body.items.every(
        (r: { enabled: boolean; state: string; disabled_reason: string }) =>
          !r.enabled && r.state === 'disabled' && r.disabled_reason === 'Ward 3 is closed this week',
      ),
    );
    t.deepEqual(off.body.skipped, []);
    t.is((await http.get(`/rules/${other.id}`).expect(200)).body.state, 'active');
    const listed = await http.get(`/rules?label=${encodeURIComponent(label)}&state=disabled`).expect(200);
    t.is(listed.body.total, 3);
    for (const id of ids) {
      const [entry] = (await http.get(`/rules/${id}/history`).expect(200)).body.items as Entry[];
      t.like(entry, { action: 'disabled', reason: 'Ward 3 is closed this week', details: { label } });
    }

    // Again: nothing left to disable.
    const again = await http.post('/rules/disable').send({ label, reason: 'still closed' }).expect(200);
    t.deepEqual(again.body.items, []);

    const on = await http.post('/rules/enable').send({ label, reason: 'Ward 3 reopened' }).expect(200);
    t.deepEqual(
      on.body.items.map((r: { id: string; state: string }) => [r.id, r.state]),
      ids.map((id) => [id, 'active']),
    );
    const [entry] = (await http.get(`/rules/${ids[0]}/history`).expect(200)).body.items as Entry[];
    t.like(entry, { action: 'enabled', reason: 'Ward 3 reopened', details: { label } });

    const bad = await http.post('/rules/disable').send({ label, colour: 'red' }).expect(422);
    t.is(errorOf(t, bad.body).details.field, 'colour');
    const none = await http.post('/rules/enable').send({}).expect(422);
    t.is(errorOf(t, none.body).details.field, 'label');
  });

  test(`${d}: an overridden occurrence says who changed it and when; a plain one does not`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: { kind: 'daily', times: ['09:30'], timezone: 'UTC' } }))
        .expect(201)
    ).body;
    const id = `${rule.id}@${localDay(3)}:00.000Z`;
    const plain = await http.get(`/occurrences/${id}`).expect(200);
    t.false('updated_by' in plain.body);
    const changed = await http
      .patch(`/occurrences/${id}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    t.like(changed.body, { state: 'disabled', reason: 'ward closed', updated_by: null });
    t.regex(changed.body.updated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const read = await http.get(`/occurrences/${id}`).expect(200);
    t.is(read.body.updated_at, changed.body.updated_at);
  });
}
