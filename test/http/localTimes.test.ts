/**
 * Local times beside UTC: every occurrence says its local time with offset in the rule's zone and
 * what DST did to it (a gap, an overlap, two times merged into one instant), in three zones
 * including Lord Howe's 30-minute shift; rules, firings, previews and the calendar's timezone query.
 */
import anyTest, { type TestFn } from 'ava';
import { ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ['sqlite-memory'] });
const http = () => appOf('sqlite-memory').http;

interface Item {
  at: string;
  at_local: string;
  dst: string | null;
  merged_times: string[] | null;
}

const shown = (items: Item[]) => items.map((i) => [i.at, i.at_local, i.dst, i.merged_times]);
const byLocal = (items: Item[]) => [...items].sort((a, b) => (a.at_local < b.at_local ? -1 : 1));

async function occurrencesOf(timezone: string, times: string[], from: string, to: string): Promise<Item[]> {
  const rule = (
    await http()
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'daily', times, timezone, start: '2027-01-01' } }))
      .expect(201)
  ).body;
  const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const res = await http().get(`/rules/${rule.id}/occurrences?${window}`).expect(200);
  return res.body.items as Item[];
}

type Row = [string, string, string | null, string[] | null];
interface Day {
  times: string[];
  /** The local day, as instants with their offsets. */
  from: string;
  to: string;
  expect: Row[];
}
interface Case {
  zone: string;
  gap: Day;
  merged: Day;
  overlap: Day;
}

const CASES: Case[] = [
  {
    zone: 'America/New_York', // 2027-03-14 02:00 EST → 03:00 EDT; 2027-11-07 02:00 EDT → 01:00 EST
    gap: {
      times: ['02:30'],
      from: '2027-03-14T00:00:00-05:00',
      to: '2027-03-15T00:00:00-04:00',
      expect: [['2027-03-14T07:30:00.000Z', '2027-03-14T03:30:00-04:00', 'gap_shifted', null]],
    },
    merged: {
      times: ['02:30', '03:30'],
      from: '2027-03-14T00:00:00-05:00',
      to: '2027-03-15T00:00:00-04:00',
      expect: [
        ['2027-03-14T07:30:00.000Z', '2027-03-14T03:30:00-04:00', 'gap_shifted', ['02:30:00', '03:30:00']],
      ],
    },
    overlap: {
      times: ['01:30'],
      from: '2027-11-07T00:00:00-04:00',
      to: '2027-11-08T00:00:00-05:00',
      expect: [['2027-11-07T05:30:00.000Z', '2027-11-07T01:30:00-04:00', 'first_of_two', null]],
    },
  },
  {
    zone: 'Europe/London', // 2027-03-28 01:00 GMT → 02:00 BST; 2027-10-31 02:00 BST → 01:00 GMT
    gap: {
      times: ['01:30'],
      from: '2027-03-28T00:00:00+00:00',
      to: '2027-03-29T00:00:00+01:00',
      expect: [['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00+01:00', 'gap_shifted', null]],
    },
    merged: {
      times: ['01:30', '02:30'],
      from: '2027-03-28T00:00:00+00:00',
      to: '2027-03-29T00:00:00+01:00',
      expect: [
        ['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00+01:00', 'gap_shifted', ['01:30:00', '02:30:00']],
      ],
    },
    overlap: {
      times: ['01:30'],
      from: '2027-10-31T00:00:00+01:00',
      to: '2027-11-01T00:00:00+00:00',
      expect: [['2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00+01:00', 'first_of_two', null]],
    },
  },
  {
    zone: 'Australia/Lord_Howe', // 2027-10-03 02:00 +10:30 → 02:30 +11:00; 2027-04-04 02:00 +11:00 → 01:30 +10:30
    gap: {
      times: ['02:15'],
      from: '2027-10-03T00:00:00+10:30',
      to: '2027-10-04T00:00:00+11:00',
      expect: [['2027-10-02T15:45:00.000Z', '2027-10-03T02:45:00+11:00', 'gap_shifted', null]],
    },
    merged: {
      times: ['02:15', '02:45'],
      from: '2027-10-03T00:00:00+10:30',
      to: '2027-10-04T00:00:00+11:00',
      expect: [
        ['2027-10-02T15:45:00.000Z', '2027-10-03T02:45:00+11:00', 'gap_shifted', ['02:15:00', '02:45:00']],
      ],
    },
    overlap: {
      times: ['01:45'],
      from: '2027-04-04T00:00:00+11:00',
      to: '2027-04-05T00:00:00+10:30',
      expect: [['2027-04-03T14:45:00.000Z', '2027-04-04T01:45:00+11:00', 'first_of_two', null]],
    },
  },
];

for (const c of CASES) {
  for (const kind of ['gap', 'merged', 'overlap'] as const) {
    test(`${c.zone}: ${kind} — at_local, dst and merged_times`, async (t) => {
      const { times, from, to, expect } = c[kind];
      t.deepEqual(shown(await occurrencesOf(c.zone, times, from, to)), expect);
    });
  }
}

