/** Bearer JWT auth with real RS256/ES256 keys; tokens never appear in the logs. */
import anyTest, { type TestFn } from 'ava';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createTestApp, type TestApp } from '../helpers/testApp.js';
import { errorOf, ruleBody } from './fixtures.js';

const ISS = 'https://id.hospital.example/realms/rmf';
const AUD = 'rmf_task_scheduler';

interface Keys {
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  app: TestApp;
}
interface Ctx {
  rs: Keys;
  es: Keys;
  /** RS256, with write_scope 'rmf_scheduler:write' and an oidc_url. */
  scoped: Keys;
  otherKey: CryptoKey;
  tokens: string[];
}
const test = anyTest as TestFn<Ctx>;

const OIDC_URL = `${ISS}/.well-known/openid-configuration`;

async function appFor(
  alg: 'RS256' | 'ES256',
  more: { write_scope?: string; oidc_url?: string } = {},
): Promise<Keys> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const app = await createTestApp({
    dialect: 'sqlite-memory',
    config: { iss: ISS, aud: AUD, jwt_public_key: await exportSPKI(publicKey), ...more },
  });
  return { alg, privateKey, app };
}

test.before(async (t) => {
  const [rs, es, scoped, other] = await Promise.all([
    appFor('RS256'),
    appFor('ES256'),
    appFor('RS256', { write_scope: 'rmf_scheduler:write', oidc_url: OIDC_URL }),
    generateKeyPair('RS256'),
  ]);
  t.context = { rs, es, scoped, otherKey: other.privateKey, tokens: [] };
});
test.after.always(async (t) => {
  await t.context.rs?.app.close();
  await t.context.es?.app.close();
  await t.context.scoped?.app.close();
});

interface TokenOptions {
  iss?: string;
  aud?: string;
  exp?: number | string;
  key?: CryptoKey;
  alg?: string;
  claims?: Record<string, unknown>;
}
async function token(t: { context: Ctx }, keys: Keys, o: TokenOptions = {}): Promise<string> {
  const jwt = await new SignJWT({ preferred_username: 'night.nurse', ...o.claims })
    .setProtectedHeader({ alg: o.alg ?? keys.alg })
    .setSubject('0f6c1e2a')
    .setIssuer(o.iss ?? ISS)
    .setAudience(o.aud ?? AUD)
    .setIssuedAt()
    .setExpirationTime(o.exp ?? '10m')
    .sign(o.key ?? keys.privateKey);
  t.context.tokens.push(jwt);
  return jwt;
}

for (const which of ['rs', 'es'] as const) {
  test(`${which === 'rs' ? 'RS256' : 'ES256'}: a valid token is accepted and its user is the actor`, async (t) => {
    const keys = t.context[which];
    const jwt = await token(t, keys);
    const res = await keys.app.http
      .post('/rules')
      .set('Authorization', `Bearer ${jwt}`)
      .send(ruleBody())
      .expect(201);
    t.is(res.body.created_by, 'night.nurse');
    await keys.app.http.get(`/rules/${res.body.id}`).set('Authorization', `Bearer ${jwt}`).expect(200);
  });
}

test('without preferred_username the subject is the actor', async (t) => {
  const keys = t.context.rs;
  const jwt = await token(t, keys, { claims: { preferred_username: undefined } });
  const res = await keys.app.http
    .post('/rules')
    .set('Authorization', `Bearer ${jwt}`)
    .send(ruleBody())
    .expect(201);
  t.is(res.body.created_by, '0f6c1e2a');
});

/** The OpenAPI document as `keys`' app serves it to a valid token. */
async function openapiOf(t: { context: Ctx }, keys: Keys) {
  const res = await keys.app.http
    .get('/openapi.json')
    .set('Authorization', `Bearer ${await token(t, keys)}`)
    .expect(200);
  return res.body;
}

const refused = test.macro(
  async (t, make: (t: { context: Ctx }, keys: Keys) => Promise<string | null>, error: RegExp) => {
    const keys = t.context.rs;
    const body = ruleBody();
    const jwt = await make(t, keys);
    const req = keys.app.http.post('/rules').send(body);
    if (jwt !== null) req.set('Authorization', jwt);
    const res = await req;
    t.is(res.status, 401);
    t.is(errorOf(t, res.body).code, 'UNAUTHENTICATED');
    t.regex(res.headers['www-authenticate'] ?? '', /^Bearer realm="rmf-task-scheduler"/);
    t.regex(res.headers['www-authenticate'] ?? '', error);
    const valid = `Bearer ${await token(t, keys)}`;
    const stored = await keys.app.http
      .get(`/rules?name=${body.name as string}`)
      .set('Authorization', valid)
      .expect(200);
    t.is(stored.body.total, 0);
  },
);

