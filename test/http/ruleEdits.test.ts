/**
 * Edits keep what the operator set, seen through the API on every dialect: a schedule's start
 * stays unless the body gives one (PATCH merges into the stored schedule, PUT keeps the start),
 * overrides of single occurrences follow a new schedule or are removed for good, and a dry run
 * answers what an edit would do and saves nothing.
 */
import anyTest, { type TestFn } from 'ava';
import { ALL_DIALECTS, errorOf, fieldsOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ALL_DIALECTS });

type Dialect = (typeof ALL_DIALECTS)[number];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const occ = (ruleId: string, iso: string): string => `${ruleId}@${new Date(Date.parse(iso)).toISOString()}`;

async function create(d: Dialect, schedule: Json): Promise<Json> {
  return (await appOf(d).http.post('/rules').send(ruleBody({ schedule })).expect(201)).body;
}

async function occurrencesOf(d: Dialect, ruleId: string, from: string, to: string): Promise<Json[]> {
  const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  return (await appOf(d).http.get(`/rules/${ruleId}/occurrences?${q}`).expect(200)).body.items;
}

const brief = (items: Json[]): string[] =>
  items.map(
    (o) =>
      `${o.original_at}${o.at === o.original_at ? '' : `→${o.at}`} ${o.state}${o.reason ? ` (${o.reason})` : ''}`,
  );

