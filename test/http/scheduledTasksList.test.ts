/**
 * `GET /scheduled_tasks` and the dashboard's flows (shared/rmf/RMF_WEB_SCHEDULED_TASKS.md, "The
 * list" and "The dashboard's requests"), on SQLite and PostgreSQL: both bounds inclusive and
 * compared as instants whatever the offset, limit/offset/order_by, and the dashboard's create,
 * week list, edit this event, edit all events, delete this event, delete all — with the rule's
 * occurrences showing what the dashboard draws.
 */
import test from 'ava';
import { createTestApp, DIALECTS, type AppDialect, type TestApp } from '../helpers/testApp.js';

const task = { category: 'patrol', description: { places: ['lobby'], rounds: 1 } };

async function open(t: { teardown(fn: () => unknown): void }, dialect: AppDialect): Promise<TestApp> {
  const app = await createTestApp({ dialect, config: { timezone: 'Asia/Singapore' } });
  t.teardown(() => app.close());
  return app;
}

const ids = (body: Array<{ id: number }>): number[] => body.map((x) => x.id);

for (const dialect of DIALECTS) {
  test(`${dialect}: the list keeps start_from <= start_before and until >= until_after, both inclusive, as instants`, async (t) => {
    const app = await open(t, dialect);
    const post = (extra: Record<string, unknown>) =>
      app.http
        .post('/scheduled_tasks')
        .send({ task_request: task, schedules: [{ period: 'day', at: '09:00' }], ...extra })
        .expect(201);
    await post({ start_from: '2124-03-01T00:00:00Z', until: '2124-03-31T00:00:00Z' }); // 1
    await post({}); // 2: no bounds
    await post({ start_from: '2124-04-01T00:00:00Z' }); // 3
    await post({ until: '2124-02-01T00:00:00Z' }); // 4
    const list = async (query: string) =>
      ids((await app.http.get(`/scheduled_tasks?${query}`).expect(200)).body);
    t.deepEqual(await list('start_before=2124-03-01T00:00:00Z&until_after=2124-03-31T00:00:00Z'), [1, 2]);
    // The same instants written with another offset.
    t.deepEqual(
      await list(
        `start_before=${encodeURIComponent('2124-03-01T08:00:00+08:00')}&until_after=${encodeURIComponent('2124-03-31T08:00:00+08:00')}`,
      ),
      [1, 2],
    );
    t.deepEqual(
      await list(
        `start_before=${encodeURIComponent('2124-03-01T07:59:59+08:00')}&until_after=2124-01-01T00:00:00Z`,
      ),
      [2, 4],
    );
    t.deepEqual(await list('start_before=2124-03-31T00:00:00Z&until_after=2124-03-31T00:00:00.001Z'), [2]);
    // Unix seconds, as rmf-web's tests send: 2000 s is 1970-01-01T00:33:20Z.
    t.deepEqual(await list('start_before=2000&until_after=2000'), [2, 4]);
    t.deepEqual(
      await list('start_before=2200-01-01T00:00:00Z&until_after=2000-01-01T00:00:00Z'),
      [1, 2, 3, 4],
    );
    const wide = 'start_before=2200-01-01T00:00:00Z&until_after=2000-01-01T00:00:00Z';
    t.deepEqual(await list(`${wide}&limit=2&offset=1`), [2, 3]);
    t.deepEqual(await list(`${wide}&order_by=-id`), [4, 3, 2, 1]);
    t.deepEqual(await list(`${wide}&order_by=id&limit=1&offset=3`), [4]);
    // Nulls last: the tasks without a start after those with one, by id.
    t.deepEqual(await list(`${wide}&order_by=-start_from`), [3, 1, 2, 4]);
    t.deepEqual(await list(`${wide}&order_by=until,-id`), [4, 1, 3, 2]);
    for (const [query, loc] of [
      ['until_after=2124-01-01T00:00:00Z', ['query', 'start_before']],
      ['start_before=2124-01-01T00:00:00Z', ['query', 'until_after']],
      [`${wide}&limit=0`, ['query', 'limit']],
      [`${wide}&limit=1001`, ['query', 'limit']],
      [`${wide}&offset=-1`, ['query', 'offset']],
      [`${wide}&limit=ten`, ['query', 'limit']],
      ['start_before=soon&until_after=2124-01-01T00:00:00Z', ['query', 'start_before']],
    ] as const) {
      const res = await app.http.get(`/scheduled_tasks?${query}`).expect(422);
      t.deepEqual(res.body.detail[0].loc, loc, query);
    }
    const unknown = await app.http.get(`/scheduled_tasks?${wide}&order_by=colour`).expect(422);
    t.regex(unknown.body.detail, /Unknown field "colour"/);
    t.is((await app.http.get(`/scheduled_tasks?${wide}&limit=1000`).expect(200)).body.length, 4);
  });

  test(`${dialect}: the dashboard's flows: create weekly, week list, delete this event, edit this event, edit all events, delete all`, async (t) => {
    const app = await open(t, dialect);
    const dashboardTask = {
      category: 'patrol',
      description: { places: ['ward_a', 'ward_b'], rounds: 2 },
      unix_millis_earliest_start_time: 0,
      unix_millis_request_time: 1_800_000_000_000,
      priority: { type: 'binary', value: 0 },
      requester: 'nurse',
      labels: ['task_definition_id=patrol', 'destination=ward_a'],
    };
    // "Add to Schedule": Monday and Thursday at 14:30, no start_from/until/except_dates.
    const created = await app.http
      .post('/scheduled_tasks')
      .send({
        task_request: dashboardTask,
        schedules: [
          { period: 'monday', at: '14:30' },
          { period: 'thursday', at: '14:30' },
        ],
      })
      .expect(201);
    const id = created.body.id as number;
    // The week of Monday 2124-03-06 (Singapore): Monday 00:00 to Sunday 23:59:59.999 local, toISOString().
    const weekStart = '2124-03-05T16:00:00.000Z';
    const weekEnd = '2124-03-12T15:59:59.999Z';
    const week = await app.http
      .get(`/scheduled_tasks?start_before=${weekEnd}&until_after=${weekStart}`)
      .expect(200);
    t.deepEqual(ids(week.body), [id]);
    t.deepEqual(week.body[0].schedules, created.body.schedules);
    const rule = (await app.http.get(`/rules?label=rmf_web_task_id%3D${id}`).expect(200)).body.items[0];
    const drawn = async (): Promise<Array<[string, string]>> => {
      const res = await app.http
        .get(`/rules/${rule.id}/occurrences?from=${weekStart}&to=${weekEnd}`)
        .expect(200);
      return res.body.items.map((o: { at: string; state: string }) => [o.at, o.state]);
    };
    t.deepEqual(await drawn(), [
      ['2124-03-06T06:30:00.000Z', 'scheduled'],
      ['2124-03-09T06:30:00.000Z', 'scheduled'],
    ]);

    // "Delete this event": Thursday's, by its local time.
    await app.http
      .post(`/scheduled_tasks/${id}/except_date`)
      .send({ except_date: '2124-03-09T14:30:00+08:00' })
      .expect(201);
    t.deepEqual((await app.http.get(`/scheduled_tasks/${id}`).expect(200)).body.except_dates, ['2124-03-09']);
    t.deepEqual(await drawn(), [
      ['2124-03-06T06:30:00.000Z', 'scheduled'],
      ['2124-03-09T06:30:00.000Z', 'disabled'],
    ]);

    // "Edit this event": Monday's moves to 16:00 — its except date, then a new task for that weekday.
    await app.http
      .post(`/scheduled_tasks/${id}/except_date`)
      .send({ except_date: '2124-03-06T14:30:00+08:00' })
      .expect(201);
    const single = await app.http
      .post('/scheduled_tasks')
      .send({ task_request: dashboardTask, schedules: [{ period: 'monday', at: '16:00' }] })
      .expect(201);
    const both = await app.http
      .get(`/scheduled_tasks?start_before=${weekEnd}&until_after=${weekStart}`)
      .expect(200);
    t.deepEqual(ids(both.body), [id, single.body.id]);
    t.deepEqual(both.body[0].except_dates, ['2124-03-06', '2124-03-09']);
    const calendar = await app.http
      .get(`/occurrences?from=${weekStart}&to=${weekEnd}&label=rmf_web_scheduled_task`)
      .expect(200);
    t.deepEqual(
      calendar.body.items.map((o: { at: string; state: string; rule_name: string }) => [
        o.at,
        o.state,
        o.rule_name,
      ]),
      [
        ['2124-03-06T06:30:00.000Z', 'disabled', `scheduled task ${id} — patrol`],
        ['2124-03-06T08:00:00.000Z', 'scheduled', `scheduled task ${single.body.id} — patrol`],
        ['2124-03-09T06:30:00.000Z', 'disabled', `scheduled task ${id} — patrol`],
      ],
    );

    // "Edit all events": /update with the form's schedules only: except dates, start, until cleared.
    const all = await app.http
      .post(`/scheduled_tasks/${id}/update`)
      .send({ task_request: dashboardTask, schedules: [{ period: 'tuesday', at: '10:00' }] })
      .expect(200);
    t.like(all.body, { id, except_dates: [], start_from: null, until: null });
    t.deepEqual(all.body.schedules, [{ every: null, period: 'tuesday', at: '10:00' }]);
    t.deepEqual(await drawn(), [['2124-03-07T02:00:00.000Z', 'scheduled']]);

    // "Delete all".
    await app.http.delete(`/scheduled_tasks/${id}`).expect(200);
    const left = await app.http
      .get(`/scheduled_tasks?start_before=${weekEnd}&until_after=${weekStart}`)
      .expect(200);
    t.deepEqual(ids(left.body), [single.body.id]);
    await app.http.get(`/rules/${rule.id}`).expect(404);
  });

  test(`${dialect}: except dates are dates of the server zone, and disable every occurrence on them with a reason`, async (t) => {
    const app = await open(t, dialect);
    const res = await app.http
      .post('/scheduled_tasks')
      .send({
        task_request: task,
        schedules: [{ period: 'minute', at: ':00', every: 30 }],
        // 23:59 UTC on the 10th is 07:59 on the 11th in Singapore.
        except_dates: ['2124-02-10T23:59:00+00:00'],
      })
      .expect(201);
    t.deepEqual(res.body.except_dates, ['2124-02-11']);
    const rule = (await app.http.get(`/rules?label=rmf_web_task_id%3D${res.body.id}`).expect(200)).body
      .items[0];
    const from = '2124-02-10T15:00:00.000Z'; // 23:00 on the 10th, Singapore
    const to = '2124-02-11T17:00:00.000Z'; // 01:00 on the 12th
    const items = (
      await app.http.get(`/rules/${rule.id}/occurrences?from=${from}&to=${to}&limit=1000`).expect(200)
    ).body.items as Array<{ at_local: string; state: string; reason: string | null }>;
    const on = items.filter((o) => o.at_local.startsWith('2124-02-11'));
    t.is(on.length, 48, 'one exclusion covers the 48 occurrences of the day');
    t.true(
      on.every((o) => o.state === 'disabled' && o.reason === '2124-02-11 is an except date of the schedule'),
    );
    const off = items.filter((o) => !o.at_local.startsWith('2124-02-11'));
    t.is(off.length, 4);
    t.true(off.every((o) => o.state === 'scheduled'));
  });
}
