/**
 * rmf-web's validation table (shared/rmf/RMF_WEB_SCHEDULED_TASKS.md, "Validation"), through
 * `POST /scheduled_tasks`: what its pydantic models and its routes refuse is a 422 with FastAPI's
 * `detail` (pydantic's error list, or the route's message) and creates nothing; what they accept
 * (the dashboard's `unix_millis_earliest_start_time: 0`, a free-form description, lax integers,
 * unknown fields) is a 201. `every` below 1 is refused (rmf-web hangs on it).
 */
import anyTest, { type TestFn } from 'ava';
import { DIALECTS, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { config: { timezone: 'Asia/Singapore' } });

const task = { category: 'patrol', description: { places: ['lobby'], rounds: 1 } };
const weekly = [{ period: 'monday', at: '09:00' }];
const body = (over: Record<string, unknown> = {}) => ({ task_request: task, schedules: weekly, ...over });

interface Detail {
  type: string;
  loc: Array<string | number>;
  msg: string;
}

/** Refused by the models: a pydantic error of this type at this place. */
const refusedByModel: Array<[string, unknown, string, Array<string | number>]> = [
  ['task_request missing', { schedules: weekly }, 'missing', ['body', 'task_request']],
  ['task_request null', body({ task_request: null }), 'model_type', ['body', 'task_request']],
  [
    'category missing',
    body({ task_request: { description: 'x' } }),
    'missing',
    ['body', 'task_request', 'category'],
  ],
  [
    'description missing',
    body({ task_request: { category: 'patrol' } }),
    'missing',
    ['body', 'task_request', 'description'],
  ],
  ['schedules missing', { task_request: task }, 'missing', ['body', 'schedules']],
  ['schedules not a list', body({ schedules: 'monday' }), 'list_type', ['body', 'schedules']],
  [
    'period "second"',
    body({ schedules: [{ period: 'second', at: ':10' }] }),
    'enum',
    ['body', 'schedules', 0, 'period'],
  ],
  [
    'period "week"',
    body({ schedules: [{ period: 'week', at: '09:00' }] }),
    'enum',
    ['body', 'schedules', 0, 'period'],
  ],
  [
    'every "often"',
    body({ schedules: [{ period: 'day', at: '09:00', every: 'often' }] }),
    'int_parsing',
    ['body', 'schedules', 0, 'every'],
  ],
  [
    'every 1.5',
    body({ schedules: [{ period: 'day', at: '09:00', every: 1.5 }] }),
    'int_from_float',
    ['body', 'schedules', 0, 'every'],
  ],
  ['at missing', body({ schedules: [{ period: 'day' }] }), 'missing', ['body', 'schedules', 0, 'at']],
  [
    'at not a string',
    body({ schedules: [{ period: 'day', at: 9 }] }),
    'string_type',
    ['body', 'schedules', 0, 'at'],
  ],
  ['start_from "soon"', body({ start_from: 'soon' }), 'datetime_from_date_parsing', ['body', 'start_from']],
  [
    'until on February 30th',
    body({ until: '2124-02-30T00:00:00Z' }),
    'datetime_from_date_parsing',
    ['body', 'until'],
  ],
  ['except_dates not a list', body({ except_dates: '2124-01-01' }), 'list_type', ['body', 'except_dates']],
];

