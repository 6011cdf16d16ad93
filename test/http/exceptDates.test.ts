/**
 * Except dates through the API: one local date in the rule's zone disables every occurrence on it,
 * in the rule's own list, the calendar and one occurrence's page, saying why; next_due_at skips it.
 */
import anyTest, { type TestFn } from 'ava';
import { DIALECTS, fieldsOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test);

const year = new Date().getUTCFullYear() + 1;
const excepted = `${year}-02-11`;

interface Item {
  id: string;
  at: string;
  state: string;
  reason: string | null;
}

for (const d of DIALECTS) {
  test(`${d}: occurrences on an except date (Singapore's date, not UTC's) show as disabled with the date as reason`, async (t) => {
    const { http } = appOf(d);
    const schedule = {
      kind: 'any_of',
      timezone: 'Asia/Singapore',
      start: `${year}-02-01`,
      end: `${year}-02-12`,
      except_dates: [excepted, excepted],
      schedules: [{ kind: 'daily', times: ['00:30', '12:00'] }],
    };
    const rule = (await http.post('/rules').send(ruleBody({ schedule })).expect(201)).body;
    t.deepEqual(rule.schedule.except_dates, [excepted], 'one exclusion per date');
    const from = `${year}-02-10T00:00:00.000Z`;
    const to = `${year}-02-12T00:00:00.000Z`;
    const own = (await http.get(`/rules/${rule.id}/occurrences?from=${from}&to=${to}`).expect(200)).body
      .items as Item[];
    t.deepEqual(
      own.map((o) => [o.at, o.state, o.reason]),
      [
        [`${year}-02-10T04:00:00.000Z`, 'scheduled', null],
        [`${year}-02-10T16:30:00.000Z`, 'disabled', `${excepted} is an except date of the schedule`],
        [`${year}-02-11T04:00:00.000Z`, 'disabled', `${excepted} is an except date of the schedule`],
        [`${year}-02-11T16:30:00.000Z`, 'scheduled', null],
      ],
    );
    const calendar = (await http.get(`/occurrences?from=${from}&to=${to}&rule_id=${rule.id}`).expect(200))
      .body.items as Item[];
    t.deepEqual(
      calendar.map((o) => o.state),
      own.map((o) => o.state),
    );
    const one = await http.get(`/occurrences/${encodeURIComponent(own[1]!.id)}`).expect(200);
    t.like(one.body, { state: 'disabled', reason: `${excepted} is an except date of the schedule` });

    // Replacing the except dates through an edit restores the occurrences.
    await http
      .patch(`/rules/${rule.id}`)
      .send({ schedule: { ...schedule, except_dates: [] } })
      .expect(200);
    const after = (await http.get(`/rules/${rule.id}/occurrences?from=${from}&to=${to}`).expect(200)).body
      .items as Item[];
    t.true(after.every((o) => o.state === 'scheduled'));
  });

  test(`${d}: next_due_at steps over an except date; a bad date is refused naming it`, async (t) => {
    const { http } = appOf(d);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const dayAfter = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const rule = (
      await http
        .post('/rules')
        .send(
          ruleBody({
            schedule: {
              kind: 'daily',
              times: ['10:00'],
              timezone: 'UTC',
              start: tomorrow,
              except_dates: [tomorrow],
            },
          }),
        )
        .expect(201)
    ).body;
    t.is(rule.next_due_at, `${dayAfter}T10:00:00.000Z`);
    const bad = await http
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'daily', times: ['10:00'], except_dates: ['2026-02-30'] } }))
      .expect(422);
    t.deepEqual(fieldsOf(bad.body), ['schedule.except_dates[0]']);
  });
}
