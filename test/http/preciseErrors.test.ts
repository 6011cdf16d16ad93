/** Errors that point the right way (#17): each case through HTTP, asserting the new answer. */
import anyTest, { type TestFn } from 'ava';
import { errorOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ['sqlite-memory'] });

test('an occurrence id takes any valid UTC ISO instant and answers with the normalised id', async (t) => {
  const { http } = appOf('sqlite-memory');
  const rule = await http
    .post('/rules')
    .send(ruleBody({ schedule: { kind: 'daily', times: ['02:30'], timezone: 'UTC' } }))
    .expect(201);
  const id: string = rule.body.id;
  const next: string = rule.body.next_due_at;
  const day = next.slice(0, 10);
  for (const at of [`${day}T02:30:00Z`, `${day}T02:30Z`, `${day}T02:30:00.000Z`, `${day}T02:30:00+00:00`]) {
    const res = await http.get(`/occurrences/${id}@${at}`).expect(200);
    t.is(res.body.id, `${id}@${day}T02:30:00.000Z`, at);
  }
  for (const bad of [
    `${day}T02:30:00`,
    `${day}T25:30:00Z`,
    '2026-02-30T02:30:00Z',
    `${day}T02:30:00+01:00`,
  ]) {
    const res = await http.get(`/occurrences/${id}@${bad}`).expect(422);
    const error = errorOf(t, res.body);
    t.regex(error.message, /is not an occurrence id \(<rule id>@<UTC ISO instant>/, bad);
  }
});

test('a query parameter given twice says so and names it', async (t) => {
  const { http } = appOf('sqlite-memory');
  const res = await http.get('/rules?limit=1&limit=2').expect(422);
  const error = errorOf(t, res.body);
  t.is(error.code, 'INVALID_INPUT');
  t.regex(JSON.stringify(error.details), /"field":"limit","message":"given more than once; give it once"/);
  t.notRegex(JSON.stringify(error), /must be a string/);
  const firings = await http.get('/firings?status=claimed&status=failed').expect(422);
  t.regex(
    JSON.stringify(errorOf(t, firings.body).details),
    /"field":"status","message":"given more than once/,
  );
});

test('a 405 carries an Allow header listing the methods the route has', async (t) => {
  const { http } = appOf('sqlite-memory');
  const res = await http.post('/firings').send({}).expect(405);
  t.is(res.headers.allow, 'HEAD, GET');
  const error = errorOf(t, res.body);
  t.is(error.code, 'METHOD_NOT_ALLOWED');
  t.deepEqual(error.details, { allowed: ['HEAD', 'GET'] });
  t.regex(error.message, /POST is not allowed on \/firings; allowed: HEAD, GET/);
});

test('moving an occurrence to the time it already has is a no-op 200, moved or not', async (t) => {
  const { http } = appOf('sqlite-memory');
  const rule = await http
    .post('/rules')
    .send(ruleBody({ schedule: { kind: 'daily', times: ['02:30'], timezone: 'UTC' } }))
    .expect(201);
  const next: string = rule.body.next_due_at;
  const occurrence = `/occurrences/${rule.body.id}@${next}`;
  const same = await http.patch(occurrence).send({ at: next }).expect(200);
  t.like(same.body, { at: next, state: 'scheduled' });

  const later = new Date(Date.parse(next) + 3_600_000).toISOString();
  await http.patch(occurrence).send({ at: later, reason: 'lift first' }).expect(200);
  const again = await http.patch(occurrence).send({ at: later }).expect(200);
  t.like(again.body, { at: later, state: 'moved', reason: 'lift first' });

  await http.patch(occurrence).send({ enabled: false, reason: 'ward closed' }).expect(200);
  const onDisabled = await http.patch(occurrence).send({ at: next }).expect(200);
  t.like(onDisabled.body, { state: 'disabled', reason: 'ward closed' }, 'still disabled, nothing changed');
});
