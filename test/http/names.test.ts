/** Rule names are unique ignoring case, and ?name= matches any Unicode text, on every dialect. */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { ALL_DIALECTS, errorOf, ruleBody, useApps } from './fixtures.js';

const test = anyTest as TestFn;
const appOf = useApps(test, { dialects: ALL_DIALECTS });

const names = (body: { items: Array<{ name: string }> }) => body.items.map((r) => r.name);

for (const d of ALL_DIALECTS) {
  test(`${d}: "Lobby Patrol" and "lobby patrol" are one name: 409 on create and on rename`, async (t) => {
    const { http } = appOf(d);
    const tag = randomUUID().slice(0, 8);
    await http
      .post('/rules')
      .send(ruleBody({ name: `Lobby Patrol ${tag}` }))
      .expect(201);
    const clash = await http
      .post('/rules')
      .send(ruleBody({ name: `lobby patrol ${tag}` }))
      .expect(409);
    t.is(errorOf(t, clash.body).code, 'ALREADY_EXISTS');
    t.is(errorOf(t, clash.body).details.field, 'name');
    t.regex(errorOf(t, clash.body).message, /ignoring case/);

    const other = (await http.post('/rules').send(ruleBody()).expect(201)).body;
    const rename = await http
      .patch(`/rules/${other.id}`)
      .send({ name: `LOBBY PATROL ${tag}` })
      .expect(409);
    t.is(errorOf(t, rename.body).details.field, 'name');
    // A rule may change the case of its own name.
    const own = await http
      .patch(`/rules/${other.id}`)
      .send({ name: `${other.name as string}`.toUpperCase() })
      .expect(200);
    t.is(own.body.name, (other.name as string).toUpperCase());
  });

  test(`${d}: ?name= matches Unicode names whatever their case, accents kept`, async (t) => {
    const { http } = appOf(d);
    const tag = randomUUID().slice(0, 8);
    const created = (
      await http
        .post('/rules')
        .send(ruleBody({ name: `Ñandú ${tag}` }))
        .expect(201)
    ).body;
    await http
      .post('/rules')
      .send(ruleBody({ name: `Nandu ${tag}` }))
      .expect(201);
    for (const query of ['ñandú', 'ÑANDÚ', `Ñandú ${tag}`, `ndú ${tag.toUpperCase()}`]) {
      const res = await http.get(`/rules?name=${encodeURIComponent(query)}`).expect(200);
      t.deepEqual(names(res.body), [created.name], query);
    }
    const plain = await http.get(`/rules?name=${encodeURIComponent(`nandu ${tag}`)}`).expect(200);
    t.deepEqual(names(plain.body), [`Nandu ${tag}`], 'accents are kept: Nandu is another name');
    // NFD input (n + combining tilde) is the same name as NFC Ñ.
    const nfd = await http.get(`/rules?name=${encodeURIComponent('N\u0303andu\u0301')}`).expect(200);
    t.deepEqual(names(nfd.body), [created.name]);
    const taken = await http
      .post('/rules')
      .send(ruleBody({ name: `N\u0303andu\u0301 ${tag}` }))
      .expect(409);
    t.is(errorOf(t, taken.body).code, 'ALREADY_EXISTS');
    // Wildcards are text.
    const percent = await http.get(`/rules?name=${encodeURIComponent('%')}`).expect(200);
    t.false(names(percent.body).includes(created.name));
  });
}
