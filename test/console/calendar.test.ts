/**
 * The calendar as an operator sees it in Chromium: occurrences at their local times in the zone
 * picked, in day, week, month and list views, with states in words; label and rule filters.
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
  const [browser, svc] = await Promise.all([
    launchChromium(),
    startConsoleService(['--timezone', 'Europe/Berlin']),
  ]);
  t.context = { browser, svc };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.svc?.stop();
});

test('a weekly rule shows at its local time in the week view, in the service zone and in another', async (t) => {
  const { svc, browser } = t.context;
  await createRule(svc.url, {
    name: 'ward 3 round',
    labels: ['ward3'],
    schedule: {
      kind: 'weekly',
      days: ['tue'],
      times: ['09:15'],
      timezone: 'Europe/Berlin',
      start: '2027-01-01',
    },
    task: patrol(),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?date=2027-06-15`);
  const zone = page.getByLabel('Time zone');
  t.is(await zone.inputValue(), 'Europe/Berlin', "the service's zone by default");
  const event = page.locator('.fc-event', { hasText: 'ward 3 round' });
  await event.first().waitFor();
  t.regex(await event.first().innerText(), /09:15[\s\S]*ward 3 round[\s\S]*patrol[\s\S]*Scheduled/);

  await zone.selectOption('America/New_York');
  await page.locator('.fc-event', { hasText: '03:15' }).first().waitFor();
  t.regex(await event.first().innerText(), /03:15/);
});

test('day, month and list views; the views are buttons named Day, Week, Month, List', async (t) => {
  const { svc, browser } = t.context;
  await createRule(svc.url, {
    name: 'pharmacy delivery',
    labels: ['pharmacy'],
    schedule: { kind: 'daily', times: ['14:00'], timezone: 'Europe/Berlin', start: '2027-01-01' },
    task: patrol(['pharmacy']),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?date=2027-06-15`);
  for (const [name, count] of [
    ['Day', 1],
    ['Month', 35],
    ['List', 7],
  ] as const) {
    await page.getByRole('button', { name, exact: true }).click();
    const items = page.locator('.fc-event, .fc-list-event', { hasText: 'pharmacy delivery' });
    await items.first().waitFor();
    // The month view may fold some days' events behind "+N more"; all others show them all.
    if (name === 'Month') t.true((await items.count()) >= 28, name);
    else t.is(await items.count(), count, name);
  }
  t.regex(page.url(), /view=listWeek/, 'the view is kept in the address, so a reload shows it again');
  await page.reload();
  await page.locator('.fc-list-event', { hasText: 'pharmacy delivery' }).first().waitFor();
  t.pass();
});

test('label and rule filters show only the matching rules', async (t) => {
  const { svc, browser } = t.context;
  await createRule(svc.url, {
    name: 'lab clean',
    labels: ['lab'],
    schedule: { kind: 'daily', times: ['10:00'], timezone: 'Europe/Berlin', start: '2027-01-01' },
    task: { type: 'dispatch_task_request', request: { category: 'clean', description: { zone: 'lab' } } },
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?date=2027-06-15`);
  await page.locator('.fc-event', { hasText: 'lab clean' }).first().waitFor();
  t.true((await page.locator('.fc-event', { hasText: 'pharmacy delivery' }).count()) > 0);
  await page.getByLabel('Label').selectOption('lab');
  await page.locator('.fc-event', { hasText: 'pharmacy delivery' }).first().waitFor({ state: 'detached' });
  t.is(await page.locator('.fc-event', { hasText: 'lab clean' }).count(), 7);
  t.regex(await page.locator('.fc-event', { hasText: 'lab clean' }).first().innerText(), /clean/);
  await page.getByLabel('Label').selectOption('');
  await page.getByLabel('Rule', { exact: true }).selectOption({ label: 'pharmacy delivery' });
  await page.locator('.fc-event', { hasText: 'lab clean' }).first().waitFor({ state: 'detached' });
  t.is(await page.locator('.fc-event', { hasText: 'pharmacy delivery' }).count(), 7);
});

test('the simulated dispatcher is told in a banner no one can miss', async (t) => {
  const page = await openPage(t, t.context.browser);
  await page.goto(`${t.context.svc.url}/console/`);
  await page.getByRole('alert').filter({ hasText: 'Simulated RMF' }).waitFor();
  t.pass();
});
