/**
 * The console as the service serves it: `/` leads to it, any console page reloads, its files need
 * no token even with auth on, hashed assets are cached for a year and index.html never;
 * /console/config.json tells how to sign in; /me says who the token is and whether it may write.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { BUILT_CONSOLE_DIR } from '../../src/http/routes/console.js';
import { createTestApp, type TestApp } from '../helpers/testApp.js';

const ISS = 'https://id.example/realms/rmf';
const AUD = 'rmf_task_scheduler';
interface Ctx {
  open: TestApp;
  secured: TestApp;
  key: CryptoKey;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const [open, secured] = await Promise.all([
    createTestApp({ dialect: 'sqlite-memory', config: { timezone: 'Europe/Berlin' } }),
    createTestApp({
      dialect: 'sqlite-memory',
      config: {
        iss: ISS,
        aud: AUD,
        jwt_public_key: await exportSPKI(publicKey),
        write_scope: 'scheduler:write',
        oidc_url: `${ISS}/.well-known/openid-configuration`,
        console_client_id: 'console',
        timezone: 'America/New_York',
      },
    }),
  ]);
  t.context = { open, secured, key: privateKey };
});
test.after.always(async (t) => {
  await t.context.open?.close();
  await t.context.secured?.close();
});

const token = (key: CryptoKey, user: string, scope: string) =>
  new SignJWT({ preferred_username: user, scope })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISS)
    .setAudience(AUD)
    .setExpirationTime('5m')
    .sign(key);

const script = (): string => {
  const file = readdirSync(join(BUILT_CONSOLE_DIR, 'assets')).find((f) => f.endsWith('.js'));
  if (!file) throw new Error('the console is not built');
  return `/console/assets/${file}`;
};

test('/ and /console lead to /console/', async (t) => {
  for (const path of ['/', '/console']) {
    const res = await t.context.secured.http.get(path).expect(302);
    t.is(res.headers.location, '/console/', path);
  }
});

test('the page and any console route answer index.html, never cached, without a token', async (t) => {
  for (const path of [
    '/console/',
    '/console/rules/6f0c2a52-6a57-4a57-9b6f-2f1f3c9b2a10',
    '/console/firings',
  ]) {
    const res = await t.context.secured.http.get(path).expect(200);
    t.regex(String(res.headers['content-type']), /^text\/html/, path);
    t.is(res.headers['cache-control'], 'no-cache', path);
    t.regex(res.text, /<div id="root"><\/div>/, path);
    t.regex(
      res.text,
      /src="\/console\/assets\/[^"]+\.js"/,
      'the script comes from the service itself, no CDN',
    );
  }
});

test('hashed assets are served with their type and cached for a year, without a token', async (t) => {
  const res = await t.context.secured.http.get(script()).expect(200);
  t.regex(String(res.headers['content-type']), /^text\/javascript/);
  t.is(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.true(Number(res.headers['content-length']) > 1000);
});

test('a missing asset is a 404, not the page; paths cannot leave the console folder', async (t) => {
  const missing = await t.context.open.http.get('/console/assets/nothing-123.js').expect(404);
  t.is(missing.body.error.code, 'NOT_FOUND');
  for (const path of ['/console/..%2f..%2fpackage.json', '/console/%2e%2e/src/main.js', '/console/x%00.js']) {
    const res = await t.context.open.http.get(path);
    t.not(res.status, 200, path);
  }
});

test('the API itself still needs a token when auth is on', async (t) => {
  const res = await t.context.secured.http.get('/rules');
  t.is(res.status, 401);
});

test('/console/config.json says how to sign in and the zone, without a token', async (t) => {
  const secured = await t.context.secured.http.get('/console/config.json').expect(200);
  t.deepEqual(secured.body, {
    auth: true,
    oidc_url: `${ISS}/.well-known/openid-configuration`,
    console_client_id: 'console',
    audience: AUD,
    write_scope: 'scheduler:write',
    timezone: 'America/New_York',
  });
  const open = await t.context.open.http.get('/console/config.json').expect(200);
  t.is(open.body.auth, false);
  t.is(open.body.timezone, 'Europe/Berlin');
});

test('/me: the token user and whether it may write; without auth anyone may', async (t) => {
  const { secured, open, key } = t.context;
  await secured.http.get('/me').expect(401);
  const writer = await secured.http
    .get('/me')
    .set('Authorization', `Bearer ${await token(key, 'ana', 'openid scheduler:write')}`)
    .expect(200);
  t.deepEqual(writer.body, { user: 'ana', can_write: true, auth: true });
  const reader = await secured.http
    .get('/me')
    .set('Authorization', `Bearer ${await token(key, 'ben', 'openid')}`)
    .expect(200);
  t.deepEqual(reader.body, { user: 'ben', can_write: false, auth: true });
  const anyone = await open.http.get('/me').expect(200);
  t.deepEqual(anyone.body, { user: null, can_write: true, auth: false });
});

test('the OpenAPI document describes /me and /console/config.json', async (t) => {
  const bearer = `Bearer ${await token(t.context.key, 'ana', 'openid')}`;
  const doc = (await t.context.secured.http.get('/openapi.json').set('Authorization', bearer).expect(200))
    .body as {
    paths: Record<string, { get: { security?: unknown; responses: Record<string, unknown> } }>;
  };
  t.truthy(doc.paths['/me']?.get.responses['401']);
  t.is(doc.paths['/console/config.json']?.get.security, undefined, 'config.json needs no token');
});
