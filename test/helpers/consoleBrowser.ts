/**
 * Browser tests of the console: the real service (runService, SQLite file, the simulated
 * dispatcher, port 0) and Debian's Chromium driven by playwright-core, one fresh browser context
 * (profile) per test. A failing test leaves a screenshot of what the page showed in
 * test-results/console/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionContext } from 'ava';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { runService, type RunningService } from '../../src/main.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium with a fresh profile (playwright-core makes a new user-data-dir for each launch). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

export interface ConsoleService {
  service: RunningService;
  url: string;
  stop(): Promise<void>;
}

const quiet = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

/** The service as an operator starts it, on a fresh SQLite file; `args` are extra flags. */
export async function startConsoleService(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ConsoleService> {
  const dir = mkdtempSync(join(tmpdir(), 'rmf-console-'));
  const service = await runService({
    argv: ['--port', '0', '--db-url', `sqlite:${join(dir, 'db.sqlite')}`, '--rmf.transport', 'sim', ...args],
    env,
    cwd: dir,
    logDestination: quiet(),
  });
  return {
    service,
    url: service.url,
    stop: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BrowserCtx {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/** A new context and page for the test; on failure, a screenshot of the page. */
export async function openPage(t: ExecutionContext, browser: Browser, zone = 'UTC'): Promise<Page> {
  const context = await browser.newContext({ timezoneId: zone, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  t.teardown(async () => {
    if (!t.passed) {
      const dir = resolve('test-results', 'console');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${t.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 100)}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      t.log(`screenshot: ${file}`);
    }
    await context.close();
  });
  return page;
}

/** POST /rules on the service; the created rule. */
export async function createRule(
  url: string,
  body: Record<string, unknown>,
  token?: string,
): Promise<{ id: string; name: string }> {
  const res = await fetch(`${url}/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /rules answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; name: string };
}

export const patrol = (places = ['ward_3', 'lobby']) => ({
  type: 'dispatch_task_request',
  request: { category: 'patrol', description: { places, rounds: 1 } },
});
