/**
 * Live: the console updates without a reload. A rule created elsewhere appears; when it falls due
 * a few seconds later, its firing shows as dispatched, with RMF's task id in its panel.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import {
  createRule,
  launchChromium,
  openPage,
  patrol,
  startConsoleService,
  type ConsoleService,
} from '../helpers/consoleBrowser.js';

interface Ctx {
  browser: Browser;
  svc: ConsoleService;
}
const test = anyTest.serial as TestFn<Ctx>;

test.before(async (t) => {
  const [browser, svc] = await Promise.all([launchChromium(), startConsoleService(['--timezone', 'UTC'])]);
  t.context = { browser, svc };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.svc?.stop();
});

test('a rule due in a few seconds appears, fires, and its firing shows with RMF task id, without reload', async (t) => {
  const { svc, browser } = t.context;
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?view=listWeek`);
  await page.getByRole('button', { name: 'List', exact: true }).waitFor();
  // The page is open and following the stream before the rule exists.
  await page.locator('.fc-view').waitFor();

  const due = new Date(Date.now() + 5_000);
  const at = due.toISOString().slice(0, 19); // a local date-time in UTC
  const rule = await createRule(svc.url, {
    name: 'soon patrol',
    schedule: { kind: 'once', at, timezone: 'UTC' },
    task: patrol(),
  });
  const event = page.locator('.fc-list-event', { hasText: 'soon patrol' });
  await event.waitFor({ timeout: 10_000 });
  t.regex(await event.innerText(), /Scheduled/, 'it appeared without reload, not yet fired');

  await page.locator('.fc-list-event', { hasText: 'Dispatched' }).waitFor({ timeout: 20_000 });
  await event.locator('a, .fc-list-event-title').first().click();
  const panel = page.getByRole('dialog', { name: 'Occurrence' });
  const firing = panel.getByRole('region', { name: 'Firing' });
  await firing.waitFor();
  const res = await fetch(`${svc.url}/firings?rule_id=${rule.id}`);
  const [stored] = ((await res.json()) as { items: Array<{ rmf_task_id: string }> }).items;
  t.truthy(stored?.rmf_task_id);
  t.regex(await firing.innerText(), new RegExp(`RMF task id\\s*${stored!.rmf_task_id.replace('.', '\\.')}`));
});

test('when the stream drops, a banner says so, and it goes when the stream is back', async (t) => {
  const { svc, browser } = t.context;
  const page = await openPage(t, browser);
  let refuse = true;
  await page.route('**/events', (route) => (refuse ? route.abort('connectionrefused') : route.continue()));
  await page.goto(`${svc.url}/console/`);
  const banner = page.getByRole('alert').filter({ hasText: 'Live updates are disconnected' });
  await banner.waitFor();
  refuse = false;
  await banner.waitFor({ state: 'detached', timeout: 10_000 });
  t.pass();
});