test('on an ordinary day the same two times are two occurrences, without a DST note', async (t) => {
  t.deepEqual(
    shown(
      await occurrencesOf(
        'America/New_York',
        ['02:30', '03:30'],
        '2027-03-13T00:00:00-05:00',
        '2027-03-14T00:00:00-05:00',
      ),
    ),
    [
      ['2027-03-13T07:30:00.000Z', '2027-03-13T02:30:00-05:00', null, null],
      ['2027-03-13T08:30:00.000Z', '2027-03-13T03:30:00-05:00', null, null],
    ],
  );
});

test('in an any_of, one member shifted by the gap onto another member is one occurrence saying both times', async (t) => {
  const res = await http()
    .post('/schedules/preview')
    .send({
      schedule: {
        kind: 'any_of',
        timezone: 'Europe/London',
        start: '2027-03-01',
        schedules: [
          { kind: 'weekly', days: ['sun'], times: ['01:30'] },
          { kind: 'daily', times: ['02:30'] },
        ],
      },
      from: '2027-03-28T00:00:00Z',
      to: '2027-03-29T00:00:00Z',
    })
    .expect(200);
  t.deepEqual(shown(res.body.items), [
    ['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00+01:00', 'gap_shifted', ['01:30:00', '02:30:00']],
  ]);
});

test('the preview says the same as the occurrences, with the zone it read them in', async (t) => {
  const res = await http()
    .post('/schedules/preview')
    .send({
      schedule: {
        kind: 'daily',
        times: ['02:30', '03:30'],
        timezone: 'America/New_York',
        start: '2027-03-01',
      },
      from: '2027-03-14T00:00:00Z',
      to: '2027-03-15T00:00:00Z',
    })
    .expect(200);
  t.is(res.body.timezone, 'America/New_York');
  t.deepEqual(shown(res.body.items), [
    ['2027-03-14T07:30:00.000Z', '2027-03-14T03:30:00-04:00', 'gap_shifted', ['02:30:00', '03:30:00']],
  ]);
});

test("a rule's next_due_at_local and its upcoming occurrences are in its zone", async (t) => {
  const created = (
    await http()
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'once', at: '2027-11-07T01:30', timezone: 'America/New_York' } }))
      .expect(201)
  ).body;
  t.is(created.next_due_at, '2027-11-07T05:30:00.000Z');
  t.is(created.next_due_at_local, '2027-11-07T01:30:00-04:00');
  const got = (await http().get(`/rules/${created.id}`).expect(200)).body;
  t.deepEqual(shown(got.upcoming), [
    ['2027-11-07T05:30:00.000Z', '2027-11-07T01:30:00-04:00', 'first_of_two', null],
  ]);
  const one = (
    await http()
      .get(`/occurrences/${encodeURIComponent(got.upcoming[0].id)}`)
      .expect(200)
  ).body;
  t.is(one.at_local, '2027-11-07T01:30:00-04:00');
  t.is(one.dst, 'first_of_two');
});

test('the calendar presents local times in the zone asked for, DST notes staying the rule’s', async (t) => {
  const label = `site-${Date.now()}`;
  const mk = (timezone: string, times: string[]) =>
    http()
      .post('/rules')
      .send(ruleBody({ labels: [label], schedule: { kind: 'daily', times, timezone, start: '2027-01-01' } }))
      .expect(201);
  await mk('America/New_York', ['02:30']);
  await mk('Europe/London', ['07:30']);
  const q = `from=2027-03-14T07:00:00Z&to=2027-03-14T08:00:00Z&label=${label}`;
  const own = (await http().get(`/occurrences?${q}`).expect(200)).body.items as Item[];
  t.deepEqual(shown(byLocal(own)), [
    ['2027-03-14T07:30:00.000Z', '2027-03-14T03:30:00-04:00', 'gap_shifted', null],
    ['2027-03-14T07:30:00.000Z', '2027-03-14T07:30:00+00:00', null, null],
  ]);
  const site = (await http().get(`/occurrences?${q}&timezone=Asia/Tokyo`).expect(200)).body.items as Item[];
  t.deepEqual(shown(site).sort().reverse(), [
    ['2027-03-14T07:30:00.000Z', '2027-03-14T16:30:00+09:00', 'gap_shifted', null],
    ['2027-03-14T07:30:00.000Z', '2027-03-14T16:30:00+09:00', null, null],
  ]);
  const bad = await http().get(`/occurrences?${q}&timezone=Mars/Olympus`).expect(422);
  t.is(bad.body.error.details.field, 'timezone');
});

test("a firing's due_at_local is in its rule's zone", async (t) => {
  const created = (
    await http()
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'daily', times: ['09:00'], timezone: 'Asia/Kolkata' } }))
      .expect(201)
  ).body;
  const fired = (await http().post(`/rules/${created.id}/trigger`).expect(201)).body;
  t.is(fired.due_at_local.slice(-6), '+05:30');
  t.is(Date.parse(fired.due_at_local), Date.parse(fired.due_at));
  const listed = (await http().get(`/firings?rule_id=${created.id}`).expect(200)).body.items;
  t.is(listed[0].due_at_local, fired.due_at_local);
  t.is((await http().get(`/firings/${fired.id}`).expect(200)).body.due_at_local, fired.due_at_local);
});
