/**
 * Sign-in as an operator does it with auth on: the console sends the browser to a real OpenID
 * Connect provider (oidc-provider, run by the test, its dev login and consent pages), comes back
 * with an authorization code (PKCE), and calls the API with the JWT access token the provider
 * issued for the service's audience, signed with the key the service has as `jwt_public_key`.
 * An operator with the write role sees the write actions; a read-only user sees none of them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import anyTest, { type TestFn } from 'ava';
import { SignJWT, importPKCS8 } from 'jose';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import {
  createRule,
  launchChromium,
  openPage,
  patrol,
  startConsoleService,
  type ConsoleService,
} from '../helpers/consoleBrowser.js';

const AUDIENCE = 'urn:rmf-task-scheduler';
const WRITE_ROLE = 'scheduler-write';
const CLIENT_ID = 'rmf-console';

interface Ctx {
  browser: Browser;
  svc: ConsoleService;
  idp: Server;
  issuer: string;
  signingKey: string;
}
const test = anyTest.serial as TestFn<Ctx>;

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

test.before(async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // The provider must know the service's address (its redirect URI) and the service the
  // provider's: listen first, then build the provider behind the open port.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const idp = createServer((req, res) => handler(req, res));
  const issuer = `http://127.0.0.1:${await listen(idp)}`;
  const [browser, svc] = await Promise.all([
    launchChromium(),
    startConsoleService([
      '--iss',
      issuer,
      '--aud',
      AUDIENCE,
      '--jwt-public-key',
      publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      '--oidc-url',
      `${issuer}/.well-known/openid-configuration`,
      '--console-client-id',
      CLIENT_ID,
      '--write-scope',
      WRITE_ROLE,
    ]),
  ]);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${svc.url}/console/signed-in`],
        post_logout_redirect_uris: [`${svc.url}/console/`],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, preferred_username: sub }) }),
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'schedules',
          audience: AUDIENCE,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // The operator has the write role (as a Keycloak realm role); everyone else may only read.
    extraTokenClaims: (_ctx, token) =>
      'accountId' in token && token.accountId === 'operator'
        ? { realm_access: { roles: [WRITE_ROLE] } }
        : undefined,
    issueRefreshToken: () => true,
    clientBasedCORS: (_ctx, origin) => origin === svc.url,
  });
  handler = provider.callback();
  t.context = {
    browser,
    svc,
    idp,
    issuer,
    signingKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
});

test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.svc?.stop();
  await new Promise((resolve) => t.context.idp?.close(resolve));
});

/** A token as the provider would issue it, for the API calls the test makes itself. */
async function operatorToken(ctx: Ctx): Promise<string> {
  return new SignJWT({ realm_access: { roles: [WRITE_ROLE] } })
    .setProtectedHeader({ alg: 'RS256', kid: 'test' })
    .setIssuer(ctx.issuer)
    .setAudience(AUDIENCE)
    .setSubject('setup')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(await importPKCS8(ctx.signingKey, 'RS256'));
}

/** A button or a link of that name. */
const control = (page: Page, name: string) =>
  page.getByRole('button', { name }).or(page.getByRole('link', { name }));

/** Through the provider's login and consent pages, back to the console. */
async function signIn(page: Page, svcUrl: string, login: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === svcUrl && !url.pathname.endsWith('/signed-in'));
}

test('an operator signs in through the OpenID provider, sees who they are, and may change rules', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(
    svc.url,
    {
      name: 'lobby patrol',
      schedule: { kind: 'daily', times: ['09:00'], timezone: 'UTC', start: '2027-01-01' },
      task: patrol(),
    },
    await operatorToken(t.context),
  );
  const page = await openPage(t, browser);
  const unauthenticated = await fetch(`${svc.url}/rules`);
  t.is(unauthenticated.status, 401, 'the API needs a token');

  await page.goto(`${svc.url}/console/rules/${rule.id}`);
  t.is(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'nothing shown before sign-in');
  await signIn(page, svc.url, 'operator');

  t.is(new URL(page.url()).pathname, `/console/rules/${rule.id}`, 'back on the page it left');
  await page.getByText('Signed in as operator').waitFor();
  t.false(await page.getByText('(read only)').isVisible());
  await page.getByRole('link', { name: 'Edit rule' }).waitFor();
  t.true(await page.getByRole('button', { name: 'Disable rule' }).isVisible());

  await page.getByRole('link', { name: 'Rules' }).click();
  await control(page, 'New rule').waitFor();

  // A reload keeps the session (the tokens are kept for the tab).
  await page.reload();
  await page.getByText('Signed in as operator').waitFor();
  t.is(await page.getByRole('button', { name: 'Sign in' }).count(), 0);
});

test('a read-only user sees the console without any write action', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(
    svc.url,
    {
      name: 'pharmacy delivery',
      schedule: { kind: 'daily', times: ['14:00'], timezone: 'UTC', start: '2027-01-01' },
      task: patrol(['pharmacy']),
    },
    await operatorToken(t.context),
  );
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules/${rule.id}`);
  await signIn(page, svc.url, 'viewer');

  await page.getByText('Signed in as viewer (read only)').waitFor();
  await page.getByRole('heading', { name: 'pharmacy delivery' }).waitFor();
  for (const name of ['Edit rule', 'Disable rule', 'Enable rule', 'Fire now', 'Delete rule'])
    t.is(await control(page, name).count(), 0, `no "${name}"`);
  await page.getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('table').waitFor();
  t.is(await control(page, 'New rule').count(), 0, 'no "New rule"');

  await page.goto(`${svc.url}/console/?date=2027-06-14&view=timeGridDay`);
  const occurrence = page.locator('.fc-event', { hasText: 'pharmacy delivery' }).first();
  await occurrence.click();
  await page.getByRole('dialog', { name: 'Occurrence' }).waitFor();
  for (const name of ['Disable this occurrence', 'Move', 'Delete this occurrence'])
    t.is(await control(page, name).count(), 0, `no "${name}"`);
});