for (const d of ALL_DIALECTS) {
  test(`${d}: a PATCH of the schedule without start keeps the start, the every-2-weeks phase and the count`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, {
      kind: 'weekly',
      days: ['mon', 'thu'],
      times: ['09:00'],
      every: 2,
      count: 6,
      timezone: 'UTC',
      start: '2030-01-07',
    });
    const res = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { times: ['10:00'] } })
      .expect(200);
    t.deepEqual(res.body.schedule, { ...rule.schedule, times: ['10:00:00'] });
    const at = (await occurrencesOf(d, rule.id, '2030-01-01T00:00:00Z', '2030-12-31T00:00:00Z')).map(
      (o) => o.at,
    );
    t.deepEqual(at, [
      '2030-01-07T10:00:00.000Z',
      '2030-01-10T10:00:00.000Z',
      '2030-01-21T10:00:00.000Z',
      '2030-01-24T10:00:00.000Z',
      '2030-02-04T10:00:00.000Z',
      '2030-02-07T10:00:00.000Z',
    ]);
  });

  test(`${d}: the default start is the creation instant, kept by edits; null puts it back`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, { kind: 'daily', times: ['09:00'], every: 3, timezone: 'UTC' });
    const created = Date.parse(rule.created_at);
    const start = Date.parse(`${rule.schedule.start}Z`);
    t.true(
      start >= created - 1000 && start <= created + 1000,
      `${rule.schedule.start} vs ${rule.created_at}`,
    );

    const patched = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { times: ['07:00'] } })
      .expect(200);
    t.is(patched.body.schedule.start, rule.schedule.start);
    t.is(patched.body.schedule.every, 3);
    const put = await http
      .put(`/rules/${rule.id}`)
      .send(
        ruleBody({
          name: rule.name,
          schedule: { kind: 'daily', times: ['08:00'], every: 3, timezone: 'UTC' },
        }),
      )
      .expect(200);
    t.is(put.body.schedule.start, rule.schedule.start);

    await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { start: '2031-02-03T04:05' } })
      .expect(200);
    const back = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { start: null } })
      .expect(200);
    const again = Date.parse(`${back.body.schedule.start}Z`);
    t.true(Math.abs(again - start) <= 1000, `${back.body.schedule.start} vs ${rule.schedule.start}`);
  });

  test(`${d}: a PATCH that changes kind keeps timezone, start, end, count and except dates, not the old kind's fields`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, {
      kind: 'daily',
      times: ['09:00'],
      every: 3,
      timezone: 'Europe/Berlin',
      start: '2030-01-01',
      end: '2030-06-30',
      count: 10,
      except_dates: ['2030-01-14'],
    });
    const res = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { kind: 'weekly', days: ['mon'], times: ['08:00'] } })
      .expect(200);
    t.deepEqual(res.body.schedule, {
      kind: 'weekly',
      days: ['mon'],
      times: ['08:00:00'],
      every: 1,
      timezone: 'Europe/Berlin',
      start: '2030-01-01T00:00:00',
      end: '2030-06-30T23:59:59',
      count: 10,
      except_dates: ['2030-01-14'],
    });
    const bad = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { kind: 'monthly' } })
      .expect(422);
    t.deepEqual(fieldsOf(bad.body).sort(), ['schedule.day', 'schedule.times']);
    const removed = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { count: null, end: null } })
      .expect(200);
    t.is(removed.body.schedule.count, undefined);
    t.is(removed.body.schedule.end, undefined);
    t.is(removed.body.schedule.start, '2030-01-01T00:00:00');
  });

  test(`${d}: a PUT without start keeps the stored start`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, {
      kind: 'daily',
      times: ['09:00'],
      every: 2,
      timezone: 'UTC',
      start: '2030-01-07',
    });
    const res = await http
      .put(`/rules/${rule.id}`)
      .send(
        ruleBody({
          name: rule.name,
          schedule: { kind: 'weekly', days: ['tue'], times: ['06:00'], timezone: 'UTC' },
        }),
      )
      .expect(200);
    t.is(res.body.schedule.start, '2030-01-07T00:00:00');
    const given = await http
      .put(`/rules/${rule.id}`)
      .send(
        ruleBody({
          name: rule.name,
          schedule: { kind: 'daily', times: ['06:00'], timezone: 'UTC', start: '2030-03-01' },
        }),
      )
      .expect(200);
    t.is(given.body.schedule.start, '2030-03-01T00:00:00');
  });

  test(`${d}: overrides follow a new time: carried by date and position, removed without one, never back`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, {
      kind: 'daily',
      times: ['02:30', '14:00'],
      timezone: 'UTC',
      start: '2030-01-01',
    });
    const id = (iso: string) => occ(rule.id, iso);
    await http
      .patch(`/occurrences/${id('2030-01-05T02:30Z')}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    await http
      .patch(`/occurrences/${id('2030-01-06T02:30Z')}`)
      .send({ at: '2030-01-06T05:00:00.000Z' })
      .expect(200);
    await http
      .patch(`/occurrences/${id('2030-01-06T14:00Z')}`)
      .send({ enabled: false, reason: 'lift service' })
      .expect(200);
    await http.delete(`/occurrences/${id('2030-01-07T14:00Z')}?reason=holiday`).expect(204);

    const res = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { times: ['03:00'] } })
      .expect(200);
    t.false(res.body.dry_run);
    t.deepEqual(res.body.overrides_carried, [
      { from: id('2030-01-05T02:30Z'), to: id('2030-01-05T03:00Z'), state: 'disabled' },
      { from: id('2030-01-06T02:30Z'), to: id('2030-01-06T03:00Z'), state: 'moved' },
    ]);
    t.deepEqual(res.body.overrides_removed, [
      {
        occurrence_id: id('2030-01-06T14:00Z'),
        state: 'disabled',
        reason: 'lift service',
        removed_because: 'the new schedule has no 2nd occurrence on 2030-01-06',
      },
      {
        occurrence_id: id('2030-01-07T14:00Z'),
        state: 'deleted',
        reason: 'holiday',
        removed_because: 'the new schedule has no 2nd occurrence on 2030-01-07',
      },
    ]);
    t.deepEqual(brief(await occurrencesOf(d, rule.id, '2030-01-05T00:00:00Z', '2030-01-08T00:00:00Z')), [
      '2030-01-05T03:00:00.000Z disabled (ward closed)',
      '2030-01-06T03:00:00.000Z→2030-01-06T05:00:00.000Z moved',
      '2030-01-07T03:00:00.000Z scheduled',
    ]);

    const history = (await http.get(`/rules/${rule.id}/history`).expect(200)).body.items as Json[];
    t.deepEqual(
      history.slice(0, 3).map((e) => e.action),
      ['overrides_removed', 'overrides_carried', 'updated'],
    );
    t.deepEqual(history[0]!.details, { removed: res.body.overrides_removed });
    t.deepEqual(history[1]!.details, { carried: res.body.overrides_carried });

    // Back to the old times: the carried ones follow again, the removed ones stay gone.
    const back = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { times: ['02:30', '14:00'] } })
      .expect(200);
    t.deepEqual(back.body.overrides_removed, []);
    t.deepEqual(brief(await occurrencesOf(d, rule.id, '2030-01-05T00:00:00Z', '2030-01-08T00:00:00Z')), [
      '2030-01-05T02:30:00.000Z disabled (ward closed)',
      '2030-01-05T14:00:00.000Z scheduled',
      '2030-01-06T02:30:00.000Z→2030-01-06T05:00:00.000Z moved',
      '2030-01-06T14:00:00.000Z scheduled',
      '2030-01-07T02:30:00.000Z scheduled',
      '2030-01-07T14:00:00.000Z scheduled',
    ]);
  });

  test(`${d}: the runtime follows a carried override: the disabled first occurrence is not next`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, { kind: 'daily', times: ['09:00'], timezone: 'UTC', start: '2030-01-01' });
    await http
      .patch(`/occurrences/${occ(rule.id, '2030-01-01T09:00Z')}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    t.is((await http.get(`/rules/${rule.id}`).expect(200)).body.next_due_at, '2030-01-02T09:00:00.000Z');
    const res = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { times: ['10:00'] } })
      .expect(200);
    t.is(res.body.next_due_at, '2030-01-02T10:00:00.000Z');
    const got = (await http.get(`/rules/${rule.id}?upcoming=2`).expect(200)).body;
    t.deepEqual(
      got.upcoming.map((o: Json) => [o.at, o.state]),
      [
        ['2030-01-01T10:00:00.000Z', 'disabled'],
        ['2030-01-02T10:00:00.000Z', 'scheduled'],
      ],
    );
  });

  test(`${d}: a change of timezone carries overrides to the same local date and position`, async (t) => {
    const { http } = appOf(d);
    const rule = await create(d, { kind: 'daily', times: ['09:00'], timezone: 'UTC', start: '2030-01-01' });
    await http
      .patch(`/occurrences/${occ(rule.id, '2030-01-05T09:00Z')}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    const res = await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { timezone: 'Asia/Tokyo' } })
      .expect(200);
    t.deepEqual(res.body.overrides_carried, [
      { from: occ(rule.id, '2030-01-05T09:00Z'), to: occ(rule.id, '2030-01-05T00:00Z'), state: 'disabled' },
    ]);
    const got = await http.get(`/occurrences/${occ(rule.id, '2030-01-05T00:00Z')}`).expect(200);
    t.is(got.body.state, 'disabled');
    t.is(got.body.reason, 'ward closed');
    t.is(got.body.at_local, '2030-01-05T09:00:00+09:00');
  });

  test(`${d}: a dry run answers what the edit would do and saves nothing`, async (t) => {
    const app = appOf(d);
    const { http } = app;
    const rule = await create(d, {
      kind: 'daily',
      times: ['02:30', '14:00'],
      timezone: 'UTC',
      start: '2030-01-01',
    });
    await http
      .patch(`/occurrences/${occ(rule.id, '2030-01-05T14:00Z')}`)
      .send({ enabled: false, reason: 'ward closed' })
      .expect(200);
    const seq = await app.scheduler.latestChangeSeq();
    const before = (await http.get(`/rules/${rule.id}`).expect(200)).body;

    const patch = await http
      .patch(`/rules/${rule.id}?dry_run=true`)
      .set('If-Match', `"${before.version}"`)
      .send({ schedule: { times: ['03:00'] }, description: 'not saved' })
      .expect(200);
    t.true(patch.body.dry_run);
    t.is(patch.headers.etag, undefined);
    t.is(patch.body.version, before.version + 1);
    t.is(patch.body.description, 'not saved');
    t.deepEqual(patch.body.schedule.times, ['03:00:00']);
    t.deepEqual(
      patch.body.overrides_removed.map((r: Json) => r.occurrence_id),
      [occ(rule.id, '2030-01-05T14:00Z')],
    );
    t.is(patch.body.next_due_at, '2030-01-01T03:00:00.000Z');

    const put = await http
      .put(`/rules/${rule.id}?dry_run=true`)
      .send(
        ruleBody({
          name: rule.name,
          schedule: { kind: 'daily', times: ['01:00', '14:00'], timezone: 'UTC' },
        }),
      )
      .expect(200);
    t.true(put.body.dry_run);
    t.is(put.body.schedule.start, '2030-01-01T00:00:00');
    t.deepEqual(put.body.overrides_carried, []);
    t.deepEqual(put.body.overrides_removed, []);

    const stale = await http
      .patch(`/rules/${rule.id}?dry_run=true`)
      .set('If-Match', '"99"')
      .send({})
      .expect(409);
    t.is(errorOf(t, stale.body).code, 'VERSION_CONFLICT');
    const bad = await http.patch(`/rules/${rule.id}?dry_run=yes`).send({}).expect(422);
    t.deepEqual(fieldsOf(bad.body), ['dry_run']);

    const changes = await app.scheduler.ruleChanges(seq, 10_000);
    t.deepEqual(
      changes.filter((c) => c.ruleId === rule.id),
      [],
    );
    t.deepEqual((await http.get(`/rules/${rule.id}`).expect(200)).body, before);
    const kept = await http.get(`/occurrences/${occ(rule.id, '2030-01-05T14:00Z')}`).expect(200);
    t.is(kept.body.state, 'disabled');
  });
}
