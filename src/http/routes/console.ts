/**
 * The operator console: the single-page app built from web/ into dist/console, served under
 * /console/ without a token (its files hold no data; every call it makes to the API carries the
 * operator's token). Files under assets/ carry a content hash in their names and are cached for a
 * year; index.html is never cached, so a new build is picked up at the next load. Any other path
 * under /console/ is a page of the app, answered with index.html, so a reload of any console page
 * works. `/` leads to the console. GET /console/config.json tells the page how to sign in and the
 * service's zone; GET /me who the token belongs to and whether it may change anything.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Config } from '../../Config.js';
import { HttpError } from '../errors.js';

/** dist/console, beside dist/src (this file is dist/src/http/routes/console.js). */
export const BUILT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const HASHED = 'public, max-age=31536000, immutable';
const NOT_CACHED = 'no-cache';

export type ConsoleConfig = Pick<
  Config,
  'iss' | 'aud' | 'oidc_url' | 'console_client_id' | 'timezone' | 'write_scope'
>;

export interface ConsoleRouteDeps {
  config: ConsoleConfig;
  /** Where the built console is (default: dist/console). */
  dir?: string;
}

/** The body of GET /console/config.json. */
export function presentConsoleConfig(config: ConsoleConfig): Record<string, unknown> {
  return {
    auth: config.iss !== null,
    oidc_url: config.oidc_url,
    console_client_id: config.console_client_id,
    audience: config.aud,
    write_scope: config.write_scope,
    timezone: config.timezone,
  };
}

async function fileIn(dir: string, rel: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  const path = resolve(dir, decoded);
  if (!path.startsWith(dir.endsWith(sep) ? dir : dir + sep) || decoded.includes('\0')) return null;
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

async function send(ctx: Context, path: string, cacheControl: string): Promise<void> {
  ctx.type = TYPES[extname(path)] ?? 'application/octet-stream';
  ctx.set('Cache-Control', cacheControl);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = await readFile(path);
}

export function consoleRouter({ config, dir = BUILT_CONSOLE_DIR }: ConsoleRouteDeps): Router {
  // Strict: /console and /console/ are different paths (the first leads to the second).
  const router = new Router({ strict: true });
  const root = resolve(dir);
  const index = resolve(root, 'index.html');

  const sendIndex = async (ctx: Context): Promise<void> => {
    if ((await fileIn(root, 'index.html')) === null)
      throw new HttpError(404, 'NOT_FOUND', `the console is not built (no ${index}): run npm run build`);
    await send(ctx, index, NOT_CACHED);
  };

  router.get('/', (ctx) => {
    ctx.redirect('/console/');
  });
  router.get('/console', (ctx) => {
    ctx.redirect('/console/');
  });

  router.get('/console/config.json', (ctx) => {
    ctx.set('Cache-Control', NOT_CACHED);
    ctx.body = presentConsoleConfig(config);
  });

  router.get(/^\/console\/(.*)$/, async (ctx) => {
    const rel = ctx.path.slice('/console/'.length);
    if (rel === '' || rel === 'index.html') return sendIndex(ctx);
    const file = await fileIn(root, rel);
    if (file !== null) return send(ctx, file, rel.startsWith('assets/') ? HASHED : NOT_CACHED);
    // A missing asset is a 404 (not the page, which a browser would try to run as a script).
    if (rel.startsWith('assets/') || extname(rel) !== '')
      throw new HttpError(404, 'NOT_FOUND', `no console file ${rel}`);
    return sendIndex(ctx);
  });

  router.get('/me', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      user: ctx.state.actor ?? null,
      can_write: ctx.state.canWrite !== false,
      auth: config.iss !== null,
    };
  });

  return router;
}