/** Refused by the routes (rmf-web's schedule library): a 422 whose detail is this message. */
const refusedByRoute: Array<[string, unknown, RegExp]> = [
  ['no schedules', body({ schedules: [] }), /^Task is never going to run$/],
  [
    'until in the past',
    body({ until: '2020-01-01T00:00:00Z' }),
    /^Cannot schedule a job to run until a time in the past$/,
  ],
  [
    'start_from after until (rmf-web: 201, never runs)',
    body({ start_from: '2125-01-01T00:00:00Z', until: '2124-06-01T00:00:00Z' }),
    /^until is before start_from: the task would never run$/,
  ],
  [
    'monday every 2',
    body({ schedules: [{ period: 'monday', at: '09:00', every: 2 }] }),
    /every 2 or more weeks is not supported/,
  ],
  [
    'monday every 0',
    body({ schedules: [{ period: 'monday', at: '09:00', every: 0 }] }),
    /every 2 or more weeks is not supported/,
  ],
  [
    'day every 0 (rmf-web hangs)',
    body({ schedules: [{ period: 'day', at: '09:00', every: 0 }] }),
    /Invalid every: 0/,
  ],
  [
    'hour every -1 (rmf-web hangs)',
    body({ schedules: [{ period: 'hour', at: '15:30', every: -1 }] }),
    /Invalid every: -1/,
  ],
  [
    'minute every 0 (rmf-web hangs)',
    body({ schedules: [{ period: 'minute', at: ':17', every: 0 }] }),
    /Invalid every: 0/,
  ],
  [
    'day at 24:00',
    body({ schedules: [{ period: 'day', at: '24:00' }] }),
    /Invalid number of hours \(24 is not between 0 and 23\)/,
  ],
  ['day at 7:30', body({ schedules: [{ period: 'day', at: '7:30' }] }), /valid format is HH:MM\(:SS\)\?/],
  [
    'weekday at 09:60',
    body({ schedules: [{ period: 'friday', at: '09:60' }] }),
    /valid format is HH:MM\(:SS\)\?/,
  ],
  ['day at ""', body({ schedules: [{ period: 'day', at: '' }] }), /valid format is HH:MM\(:SS\)\?/],
  ['hour at 1:30', body({ schedules: [{ period: 'hour', at: '1:30' }] }), /valid format is \(MM\)\?:SS/],
  [
    'hour at 09:00:00',
    body({ schedules: [{ period: 'hour', at: '09:00:00' }] }),
    /valid format is \(MM\)\?:SS/,
  ],
  ['minute at 00:17', body({ schedules: [{ period: 'minute', at: '00:17' }] }), /valid format is :SS/],
];

/** Accepted as rmf-web accepts them. */
const accepted: Array<[string, unknown]> = [
  [
    "the dashboard's request (earliest start 0, request time, priority, labels)",
    body({
      task_request: {
        ...task,
        unix_millis_earliest_start_time: 0,
        unix_millis_request_time: 1_700_000_000_000,
        priority: { type: 'binary', value: 0 },
        requester: 'alice',
        labels: ['task_definition_id=patrol'],
      },
    }),
  ],
  [
    'a free-form description',
    body({ task_request: { category: 'patrol', description: 'patrol the lobby' } }),
  ],
  [
    'every "2" and 2.0',
    body({
      schedules: [
        { period: 'day', at: '09:00', every: '2' },
        { period: 'hour', at: ':30', every: 2.0 },
      ],
    }),
  ],
  [
    'unknown fields, also inside a schedule',
    body({ colour: 'red', schedules: [{ period: 'sunday', at: '10:15:30', start_from: 'x' }] }),
  ],
  [
    'hour at MM:SS and :SS, minute at :SS',
    body({
      schedules: [
        { period: 'hour', at: '15:30' },
        { period: 'hour', at: ':30' },
        { period: 'minute', at: ':17' },
      ],
    }),
  ],
  [
    'date-times as unix seconds, milliseconds, naive, spaced and bare dates',
    body({
      start_from: 4_102_444_800,
      until: '4133980800000',
      except_dates: ['2124-02-10 23:59:00', '2124-03-01', '2124-03-02T10:00:00.5+08:00'],
    }),
  ],
];

async function count(http: ReturnType<typeof appOf>['http']): Promise<number> {
  const res = await http
    .get('/scheduled_tasks?start_before=9999-01-01T00:00:00Z&until_after=1970-01-01T00:00:00Z&limit=1000')
    .expect(200);
  return (res.body as unknown[]).length;
}

