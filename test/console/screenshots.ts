/**
 * `npm run screenshots`: the README's pictures of the console (docs/console-week.png,
 * docs/console-editor.png), taken from the real service with a few example rules, in Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRule, launchChromium, patrol, startConsoleService } from '../helpers/consoleBrowser.js';

const out = resolve('docs');
mkdirSync(out, { recursive: true });
const svc = await startConsoleService(['--timezone', 'Europe/Berlin']);
const browser = await launchChromium();
try {
  const zone = 'Europe/Berlin';
  const start = '2027-01-01';
  await createRule(svc.url, {
    name: 'ward 3 round',
    labels: ['ward3'],
    schedule: {
      kind: 'weekly',
      days: ['mon', 'wed', 'fri'],
      times: ['09:15', '15:30'],
      timezone: zone,
      start,
    },
    task: patrol(['ward_3', 'lobby']),
  });
  await createRule(svc.url, {
    name: 'pharmacy delivery',
    labels: ['pharmacy'],
    schedule: { kind: 'daily', times: ['11:00'], timezone: zone, start },
    task: {
      type: 'dispatch_task_request',
      request: {
        category: 'delivery',
        description: {
          pickup: { place: 'pharmacy', handler: 'coke_dispenser', payload: [] },
          dropoff: { place: 'ward_3', handler: 'coke_ingestor', payload: [] },
        },
      },
    },
  });
  await createRule(svc.url, {
    name: 'night clean',
    labels: ['cleaning'],
    schedule: { kind: 'daily', times: ['02:30'], timezone: zone, start },
    task: { type: 'dispatch_task_request', request: { category: 'clean', description: { zone: 'lobby' } } },
  });
  const lobby = await createRule(svc.url, {
    name: 'lobby patrol',
    labels: ['lobby'],
    schedule: { kind: 'interval', every_seconds: 7200, between: ['08:00', '18:00'], timezone: zone, start },
    task: patrol(['lobby']),
  });
  await fetch(`${svc.url}/occurrences/${lobby.id}@2027-06-16T10:00:00.000Z`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: false, reason: 'lobby floor works' }),
  });

  const context = await browser.newContext({ timezoneId: zone, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${svc.url}/console/?view=timeGridWeek&date=2027-06-14`);
  await page.locator('section[aria-label="Calendar"][aria-busy="false"]').waitFor();
  await page.locator('.fc-event').first().waitFor();
  await page.screenshot({ path: resolve(out, 'console-week.png') });

  await page.goto(`${svc.url}/console/rules/new`);
  await page.getByLabel('Name').fill('ward 5 evening round');
  await page.getByLabel('Repeats').selectOption('weekly');
  await page.getByRole('checkbox', { name: 'Tuesday' }).check();
  await page.getByRole('checkbox', { name: 'Thursday' }).check();
  await page.getByLabel('Times').fill('19:30');
  // The preview settles a moment after the last keystroke.
  await page.getByRole('list', { name: 'Next occurrences' }).getByText('19:30').first().waitFor();
  await page.screenshot({ path: resolve(out, 'console-editor.png') });
  await context.close();
  console.log(`written: ${resolve(out, 'console-week.png')}, ${resolve(out, 'console-editor.png')}`);
} finally {
  await browser.close();
  await svc.stop();
}
