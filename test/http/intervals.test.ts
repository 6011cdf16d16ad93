/**
 * Interval rules follow the clock, seen through the API on every dialect: each daily window
 * restarts the series at its opening, across a DST change and across midnight.
 */
import anyTest, { type TestFn } from 'ava';
import { ALL_DIALECTS, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ALL_DIALECTS });

const utc = (withOffset: string): string => new Date(Date.parse(withOffset)).toISOString();

async function occurrencesOf(
  dialect: (typeof ALL_DIALECTS)[number],
  schedule: Record<string, unknown>,
  from: string,
  to: string,
): Promise<string[]> {
  const { http } = appOf(dialect);
  const rule = (await http.post('/rules').send(ruleBody({ schedule })).expect(201)).body;
  const res = await http
    .get(
      `/rules/${rule.id}/occurrences?from=${encodeURIComponent(utc(from))}&to=${encodeURIComponent(utc(to))}`,
    )
    .expect(200);
  return res.body.items.map((o: { at: string }) => o.at);
}

for (const d of ALL_DIALECTS) {
  test(`${d}: every 50 minutes between 08:00 and 10:00 is 08:00, 08:50, 09:40 every day`, async (t) => {
    const at = await occurrencesOf(
      d,
      {
        kind: 'interval',
        every_seconds: 3000,
        between: ['08:00', '10:00'],
        timezone: 'UTC',
        start: '2030-06-01T08:50:01',
      },
      '2030-06-01T00:00Z',
      '2030-06-03T00:00Z',
    );
    t.deepEqual(
      at,
      ['2030-06-01T09:40Z', '2030-06-02T08:00Z', '2030-06-02T08:50Z', '2030-06-02T09:40Z'].map(utc),
    );
  });

  test(`${d}: a window across the Berlin spring-forward change keeps elapsed time inside it`, async (t) => {
    const at = await occurrencesOf(
      d,
      {
        kind: 'interval',
        every_seconds: 2700,
        between: ['01:00', '05:00'],
        timezone: 'Europe/Berlin',
        start: '2030-03-01',
      },
      '2030-03-31T00:00+01:00',
      '2030-04-01T00:00+02:00',
    );
    t.deepEqual(
      at,
      [
        '2030-03-31T01:00+01:00',
        '2030-03-31T01:45+01:00',
        '2030-03-31T03:30+02:00',
        '2030-03-31T04:15+02:00',
        '2030-03-31T05:00+02:00',
      ].map(utc),
    );
  });

  test(`${d}: a window opening in the spring-forward gap opens at 03:30 (RFC 5545)`, async (t) => {
    const at = await occurrencesOf(
      d,
      {
        kind: 'interval',
        every_seconds: 1800,
        between: ['02:30:00', '04:00:00'],
        timezone: 'Europe/Berlin',
        start: '2030-03-01',
      },
      '2030-03-31T00:00+01:00',
      '2030-04-01T00:00+02:00',
    );
    t.deepEqual(at, ['2030-03-31T03:30+02:00', '2030-03-31T04:00+02:00'].map(utc));
  });

  test(`${d}: a Friday window 22:00–06:00 is Friday night, across midnight`, async (t) => {
    const at = await occurrencesOf(
      d,
      {
        kind: 'interval',
        every_seconds: 3 * 3600,
        between: ['22:00', '06:00'],
        days: ['fri'],
        timezone: 'America/New_York',
        start: '2030-06-01',
      },
      '2030-06-06T00:00-04:00', // Thursday
      '2030-06-10T00:00-04:00',
    );
    t.deepEqual(at, ['2030-06-07T22:00-04:00', '2030-06-08T01:00-04:00', '2030-06-08T04:00-04:00'].map(utc));
  });

  test(`${d}: without a window, every 2 hours restarts at each local midnight, DST day included`, async (t) => {
    const at = await occurrencesOf(
      d,
      { kind: 'interval', every_seconds: 7200, timezone: 'Europe/Berlin', start: '2030-03-01' },
      '2030-03-30T20:00+01:00',
      '2030-04-01T03:00+02:00',
    );
    t.deepEqual(
      at,
      [
        '2030-03-30T20:00+01:00',
        '2030-03-30T22:00+01:00',
        '2030-03-31T00:00+01:00',
        '2030-03-31T03:00+02:00', // the 23-hour day: two elapsed hours after midnight
        ...['05', '07', '09', '11', '13', '15', '17', '19', '21', '23'].map(
          (h) => `2030-03-31T${h}:00+02:00`,
        ),
        '2030-04-01T00:00+02:00',
        '2030-04-01T02:00+02:00',
      ].map(utc),
    );
  });

  test(`${d}: between takes seconds and is shown normalized`, async (t) => {
    const { http } = appOf(d);
    const rule = (
      await http
        .post('/rules')
        .send(
          ruleBody({
            schedule: {
              kind: 'interval',
              every_seconds: 3600,
              between: ['00:15:30', '23:59:59'],
              timezone: 'UTC',
              start: '2030-01-01',
            },
          }),
        )
        .expect(201)
    ).body;
    t.deepEqual(rule.schedule.between, ['00:15:30', '23:59:59']);
    const res = await http
      .get(`/rules/${rule.id}/occurrences?from=2030-01-01T00:00:00.000Z&to=2030-01-01T03:00:00.000Z`)
      .expect(200);
    t.deepEqual(
      res.body.items.map((o: { at: string }) => o.at),
      ['2030-01-01T00:15:30.000Z', '2030-01-01T01:15:30.000Z', '2030-01-01T02:15:30.000Z'],
    );
  });
}
