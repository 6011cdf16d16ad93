/**
 * No silent cuts: every list a limit can cut says so (`truncated`) and where to go on
 * (`next_offset` for paged lists, `next_cursor` for occurrence windows, `next_from` for a preview).
 */
import anyTest, { type TestFn } from 'ava';
import { ruleBody, uniqueName, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ['sqlite-memory'] });
const http = () => appOf('sqlite-memory').http;

interface Item {
  id: string;
  at: string;
  rule_id: string;
}
interface Window {
  items: Item[];
  truncated: boolean;
  next_cursor: string | null;
}

const FROM = '2027-05-01T00:00:00.000Z';
const TO = '2027-05-03T00:00:00.000Z';

async function rules(label: string, n: number, times: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = ruleBody({
      labels: [label],
      schedule: { kind: 'daily', times, timezone: 'UTC', start: '2027-01-01' },
    });
    ids.push((await http().post('/rules').send(body).expect(201)).body.id);
  }
  return ids;
}

/** Every page of a window, following next_cursor. */
async function allPages(path: string, limit: number): Promise<Window[]> {
  const pages: Window[] = [];
  let cursor: string | null = null;
  do {
    const url = `${path}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page = (await http().get(url).expect(200)).body as Window;
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

test('a calendar cut inside one instant shared by many rules goes on from there, skipping and repeating nothing', async (t) => {
  const label = uniqueName('cut');
  const ids = await rules(label, 7, ['09:00', '12:00']);
  const path = `/occurrences?from=${FROM}&to=${TO}&label=${label}`;
  const whole = (await http().get(`${path}&limit=1000`).expect(200)).body as Window;
  t.is(whole.items.length, 28);
  t.false(whole.truncated);
  t.is(whole.next_cursor, null);
  // In order of instant, then rule id.
  const sorted = [...ids].sort();
  t.deepEqual(
    whole.items.slice(0, 7).map((o) => o.rule_id),
    sorted,
  );
  for (const limit of [1, 3, 7, 10]) {
    const pages = await allPages(path, limit);
    t.deepEqual(
      pages.flatMap((p) => p.items.map((o) => o.id)),
      whole.items.map((o) => o.id),
      `limit ${limit}`,
    );
    t.is(pages.length, Math.ceil(28 / limit));
    t.true(
      pages.slice(0, -1).every((p) => p.truncated && p.items.length === limit && p.next_cursor !== null),
    );
    t.false(pages.at(-1)!.truncated);
    t.is(pages.at(-1)!.next_cursor, null);
  }
});

test("a rule's occurrence window says when it is cut, and the cursor goes on", async (t) => {
  const [id] = await rules(uniqueName('one'), 1, ['06:00', '18:00']);
  const first = (await http().get(`/rules/${id}/occurrences?from=${FROM}&to=${TO}&limit=3`).expect(200))
    .body as Window;
  t.deepEqual(
    first.items.map((o) => o.at),
    ['2027-05-01T06:00:00.000Z', '2027-05-01T18:00:00.000Z', '2027-05-02T06:00:00.000Z'],
  );
  t.true(first.truncated);
  const rest = (
    await http()
      .get(`/rules/${id}/occurrences?from=${FROM}&to=${TO}&limit=3&cursor=${first.next_cursor}`)
      .expect(200)
  ).body as Window;
  t.deepEqual(
    rest.items.map((o) => o.at),
    ['2027-05-02T18:00:00.000Z'],
  );
  t.false(rest.truncated);
  t.is(rest.next_cursor, null);
  // Exactly as many as the limit, nothing after: not cut.
  const exact = (await http().get(`/rules/${id}/occurrences?from=${FROM}&to=${TO}&limit=4`).expect(200))
    .body as Window;
  t.is(exact.items.length, 4);
  t.false(exact.truncated);
});

test('a cursor the calendar did not give is refused, naming it', async (t) => {
  for (const cursor of ['nonsense!', 'bm9uc2Vuc2U', Buffer.from('1~x~2~0').toString('base64url')]) {
    const res = await http().get(`/occurrences?from=${FROM}&to=${TO}&cursor=${cursor}`).expect(422);
    t.is(res.body.error.details.field, 'cursor');
  }
});

test('paged lists say truncated and next_offset', async (t) => {
  const label = uniqueName('paged');
  await rules(label, 3, ['09:00']);
  const first = (await http().get(`/rules?label=${label}&limit=2`).expect(200)).body;
  t.is(first.items.length, 2);
  t.true(first.truncated);
  t.is(first.next_offset, 2);
  const last = (await http().get(`/rules?label=${label}&limit=2&offset=${first.next_offset}`).expect(200))
    .body;
  t.is(last.items.length, 1);
  t.false(last.truncated);
  t.is(last.next_offset, null);
  const firings = (await http().get('/firings?limit=500').expect(200)).body;
  t.is(firings.truncated, firings.total > firings.items.length);
  t.is(firings.next_offset, firings.truncated ? firings.items.length : null);
});

test('a preview cut by its limit says so and where the next one starts', async (t) => {
  const ask = (from: string, limit: number) =>
    http()
      .post('/schedules/preview')
      .send({
        schedule: { kind: 'daily', times: ['09:00'], timezone: 'UTC' },
        from,
        to: '2027-05-05T00:00:00Z',
        limit,
      })
      .expect(200);
  const cut = (await ask(FROM, 2)).body;
  t.deepEqual(
    cut.items.map((i: Item) => i.at),
    ['2027-05-01T09:00:00.000Z', '2027-05-02T09:00:00.000Z'],
  );
  t.true(cut.truncated);
  t.is(cut.next_from, '2027-05-03T09:00:00.000Z');
  const rest = (await ask(cut.next_from, 2)).body;
  t.deepEqual(
    rest.items.map((i: Item) => i.at),
    ['2027-05-03T09:00:00.000Z', '2027-05-04T09:00:00.000Z'],
  );
  t.false(rest.truncated);
  t.is(rest.next_from, null);
});