for (const d of DIALECTS) {
  test.serial(
    `${d}: what rmf-web's models refuse is a 422 listing pydantic's errors, creating nothing`,
    async (t) => {
      const { http } = appOf(d);
      const before = await count(http);
      for (const [what, sent, type, loc] of refusedByModel) {
        const res = await http.post('/scheduled_tasks').send(sent as object);
        t.is(res.status, 422, what);
        const detail = res.body.detail as Detail[];
        t.true(Array.isArray(detail), `${what}: detail is a list`);
        t.true(
          detail.some(
            (e) => e.type === type && JSON.stringify(e.loc) === JSON.stringify(loc) && e.msg.length > 0,
          ),
          `${what}: ${JSON.stringify(detail)}`,
        );
      }
      t.is(await count(http), before);
    },
  );

  test.serial(`${d}: what rmf-web's routes refuse is a 422 with its message, creating nothing`, async (t) => {
    const { http } = appOf(d);
    const before = await count(http);
    for (const [what, sent, message] of refusedByRoute) {
      const res = await http.post('/scheduled_tasks').send(sent as object);
      t.is(res.status, 422, what);
      t.regex(String(res.body.detail), message, what);
    }
    t.is(await count(http), before);
  });

  test.serial(`${d}: a body that is not JSON is a 422 json_invalid; no body is a 422 missing`, async (t) => {
    const { http } = appOf(d);
    const bad = await http
      .post('/scheduled_tasks')
      .set('content-type', 'application/json')
      .send('{"task_request":');
    t.is(bad.status, 422);
    t.is(bad.body.detail[0].type, 'json_invalid');
    const none = await http.post('/scheduled_tasks').set('content-type', 'application/json');
    t.is(none.status, 422);
    t.like(none.body.detail[0], { type: 'missing', loc: ['body'] });
    const list = await http.post('/scheduled_tasks').send([1, 2]);
    t.is(list.status, 422);
    t.like(list.body.detail[0], { type: 'model_attributes_type', loc: ['body'] });
  });

  test.serial(`${d}: what rmf-web's models accept is a 201`, async (t) => {
    const { http } = appOf(d);
    for (const [what, sent] of accepted) {
      const res = await http.post('/scheduled_tasks').send(sent as object);
      t.is(res.status, 201, `${what}: ${JSON.stringify(res.body)}`);
    }
    const lax = await http
      .post('/scheduled_tasks')
      .send(accepted[2]![1] as object)
      .expect(201);
    t.deepEqual(lax.body.schedules, [
      { every: 2, period: 'day', at: '09:00' },
      { every: 2, period: 'hour', at: ':30' },
    ]);
    const dates = await http
      .post('/scheduled_tasks')
      .send(accepted[5]![1] as object)
      .expect(201);
    t.like(dates.body, { start_from: '2100-01-01T00:00:00Z', until: '2101-01-01T00:00:00Z' });
    // A naive date-time is read in the server zone; an offset is converted to it.
    t.deepEqual(dates.body.except_dates, ['2124-02-10', '2124-03-01', '2124-03-02']);
    const free = await http
      .post('/scheduled_tasks')
      .send(accepted[1]![1] as object)
      .expect(201);
    t.is(free.body.task_request.description, 'patrol the lobby');
  });

  test.serial(`${d}: a bad id is 422 before anything else; an unknown id is 404 Not Found`, async (t) => {
    const { http } = appOf(d);
    for (const [method, path, sent] of [
      ['get', '/scheduled_tasks/abc', undefined],
      ['delete', '/scheduled_tasks/1.5', undefined],
      ['post', '/scheduled_tasks/x/update', body()],
      ['post', '/scheduled_tasks/x/except_date', { except_date: '2124-01-01' }],
    ] as const) {
      const res = await (sent === undefined ? http[method](path) : http[method](path).send(sent));
      t.is(res.status, 422, `${method} ${path}`);
      t.like(res.body.detail[0], { loc: ['path', 'task_id'] });
    }
    for (const [method, path, sent] of [
      ['get', '/scheduled_tasks/9999', undefined],
      ['delete', '/scheduled_tasks/9999', undefined],
      ['post', '/scheduled_tasks/9999/update', body()],
      ['post', '/scheduled_tasks/9999/except_date', { except_date: '2124-01-01' }],
    ] as const) {
      const res = await (sent === undefined ? http[method](path) : http[method](path).send(sent));
      t.is(res.status, 404, `${method} ${path}`);
      t.deepEqual(res.body, { detail: 'Not Found' });
    }
    // FastAPI validates the body before the handler: a bad body on an unknown id is 422.
    const bad = await http.post('/scheduled_tasks/9999/update').send({ schedules: weekly });
    t.is(bad.status, 422);
    const badDate = await http.post('/scheduled_tasks/9999/except_date').send({ except_date: 'soon' });
    t.is(badDate.status, 422);
    t.like(badDate.body.detail[0], { loc: ['body', 'except_date'] });
  });
}
