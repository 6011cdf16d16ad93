/**
 * Rules with several schedules (`any_of`) through the API: created, read back, previewed, shown
 * in the calendar, one occurrence changed, edited, with clear errors for a malformed union.
 */
import anyTest, { type TestFn } from 'ava';
import { DIALECTS, errorOf, fieldsOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

const year = new Date().getUTCFullYear() + 1;
/** Mon–Fri 09:00 and Sat 11:00 in Berlin, from the next year's first Monday in March. */
const union = {
  kind: 'any_of',
  timezone: 'Europe/Berlin',
  start: `${year}-01-01`,
  schedules: [
    { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['09:00'] },
    { kind: 'weekly', days: ['sat'], times: ['11:00'] },
    { kind: 'daily', times: ['09:00'] }, // shares 09:00 with the first on weekdays
  ],
};

/** The Berlin local date-times of a list of instants. */
const berlin = (instants: string[]): string[] =>
  instants.map((at) =>
    new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(' ', 'T').slice(0, 16),
  );

for (const d of DIALECTS) {
  test(`${d}: an any_of rule reads back as sent, and its calendar merges its schedules`, async (t) => {
    const { http } = appOf(d);
    const created = await http
      .post('/rules')
      .send(ruleBody({ schedule: union }))
      .expect(201);
    t.deepEqual(created.body.schedule, {
      kind: 'any_of',
      timezone: 'Europe/Berlin',
      start: `${year}-01-01T00:00:00`,
      schedules: [
        { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['09:00:00'], every: 1 },
        { kind: 'weekly', days: ['sat'], times: ['11:00:00'], every: 1 },
        { kind: 'daily', times: ['09:00:00'], every: 1 },
      ],
    });
    const from = new Date(Date.UTC(year, 2, 27)).toISOString(); // spans Berlin's spring-forward
    const to = new Date(Date.UTC(year, 3, 3)).toISOString();
    const own = await http.get(`/rules/${created.body.id}/occurrences?from=${from}&to=${to}`).expect(200);
    const local = berlin(own.body.items.map((o: { at: string }) => o.at));
    t.is(new Set(local).size, local.length, 'an instant two schedules share shows once');
    t.true(local.every((l) => l.endsWith('T09:00') || l.endsWith('T11:00')));
    t.true(local.some((l) => l.endsWith('T11:00')));
    t.is(local.filter((l) => l.endsWith('T09:00')).length, 7, 'daily 09:00 every day, once on weekdays');

    const calendar = await http
      .get(`/occurrences?from=${from}&to=${to}&rule_id=${created.body.id}`)
      .expect(200);
    t.deepEqual(
      calendar.body.items.map((o: { at: string }) => o.at),
      own.body.items.map((o: { at: string }) => o.at),
    );
    const rule = await http.get(`/rules/${created.body.id}`).expect(200);
    const soon = new Date(Date.parse(rule.body.next_due_at) - 1).toISOString();
    const first = await http.get(`/rules/${created.body.id}/occurrences?from=${soon}&to=${to}`).expect(200);
    t.is(first.body.items[0].at, rule.body.next_due_at, "next_due_at is the union's first occurrence");
  });

  test(`${d}: preview of an any_of: a count over the union, equal instants once`, async (t) => {
    const { http } = appOf(d);
    const res = await http
      .post('/schedules/preview')
      .send({
        schedule: {
          kind: 'any_of',
          timezone: 'UTC',
          start: '2030-01-01',
          count: 4,
          schedules: [
            { kind: 'daily', times: ['09:00'] },
            { kind: 'once', at: '2030-01-01T09:00' },
            { kind: 'once', at: '2030-01-01T12:00' },
          ],
        },
        from: '2030-01-01T00:00:00Z',
        to: '2030-02-01T00:00:00Z',
      })
      .expect(200);
    t.deepEqual(
      res.body.items.map((i: { at: string }) => i.at),
      [
        '2030-01-01T09:00:00.000Z',
        '2030-01-01T12:00:00.000Z',
        '2030-01-02T09:00:00.000Z',
        '2030-01-03T09:00:00.000Z',
      ],
    );
  });

  test(`${d}: one occurrence of an any_of is disabled by its id and stays so when the rule is edited into another union`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(ruleBody({ schedule: union }))
        .expect(201)
    ).body;
    const saturday = new Date(Date.UTC(year, 0, 1));
    while (saturday.getUTCDay() !== 6) saturday.setUTCDate(saturday.getUTCDate() + 1);
    const at = new Date(saturday.getTime() + 10 * 3_600_000).toISOString(); // 11:00 in Berlin (winter)
    const id = `${rule.id}@${at}`;
    t.is((await http.get(`/occurrences/${encodeURIComponent(id)}`).expect(200)).body.state, 'scheduled');
    const disabled = await http
      .patch(`/occurrences/${encodeURIComponent(id)}`)
      .send({ enabled: false, reason: 'inventory' })
      .expect(200);
    t.is(disabled.body.state, 'disabled');

    // Saturday keeps 09:00 and 11:00: the override stays on the second occurrence of its date.
    const edited = await http
      .patch(`/rules/${rule.id}`)
      .send({
        schedule: {
          ...union,
          schedules: [union.schedules[1], union.schedules[2], { kind: 'monthly', day: -1, times: ['18:00'] }],
        },
      })
      .expect(200);
    t.deepEqual(
      edited.body.schedule.schedules.map((s: { kind: string }) => s.kind),
      ['weekly', 'daily', 'monthly'],
    );
    t.deepEqual(edited.body.overrides_carried, []);
    t.deepEqual(edited.body.overrides_removed, []);
    t.is((await http.get(`/occurrences/${encodeURIComponent(id)}`).expect(200)).body.state, 'disabled');
  });

  test(`${d}: a malformed any_of is refused naming the field, and nothing is stored`, async (t) => {
    const { http } = appOf(d);
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ kind: 'any_of', schedules: [] }, 'schedule.schedules', /at least one/],
      [
        { kind: 'any_of', schedules: [{ kind: 'daily', times: ['09:00'], timezone: 'UTC' }] },
        'schedule.schedules[0].timezone',
        /belongs to the any_of/,
      ],
      [
        { kind: 'any_of', schedules: [{ kind: 'daily', times: ['09:00'], count: 3 }] },
        'schedule.schedules[0].count',
        /belongs to the any_of/,
      ],
      [
        { kind: 'any_of', schedules: [{ kind: 'any_of', schedules: [] }] },
        'schedule.schedules[0].kind',
        /must be one of once, daily/,
      ],
      [
        { kind: 'any_of', schedules: [{ kind: 'daily', times: ['25:00'] }] },
        'schedule.schedules[0].times[0]',
        /time of day/,
      ],
      [
        { kind: 'any_of', count: 100_001, schedules: [{ kind: 'daily', times: ['09:00'] }] },
        'schedule.count',
        /at most 100000/,
      ],
    ];
    for (const [schedule, field, message] of cases) {
      const name = `bad-${field}`;
      const res = await http.post('/rules').send(ruleBody({ name, schedule })).expect(422);
      t.true(fieldsOf(res.body).includes(field), `${field}: ${JSON.stringify(res.body)}`);
      const issue = (errorOf(t, res.body).details.issues as Array<{ field: string; message: string }>).find(
        (i) => i.field === field,
      );
      t.regex(issue?.message ?? '', message, field);
      t.is((await http.get(`/rules?name=${encodeURIComponent(name)}`)).body.items?.length ?? 0, 0);
    }
  });
}
