/**
 * GET /events: rule and occurrence changes with the store's seq as id, firing outcomes with the
 * REST payloads; a reconnect with Last-Event-ID gets every change after it; a stream ends when
 * the client goes.
 */
import anyTest, { type TestFn } from 'ava';
import { exportSPKI, generateKeyPair } from 'jose';
import { createTestApp, type TestApp } from '../helpers/testApp.js';
import { ruleBody } from './fixtures.js';

// Serial: the tests share one service, and the reconnect test counts every change after its id.
const test = anyTest.serial as TestFn<{ app: TestApp }>;

test.before(async (t) => {
  t.context = { app: await createTestApp({ dialect: 'sqlite-memory' }) };
});
test.after.always(async (t) => {
  await t.context.app?.close();
});

interface Sse {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads an event stream until `until` holds for the events read; then closes it. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  act: () => Promise<void>,
  until: (events: Sse[]) => boolean,
): Promise<{ events: Sse[]; contentType: string | null }> {
  const stop = new AbortController();
  const res = await fetch(`${url}/events`, { headers, signal: stop.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Sse[] = [];
  let buffer = '';
  const first = await reader.read(); // the stream is open (retry + comment)
  buffer += first.value ?? '';
  await act();
  const deadline = setTimeout(() => stop.abort(), 10_000);
  try {
    for (;;) {
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => !l.startsWith(':') && l.includes(': '))
            .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
        ) as Record<string, string>;
        if (fields.event)
          events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? '{}') });
      }
      if (until(events)) break;
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
    }
  } finally {
    clearTimeout(deadline);
    stop.abort();
  }
  return { events, contentType: res.headers.get('content-type') };
}

test('a rule created, an occurrence disabled and a firing are events with the REST payloads', async (t) => {
  const { app } = t.context;
  let ruleId = '';
  const { events, contentType } = await readEvents(
    app.url,
    {},
    async () => {
      const created = await app.http
        .post('/rules')
        .send(ruleBody({ name: 'stream me' }))
        .expect(201);
      ruleId = created.body.id;
      const upcoming = (await app.http.get(`/rules/${ruleId}`).expect(200)).body.upcoming as Array<{
        id: string;
      }>;
      await app.http
        .patch(`/occurrences/${encodeURIComponent(upcoming[0]!.id)}`)
        .send({ enabled: false })
        .expect(200);
      await app.http.post(`/rules/${ruleId}/trigger`).expect(201);
    },
    (evs) =>
      evs.some((e) => e.event === 'firing.recorded') && evs.some((e) => e.event === 'occurrences.changed'),
  );
  t.regex(contentType ?? '', /^text\/event-stream/);
  const rule = events.find((e) => e.event === 'rule.changed');
  t.is(rule?.data.id, ruleId);
  t.is(rule?.data.name, 'stream me');
  t.regex(rule?.id ?? '', /^\d+$/, "the store's change seq");
  const override = events.find((e) => e.event === 'occurrences.changed');
  t.deepEqual(override?.data, { rule_id: ruleId });
  t.true(Number(override?.id) > Number(rule?.id), 'ids follow the store order');
  const firing = events.find((e) => e.event === 'firing.recorded');
  t.is(firing?.data.rule_id, ruleId);
  t.is(firing?.data.status, 'dispatched');
  t.regex(String(firing?.data.rmf_task_id), /\S/);
  t.is(firing?.id, undefined, 'firing events are not replayed, so carry no id');
});

test('a reconnect with Last-Event-ID gets every change made after it, in order', async (t) => {
  const { app } = t.context;
  const base = (
    await readEvents(
      app.url,
      {},
      async () => {
        await app.http
          .post('/rules')
          .send(ruleBody({ name: 'before the drop' }))
          .expect(201);
      },
      (evs) => evs.some((e) => e.event === 'rule.changed' && e.data.name === 'before the drop'),
    )
  ).events.find((e) => e.data.name === 'before the drop');
  // While disconnected: two changes.
  const a = await app.http
    .post('/rules')
    .send(ruleBody({ name: 'missed one' }))
    .expect(201);
  await app.http.delete(`/rules/${a.body.id}`).expect(204);
  const { events } = await readEvents(
    app.url,
    { 'Last-Event-ID': String(base?.id) },
    async () => undefined,
    (evs) => evs.some((e) => e.event === 'rule.deleted'),
  );
  // The created rule is gone by the time it is read: only its deletion is told (and its
  // occurrences' change, the delete clearing them).
  t.deepEqual(
    events.filter((e) => e.event.startsWith('rule.')).map((e) => `${e.event}:${String(e.data.id)}`),
    [`rule.deleted:${a.body.id}`],
  );
  t.true(
    events.every((e) => (e.data.id ?? e.data.rule_id) === a.body.id),
    'nothing from before the id',
  );
  t.true(Number(events[0]?.id) > Number(base?.id));
  const ids = events.map((e) => Number(e.id));
  t.deepEqual(
    ids,
    [...ids].sort((x, y) => x - y),
  );
});

test('without a token the stream is refused when auth is on (the same auth as the API)', async (t) => {
  const secured = await createTestApp({
    dialect: 'sqlite-memory',
    config: {
      iss: 'https://id.example',
      jwt_public_key: await exportSPKI((await generateKeyPair('ES256', { extractable: true })).publicKey),
    },
  });
  t.teardown(() => secured.close());
  const res = await fetch(`${secured.url}/events`);
  t.is(res.status, 401);
});
