/**
 * /docs in a real browser (Debian's Chromium): the API reference renders from the files the
 * service ships, with no request anywhere else, and "Try it out" sends the bearer token given
 * to Authorize.
 */
import test from 'ava';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createTestApp } from '../helpers/testApp.js';
import { launchChromium } from '../helpers/consoleBrowser.js';

const ISS = 'https://id.hospital.example/realms/rmf';

test('the API reference loads offline and Try it out sends the token given to Authorize', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const app = await createTestApp({
    dialect: 'sqlite-memory',
    config: { iss: ISS, jwt_public_key: await exportSPKI(publicKey), log_level: 'debug' },
  });
  t.teardown(() => app.close());
  const jwt = await new SignJWT({ preferred_username: 'night.nurse' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('0f6c1e2a')
    .setIssuer(ISS)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);

  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const context = await browser.newContext();
  const elsewhere: string[] = [];
  const origin = new URL(app.url).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });

  await page.goto(`${app.url}/docs`);
  const trigger = page.locator('.opblock-post .opblock-summary-path[data-path="/rules/{id}/trigger"]');
  await trigger.waitFor({ timeout: 30_000 });
  t.true(await page.getByText('Fire a rule now').first().isVisible());

  await page.locator('.auth-wrapper button.authorize').click();
  await page.locator('.modal-ux input[type="text"]').first().fill(jwt);
  await page.locator('.modal-ux .auth-btn-wrapper button.authorize').first().click();
  await page.locator('.modal-ux button.btn-done').first().click();

  const list = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/rules"])').first();
  await list.locator('.opblock-summary').click();
  await list.locator('button.try-out__btn').click();
  await list.locator('button.execute').click();
  const status = list.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 30_000 });
  t.is((await status.textContent())?.trim(), '200');

  const line = app.logs.find((l) => l.msg === 'request' && l.method === 'GET' && l.path === '/rules');
  t.is(line?.actor, 'night.nurse', 'the request carried the token');
  t.deepEqual(elsewhere, [], 'nothing loaded from anywhere but the service');
  t.deepEqual(problems, []);
});
