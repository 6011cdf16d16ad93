/**
 * The operator console (`npm run bench -- console`):
 * - the JavaScript the browser downloads, gzipped (the built `dist/console/assets/*.js`);
 * - the week view of 1,000 daily rules (7,000 occurrences) in headless Chromium: from navigation
 *   to the week drawn with its occurrences, and to the first click on an occurrence answered by
 *   its panel (interactive). Each run uses a fresh browser context (no cache).
 *
 * The service is the real one (runService, SQLite file, simulated dispatcher) on this machine.
 * BENCH_CONSOLE_RUNS sets the number of page loads (default 7); BENCH_CONSOLE_PROFILE=<file> writes
 * a CPU profile of the last load (open it in Chromium's DevTools, Performance panel).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { runService } from '../src/main.js';

const RULES = 1_000;
const WEEK_MONDAY = '2027-06-14';
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const ASSETS = fileURLToPath(new URL('../console/assets/', import.meta.url));

function scriptSizes(): { files: number; raw: number; gzipped: number } {
  let raw = 0;
  let gzipped = 0;
  const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  for (const file of scripts) {
    const bytes = readFileSync(join(ASSETS, file));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: scripts.length, raw, gzipped };
}

const quiet = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

/** Rule i fires daily at a minute spread over the day, so the week holds 7 × RULES occurrences. */
function dailyRule(i: number): Record<string, unknown> {
  const minute = Math.floor((i * 1440) / RULES);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    name: `round ${i}`,
    labels: [`ward${i % 10}`],
    schedule: { kind: 'daily', times: [`${hh}:${mm}`], timezone: 'UTC', start: '2027-01-01' },
    task: {
      type: 'dispatch_task_request',
      request: { category: 'patrol', description: { places: ['lobby'], rounds: 1 } },
    },
  };
}

async function seed(url: string): Promise<void> {
  const batch = 25;
  for (let i = 0; i < RULES; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, RULES - i) }, async (_, k) => {
        const res = await fetch(`${url}/rules`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(dailyRule(i + k)),
        });
        if (res.status !== 201) throw new Error(`POST /rules answered ${res.status}: ${await res.text()}`);
      }),
    );
  }
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

export async function run(): Promise<void> {
  const size = scriptSizes();
  console.log(
    `console JavaScript: ${size.files} file(s), ${(size.raw / 1024).toFixed(0)} KB, ` +
      `${(size.gzipped / 1024).toFixed(0)} KB gzipped (target ≤ 350 KB)`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'rmf-bench-console-'));
  const service = await runService({
    argv: [
      '--port',
      '0',
      '--db-url',
      `sqlite:${join(dir, 'db.sqlite')}`,
      '--rmf.transport',
      'sim',
      '--timezone',
      'UTC',
    ],
    env: {},
    cwd: dir,
    logDestination: quiet(),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  try {
    await seed(service.url);
    const from = `${WEEK_MONDAY}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
    const week = (await (
      await fetch(`${service.url}/occurrences?from=${from}&to=${to}&limit=10000`)
    ).json()) as {
      items: unknown[];
    };
    console.log(`week view: ${RULES} rules, ${week.items.length} occurrences in the week of ${WEEK_MONDAY}`);

    const loaded: number[] = [];
    const busy: number[] = [];
    const scripting: number[] = [];
    const layout: number[] = [];
    const drawn: number[] = [];
    const interactive: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({
        timezoneId: 'UTC',
        viewport: { width: 1400, height: 1000 },
      });
      const page = await context.newPage();
      const profileTo = i === RUNS - 1 ? process.env.BENCH_CONSOLE_PROFILE : undefined;
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      if (profileTo) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      let fetched = NaN;
      page.on('requestfinished', (request) => {
        if (new URL(request.url()).pathname === '/occurrences') fetched = performance.now() - started;
      });
      const started = performance.now();
      await page.goto(`${service.url}/console/?view=timeGridWeek&date=${WEEK_MONDAY}`);
      await page.locator('section[aria-label="Calendar"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      await page.locator('.fc-timegrid-event').first().waitFor({ timeout: 60_000 });
      const shown = performance.now() - started;
      // A real click on the top of an occurrence that nothing covers (most of 1,000 a day are
      // behind "+N more" links).
      const point = (await page.evaluate(`(() => {
        for (const el of document.querySelectorAll('.fc-timegrid-event')) {
          const box = el.getBoundingClientRect();
          const x = box.left + Math.min(6, box.width / 2);
          const y = box.top + Math.min(6, box.height / 2);
          if (y > 0 && y < window.innerHeight && el.contains(document.elementFromPoint(x, y))) return { x, y };
        }
        return null;
      })()`)) as { x: number; y: number } | null;
      if (point === null) {
        await page.screenshot({ path: 'console-bench-failure.png' });
        throw new Error('no occurrence of the week view can be clicked');
      }
      await page.mouse.click(point.x, point.y);
      await page.getByRole('dialog', { name: 'Occurrence' }).waitFor({ timeout: 60_000 });
      const answered = performance.now() - started;
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => 1000 * (metrics.find((m) => m.name === name)?.value ?? NaN);
      busy.push(metric('TaskDuration'));
      scripting.push(metric('ScriptDuration'));
      layout.push(metric('LayoutDuration') + metric('RecalcStyleDuration'));
      if (profileTo) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(profileTo, JSON.stringify(profile));
        console.log(`CPU profile of the last load: ${profileTo}`);
      }
      loaded.push(fetched);
      drawn.push(shown);
      interactive.push(answered);
      await context.close();
    }
    for (const xs of [loaded, busy, scripting, layout]) xs.sort((a, b) => a - b);
    drawn.sort((a, b) => a - b);
    interactive.sort((a, b) => a - b);
    const fmt = (xs: number[]) =>
      `median ${quantile(xs, 0.5).toFixed(0)} ms, max ${(xs.at(-1) ?? NaN).toFixed(0)} ms`;
    console.log(`the week's occurrences received (${RUNS} loads): ${fmt(loaded)}`);
    console.log(`week drawn with its occurrences (${RUNS} loads): ${fmt(drawn)}`);
    console.log(`first click answered by its panel: ${fmt(interactive)} (target ≤ 1,500 ms)`);
    console.log(
      `the page's main thread busy until then: ${fmt(busy)} ` +
        `(scripts median ${quantile(scripting, 0.5).toFixed(0)} ms, ` +
        `style and layout median ${quantile(layout, 0.5).toFixed(0)} ms)`,
    );
    console.log(`load average after: ${(loadavg()[0] ?? NaN).toFixed(1)}`);
  } finally {
    await browser.close();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
