/**
 * Rules in Chromium: a rule made through the editor shows at its local time in the week view in
 * two zones; a 422 shows on the field it names; the rule page's actions change the server's state.
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

async function rulesNamed(url: string, name: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${url}/rules?name=${encodeURIComponent(name)}`);
  return ((await res.json()) as { items: Array<Record<string, unknown>> }).items;
}

test('a weekly rule made in the editor shows at its local time in the week view, in two zones', async (t) => {
  const { svc, browser } = t.context;
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/`);
  await page.getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('link', { name: 'New rule' }).click();
  await page.getByLabel('Name').fill('tokyo ward round');
  await page.getByLabel('Repeats').selectOption({ label: 'Weekly' });
  await page.getByLabel('Times').fill('10:30');
  await page.getByLabel('Wednesday').check();
  await page.getByLabel('Start').fill('2027-01-01');
  await page.getByLabel('Time zone', { exact: true }).last().selectOption('Asia/Tokyo');
  await page.getByLabel('Task category').selectOption({ label: 'Patrol' });
  await page.getByLabel('Places').fill('ward_3, lobby');
  const preview = page.getByRole('list', { name: 'Next occurrences' });
  // The preview follows the form (the server computes it): the first Wednesday from the start.
  await preview.getByRole('listitem').filter({ hasText: 'Wed 6 Jan 2027, 10:30' }).waitFor();
  t.regex(await preview.getByRole('listitem').first().innerText(), /Wed 6 Jan 2027, 10:30/);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'tokyo ward round', exact: true }).waitFor();

  const [stored] = await rulesNamed(svc.url, 'tokyo ward round');
  t.like(stored, {
    schedule: { kind: 'weekly', days: ['wed'], times: ['10:30:00'], timezone: 'Asia/Tokyo' },
    task: { request: { category: 'patrol', description: { places: ['ward_3', 'lobby'], rounds: 1 } } },
  });

  await page.getByRole('link', { name: 'Calendar' }).click();
  await page.getByLabel('Go to date').fill('2027-06-16');
  const event = page.locator('.fc-timegrid-col[data-date="2027-06-16"] .fc-event', {
    hasText: 'tokyo ward round',
  });
  await event.waitFor();
  t.regex(await event.innerText(), /03:30/, '10:30 in Tokyo is 03:30 in Berlin (CEST)');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Asia/Tokyo');
  await page.locator('.fc-event', { hasText: '10:30' }).first().waitFor();
  t.regex(await event.innerText(), /10:30/);
});

test('a 422 shows on the field it names, and nothing is created', async (t) => {
  const { svc, browser } = t.context;
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules/new`);
  await page.getByLabel('Name').fill('bad times');
  await page.getByLabel('Times').fill('25:00');
  await page.getByLabel('Places').fill('lobby');
  await page.getByRole('button', { name: 'Save' }).click();
  const field = page.locator('.editor-field', { has: page.getByLabel('Times') });
  await field.getByRole('alert').waitFor();
  t.regex(await field.getByRole('alert').innerText(), /\S/);
  t.is(await page.getByLabel('Times').getAttribute('aria-invalid'), 'true');
  t.is(await page.getByLabel('Name').getAttribute('aria-invalid'), 'false', 'only the named field');
  t.deepEqual(await rulesNamed(svc.url, 'bad times'), []);
});

test('the rule page: disable with a reason, enable, fire now, delete', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(svc.url, {
    name: 'night clean',
    labels: ['night'],
    schedule: { kind: 'daily', times: ['02:00'], timezone: 'Europe/Berlin' },
    task: patrol(),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules`);
  await page.getByLabel('Search rules').fill('night');
  await page.getByRole('link', { name: 'night clean' }).click();
  await page.getByRole('heading', { name: 'night clean', exact: true }).waitFor();
  t.regex(await page.getByRole('region', { name: 'Upcoming occurrences' }).innerText(), /02:00/);

  await page.getByLabel('Reason').fill('floor works');
  await page.getByRole('button', { name: 'Disable rule' }).click();
  await page.getByRole('button', { name: 'Enable rule' }).waitFor();
  t.regex(await page.getByRole('region', { name: 'Rule', exact: true }).innerText(), /Disabled: floor works/);
  const [disabled] = await rulesNamed(svc.url, 'night clean');
  t.like(disabled, { enabled: false, disabled_reason: 'floor works' });
  await page.getByRole('button', { name: 'Enable rule' }).click();
  await page.getByRole('button', { name: 'Disable rule' }).waitFor();
  t.like((await rulesNamed(svc.url, 'night clean'))[0], { enabled: true });

  await page.getByRole('button', { name: 'Fire now' }).click();
  await page.getByRole('dialog', { name: 'Fire now?' }).getByRole('button', { name: 'Fire' }).click();
  const firings = page.getByRole('region', { name: 'Firings of this rule' });
  await firings.getByText('RMF task', { exact: false }).waitFor();
  const res = await fetch(`${svc.url}/rules/${rule.id}/firings`);
  const [fired] = ((await res.json()) as { items: Array<{ rmf_task_id: string; trigger: string }> }).items;
  t.is(fired?.trigger, 'manual');
  t.regex(
    await firings.innerText(),
    new RegExp(`Dispatched[\\s\\S]*${fired!.rmf_task_id.replace('.', '\\.')}`),
  );

  await page.getByRole('button', { name: 'Delete rule' }).click();
  await page
    .getByRole('dialog', { name: 'Delete this rule?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await page.getByRole('heading', { name: 'Rules' }).waitFor();
  t.deepEqual(await rulesNamed(svc.url, 'night clean'), []);
});

test('an edit keeps what the form shows and saves it with the version it read', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(svc.url, {
    name: 'lab delivery',
    schedule: {
      kind: 'monthly_weekday',
      week: 2,
      weekday: 'tue',
      times: ['11:00'],
      timezone: 'Europe/Berlin',
    },
    task: patrol(['lab']),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules/${rule.id}`);
  await page.getByRole('link', { name: 'Edit rule' }).click();
  t.is(await page.getByLabel('Repeats').inputValue(), 'monthly_weekday');
  t.is(await page.getByLabel('Week of the month').inputValue(), '2');
  t.is(await page.getByLabel('Places').inputValue(), 'lab');
  await page.getByLabel('Times').fill('11:00, 15:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'lab delivery', exact: true }).waitFor();
  const [stored] = await rulesNamed(svc.url, 'lab delivery');
  t.like(stored, {
    version: 2,
    schedule: { kind: 'monthly_weekday', week: 2, weekday: 'tue', times: ['11:00:00', '15:00:00'] },
  });
});

test('a disabled rule fires only after a second confirmation, and the history tells who did what and why', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(svc.url, {
    name: 'lift lobby round',
    schedule: { kind: 'daily', times: ['11:00'], timezone: 'Europe/Berlin' },
    task: patrol(),
  });
  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules/${rule.id}`);
  await page.getByLabel('Reason').fill('lift maintenance');
  await page.getByRole('button', { name: 'Disable rule' }).click();
  await page.getByRole('button', { name: 'Enable rule' }).waitFor();

  await page.getByRole('button', { name: 'Fire now' }).click();
  await page.getByRole('dialog', { name: 'Fire now?' }).getByRole('button', { name: 'Fire' }).click();
  const second = page.getByRole('dialog', { name: 'Fire a disabled rule?' });
  t.regex(await second.innerText(), /disabled \(lift maintenance\)/);
  const before = (await (await fetch(`${svc.url}/rules/${rule.id}/firings`)).json()) as { items: unknown[] };
  t.is(before.items.length, 0, 'nothing fired before the second confirmation');
  await second.getByRole('button', { name: 'Fire anyway' }).click();
  await page
    .getByRole('region', { name: 'Firings of this rule' })
    .getByText('RMF task', { exact: false })
    .waitFor();

  const history = page.getByRole('region', { name: 'History of this rule' });
  await history.getByText('Fired now (forced while disabled)').waitFor();
  const text = await history.innerText();
  t.regex(text, /Fired now \(forced while disabled\)[\s\S]*Disabled — “lift maintenance”[\s\S]*Created/);
});

test('before saving an edit, the editor says which changed occurrences it carries and which it removes', async (t) => {
  const { svc, browser } = t.context;
  const rule = await createRule(svc.url, {
    name: 'ward 5 clean',
    schedule: { kind: 'daily', times: ['09:00'], timezone: 'Europe/Berlin', start: '2027-01-01' },
    task: patrol(['ward_5']),
  });
  // Tuesday 15 June 2027, 09:00 in Berlin (CEST) is 07:00 UTC.
  const disabled = await fetch(`${svc.url}/occurrences/${rule.id}@2027-06-15T07:00:00.000Z`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: false, reason: 'ward closed' }),
  });
  t.is(disabled.status, 200, await disabled.text());

  const page = await openPage(t, browser);
  await page.goto(`${svc.url}/console/rules/${rule.id}/edit`);
  const impact = page.getByRole('region', { name: 'What this edit does to changed occurrences' });
  await impact.getByText('No disabled, moved or deleted occurrence is affected.').waitFor();

  await page.getByLabel('Times').fill('10:00');
  await impact.getByText('Carried to the new schedule', { exact: false }).waitFor();
  t.regex(await impact.innerText(), /Tue 15 Jun 2027, 09:00[^\n]*→ Tue 15 Jun 2027, 10:00/);

  await page.getByLabel('Repeats').selectOption('weekly');
  await page.getByRole('checkbox', { name: 'Monday' }).check();
  await impact.getByText('Removed for good', { exact: false }).waitFor();
  t.regex(await impact.innerText(), /Tue 15 Jun 2027, 09:00[^\n]*disabled \(“ward closed”\)/);

  const stored = (await (await fetch(`${svc.url}/rules/${rule.id}`)).json()) as { version: number };
  t.is(stored.version, 1, 'trying an edit saves nothing');
  const still = (await (
    await fetch(`${svc.url}/occurrences/${rule.id}@2027-06-15T07:00:00.000Z`)
  ).json()) as {
    state: string;
  };
  t.is(still.state, 'disabled');
});
