/**
 * The occurrence panel in Chromium: what an operator does to one occurrence changes the server's
 * state, and what they see after a reload says so.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
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

interface OccurrenceJson {
  id: string;
  at: string;
  original_at: string;
  state: string;
  reason?: string;
}

async function occurrence(url: string, id: string): Promise<OccurrenceJson> {
  const res = await fetch(`${url}/occurrences/${encodeURIComponent(id)}`);
  return (await res.json()) as OccurrenceJson;
}

async function weeklyRule(url: string, name: string): Promise<string> {
  const rule = await createRule(url, {
    name,
    schedule: {
      kind: 'weekly',
      days: ['tue'],
      times: ['09:00'],
      timezone: 'Europe/Berlin',
      start: '2027-01-01',
    },
    task: patrol(),
  });
  return rule.id;
}

async function openTuesday(page: Page, url: string, name: string, ruleId: string): Promise<void> {
  await page.goto(`${url}/console/?date=2027-06-15&rule=${ruleId}`);
  await page.locator('.fc-event', { hasText: name }).first().click();
  // The panel has read the occurrence.
  await page.getByRole('dialog', { name: 'Occurrence' }).getByText('Local time', { exact: true }).waitFor();
}

test('disable one occurrence with a reason: disabled, with its reason, after a reload; then enable it', async (t) => {
  const { svc, browser } = t.context;
  const ruleId = await weeklyRule(svc.url, 'lift round');
  const page = await openPage(t, browser);
  await openTuesday(page, svc.url, 'lift round', ruleId);
  const panel = page.getByRole('dialog', { name: 'Occurrence' });
  t.regex(await panel.innerText(), /Tue 15 Jun 2027, 09:00/);
  t.regex(await panel.innerText(), /2027-06-15 07:00:00 UTC/);
  await panel.getByLabel('Reason').fill('the lift is out');
  await panel.getByRole('button', { name: 'Disable this occurrence' }).click();
  await panel.getByRole('button', { name: 'Enable this occurrence' }).waitFor();

  const id = `${ruleId}@2027-06-15T07:00:00.000Z`;
  const stored = await occurrence(svc.url, id);
  t.is(stored.state, 'disabled');
  t.is(stored.reason, 'the lift is out');

  await page.reload();
  const event = page.locator('.fc-event', { hasText: 'lift round' }).first();
  await event.waitFor();
  t.regex(await event.innerText(), /Disabled/);
  await event.click();
  await panel.getByText('the lift is out').waitFor();
  t.regex(await panel.innerText(), /Disabled[\s\S]*Reason[\s\S]*the lift is out/);

  await panel.getByRole('button', { name: 'Enable this occurrence' }).click();
  await panel.getByRole('button', { name: 'Disable this occurrence' }).waitFor();
  t.is((await occurrence(svc.url, id)).state, 'scheduled');
});

test('move one occurrence with the date-time picker', async (t) => {
  const { svc, browser } = t.context;
  const ruleId = await weeklyRule(svc.url, 'pharmacy run');
  const page = await openPage(t, browser);
  await openTuesday(page, svc.url, 'pharmacy run', ruleId);
  const panel = page.getByRole('dialog', { name: 'Occurrence' });
  await panel.getByLabel('New time (Europe/Berlin)').fill('2027-06-17T13:45');
  await panel.getByRole('button', { name: 'Move', exact: true }).click();
  await panel.getByText('Moved', { exact: false }).first().waitFor();
  const stored = await occurrence(svc.url, `${ruleId}@2027-06-15T07:00:00.000Z`);
  t.is(stored.state, 'moved');
  t.is(stored.at, '2027-06-17T11:45:00.000Z', '13:45 in Berlin (CEST)');
  const moved = page.locator('.fc-timegrid-col[data-date="2027-06-17"] .fc-event', {
    hasText: 'pharmacy run',
  });
  await moved.waitFor();
  t.regex(await moved.innerText(), /13:45/);
});

test('drag an occurrence in the week view: it moves after a confirmation', async (t) => {
  const { svc, browser } = t.context;
  const ruleId = await weeklyRule(svc.url, 'linen drop');
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/?date=2027-06-15&rule=${ruleId}`);
  const event = page.locator('.fc-event', { hasText: 'linen drop' }).first();
  await event.waitFor();
  const box = await event.boundingBox();
  const tue = await page.locator('.fc-timegrid-col[data-date="2027-06-15"]').boundingBox();
  const wed = await page.locator('.fc-timegrid-col[data-date="2027-06-16"]').boundingBox();
  const nine = await page.locator('.fc-timegrid-slot-lane[data-time="09:00:00"]').boundingBox();
  const eleven = await page.locator('.fc-timegrid-slot-lane[data-time="11:00:00"]').boundingBox();
  if (!box || !tue || !wed || !nine || !eleven) throw new Error('the week view is not laid out');
  const x = box.x + box.width / 2;
  const y = box.y + 5;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (wed.x - tue.x) / 2, y + (eleven.y - nine.y) / 2, { steps: 5 });
  await page.mouse.move(x + (wed.x - tue.x), y + (eleven.y - nine.y), { steps: 5 });
  await page.mouse.up();

  const confirm = page.getByRole('dialog', { name: 'Move this occurrence?' });
  await confirm.waitFor();
  t.regex(await confirm.innerText(), /Tue 15 Jun 2027, 09:00[\s\S]*Wed 16 Jun 2027, 11:00/);
  const id = `${ruleId}@2027-06-15T07:00:00.000Z`;
  t.is((await occurrence(svc.url, id)).state, 'scheduled', 'nothing moves before the confirmation');
  await confirm.getByRole('button', { name: 'Move' }).click();
  await confirm.waitFor({ state: 'detached' });
  const stored = await occurrence(svc.url, id);
  t.is(stored.state, 'moved');
  t.is(stored.at, '2027-06-16T09:00:00.000Z');
  await page
    .locator('.fc-timegrid-col[data-date="2027-06-16"] .fc-event', { hasText: 'linen drop' })
    .waitFor();
});

test('delete one occurrence: the calendar shows it deleted', async (t) => {
  const { svc, browser } = t.context;
  const ruleId = await weeklyRule(svc.url, 'kitchen clean');
  const page = await openPage(t, browser);
  await openTuesday(page, svc.url, 'kitchen clean', ruleId);
  const panel = page.getByRole('dialog', { name: 'Occurrence' });
  await panel.getByLabel('Reason').fill('ward closed');
  await panel.getByRole('button', { name: 'Delete this occurrence' }).click();
  await page.locator('.fc-event', { hasText: 'Deleted' }).first().waitFor();
  t.is(
    await page.locator('.fc-event', { hasText: 'kitchen clean' }).count(),
    1,
    'still one, shown as deleted',
  );
  const stored = await occurrence(svc.url, `${ruleId}@2027-06-15T07:00:00.000Z`);
  t.is(stored.state, 'deleted');
});