test('no token → 401', refused, async () => null, /realm/);
test('not a Bearer header → 401', refused, async () => 'Basic dXNlcjpwYXNz', /invalid_request/);
test(
  'an expired token → 401',
  refused,
  async (t, k) => `Bearer ${await token(t, k, { exp: Math.floor(Date.now() / 1000) - 120 })}`,
  /invalid_token.*expired/,
);
test(
  'a wrong issuer → 401',
  refused,
  async (t, k) => `Bearer ${await token(t, k, { iss: 'https://evil.example' })}`,
  /invalid_token.*'iss'/,
);
test(
  'a wrong audience → 401',
  refused,
  async (t, k) => `Bearer ${await token(t, k, { aud: 'another_service' })}`,
  /invalid_token.*'aud'/,
);
test(
  'a token signed by another key → 401',
  refused,
  async (t, k) => `Bearer ${await token(t, k, { key: t.context.otherKey })}`,
  /invalid_token.*signature/,
);
test('garbage → 401', refused, async () => 'Bearer not.a.jwt', /invalid_token/);
test(
  'an unsigned token (alg none) → 401',
  refused,
  async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `Bearer ${part({ alg: 'none' })}.${part({ iss: ISS, aud: AUD, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
  },
  /invalid_token/,
);

test('with write_scope, a token without it may read but not change anything (403, nothing changed)', async (t) => {
  const keys = t.context.scoped;
  const writer = `Bearer ${await token(t, keys, { claims: { scope: 'openid rmf_scheduler:write' } })}`;
  const reader = `Bearer ${await token(t, keys, { claims: { scope: 'openid profile' } })}`;
  const created = await keys.app.http
    .post('/rules')
    .set('Authorization', writer)
    .send(ruleBody())
    .expect(201);
  const id = created.body.id as string;
  const before = await keys.app.http.get(`/rules/${id}`).set('Authorization', reader).expect(200);
  await keys.app.http
    .post('/schedules/preview')
    .set('Authorization', reader)
    .send({ schedule: ruleBody().schedule, from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' })
    .expect(200);
  const refusedBody = ruleBody();
  const refusedWrites = [
    keys.app.http.post('/rules').send(refusedBody),
    keys.app.http.patch(`/rules/${id}`).send({ name: 'renamed by a reader' }),
    keys.app.http.post(`/rules/${id}/disable`).send({ reason: 'reader' }),
    keys.app.http.post(`/rules/${id}/trigger`),
    keys.app.http.delete(`/rules/${id}`),
  ];
  for (const req of refusedWrites) {
    const res = await req.set('Authorization', reader);
    t.is(res.status, 403);
    const error = errorOf(t, res.body);
    t.is(error.code, 'FORBIDDEN');
    t.regex(error.message, /lacks the "rmf_scheduler:write" scope or role/);
    t.regex(res.headers['www-authenticate'] ?? '', /insufficient_scope/);
  }
  const after = await keys.app.http.get(`/rules/${id}`).set('Authorization', reader).expect(200);
  t.deepEqual(after.body, before.body, 'the rule is unchanged');
  const named = await keys.app.http
    .get(`/rules?name=${refusedBody.name as string}`)
    .set('Authorization', reader)
    .expect(200);
  t.is(named.body.total, 0, 'nothing was created');
  const firings = await keys.app.http.get(`/rules/${id}/firings`).set('Authorization', reader).expect(200);
  t.is(firings.body.total, 0, 'nothing was triggered');
});

test('with write_scope, the scope may come as scp, a realm role or a client role of the audience', async (t) => {
  const keys = t.context.scoped;
  for (const claims of [
    { scp: ['rmf_scheduler:write'] },
    { realm_access: { roles: ['rmf_scheduler:write'] } },
    { resource_access: { [AUD]: { roles: ['rmf_scheduler:write'] } } },
  ]) {
    const jwt = await token(t, keys, { claims });
    const res = await keys.app.http.post('/rules').set('Authorization', `Bearer ${jwt}`).send(ruleBody());
    t.is(res.status, 201, JSON.stringify(claims));
  }
  const otherClient = await token(t, keys, {
    claims: { resource_access: { another_client: { roles: ['rmf_scheduler:write'] } } },
  });
  const res = await keys.app.http
    .post('/rules')
    .set('Authorization', `Bearer ${otherClient}`)
    .send(ruleBody());
  t.is(res.status, 403, "another client's role does not count");
});

test('with write_scope, the OpenAPI document says which operations may answer 403', async (t) => {
  const paths = (await openapiOf(t, t.context.scoped)).paths as Record<
    string,
    Record<string, { responses: Record<string, unknown> }>
  >;
  t.truthy(paths['/rules']?.post?.responses['403']);
  t.truthy(paths['/rules/{id}']?.delete?.responses['403']);
  t.is(paths['/rules']?.get?.responses['403'], undefined);
  t.is(paths['/schedules/preview']?.post?.responses['403'], undefined);
  const plain = await openapiOf(t, t.context.rs);
  t.is(plain.paths['/rules'].post.responses['403'], undefined, 'without write_scope there is no 403');
});

test('every route needs the token except /health, /docs and /openapi.json', async (t) => {
  const { app } = t.context.rs;
  for (const path of ['/health', '/docs', '/docs/swagger-ui-bundle.js', '/openapi.json'])
    await app.http.get(path).expect(200);
  for (const path of ['/rules', '/firings', '/occurrences', '/metrics']) {
    const res = await app.http.get(path);
    t.is(res.status, 401, path);
  }
});

test('the OpenAPI document declares the bearer scheme', async (t) => {
  const doc = await openapiOf(t, t.context.rs);
  t.deepEqual(doc.components.securitySchemes.bearer, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
});

test('with oidc_url, the OpenAPI document offers the identity provider as a way to get a token', async (t) => {
  const doc = await openapiOf(t, t.context.scoped);
  t.deepEqual(doc.components.securitySchemes.oidc, {
    type: 'openIdConnect',
    openIdConnectUrl: OIDC_URL,
  });
  t.deepEqual(doc.paths['/rules'].post.security, [{ bearer: [] }, { oidc: [] }]);
  t.is(doc.paths['/health'].get.security, undefined);
  const plain = await openapiOf(t, t.context.rs);
  t.is(plain.components.securitySchemes.oidc, undefined, 'without oidc_url there is none');
  t.deepEqual(plain.paths['/rules'].post.security, [{ bearer: [] }]);
});

test.after('tokens never appear in the logs', (t) => {
  const logged = JSON.stringify([...t.context.rs.app.logs, ...t.context.es.app.logs]);
  t.true(t.context.tokens.length > 5);
  for (const jwt of t.context.tokens) t.false(logged.includes(jwt.split('.')[2] ?? jwt));
});
