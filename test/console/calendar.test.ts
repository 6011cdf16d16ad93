/**
 * The calendar as an operator sees it in Chromium: occurrences at their local times in the zone
 * picked, in day, week, month and list views, with states in words; label and rule filters.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import {
  calendarSettled,
  waitForCount,
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
    await calendarSettled(page);
    const items = page.locator('.fc-event, .fc-list-event', { hasText: 'pharmacy delivery' });
    // The month view may fold some days' events behind "+N more"; all others show them all.
    const shown = await waitForCount(items, count === 35 ? 28 : count, count === 35);
    t.true(name === 'Month' ? shown >= 28 : shown === count, name);
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
  await calendarSettled(page);
  t.is(await waitForCount(page.locator('.fc-event', { hasText: 'lab clean' }), 7), 7);
  t.regex(await page.locator('.fc-event', { hasText: 'lab clean' }).first().innerText(), /clean/);
  await page.getByLabel('Label').selectOption('');
  await page.getByLabel('Rule', { exact: true }).selectOption({ label: 'pharmacy delivery' });
  await page.locator('.fc-event', { hasText: 'lab clean' }).first().waitFor({ state: 'detached' });
  t.is(await waitForCount(page.locator('.fc-event', { hasText: 'pharmacy delivery' }), 7), 7);
});

test('a daily 02:30 rule in America/New_York shows at 03:30 on 2027-03-14, with its DST note', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(svc.url, {
    name: 'night round',
    schedule: { kind: 'daily', times: ['02:30'], timezone: 'America/New_York', start: '2027-03-01' },
    task: patrol(),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?date=2027-03-14&rule=${rule.id}`);
  await page.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
  await calendarSettled(page);
  const sunday = page.locator('.fc-timegrid-col[data-date="2027-03-14"] .fc-event', {
    hasText: 'night round',
  });
  await sunday.waitFor();
  t.regex(await sunday.innerText(), /03:30[\s\S]*DST/, 'the time that did not exist runs later by the gap');
  const monday = page.locator('.fc-timegrid-col[data-date="2027-03-15"] .fc-event', {
    hasText: 'night round',
  });
  t.regex(await monday.innerText(), /02:30/);
  t.notRegex(await monday.innerText(), /DST/);
  await sunday.click();
  const panel = page.getByRole('dialog', { name: 'Occurrence' });
  await panel.getByText('Local time', { exact: true }).waitFor();
  t.regex(
    await panel.innerText(),
    /Sun 14 Mar 2027, 03:30[\s\S]*2027-03-14 07:30:00 UTC[\s\S]*DST[\s\S]*did not exist/,
  );
});

test('the simulated dispatcher is told in a banner no one can miss', async (t) => {
  const page = await openPage(t, t.context.browser);
  await page.goto(`${t.context.svc.url}/console/`);
  await page.getByRole('alert').filter({ hasText: 'Simulated RMF' }).waitFor();
  t.pass();
});

test('a store that is down is told in a banner, with what the service says about it', async (t) => {
  const page = await openPage(t, t.context.browser);
  // The service's own /health answer, as it is when its database does not answer (503, store.ok
  // false with the driver's error); the store itself is tested down in the HTTP tests.
  await page.route('**/health', async (route) => {
    const real = await route.fetch();
    const body = (await real.json()) as { status: string; store: { ok: boolean; error?: string | null } };
    body.status = 'degraded';
    body.store = { ...body.store, ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' };
    await route.fulfill({ status: 503, json: body });
  });
  await page.goto(`${t.context.svc.url}/console/`);
  const banner = page.getByRole('alert').filter({ hasText: 'The store is down' });
  await banner.waitFor();
  t.regex(await banner.innerText(), /ECONNREFUSED 127\.0\.0\.1:5432[\s\S]*Nothing can fire/);
});
