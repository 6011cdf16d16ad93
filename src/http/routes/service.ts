/** /health, /metrics, /openapi.json and /docs. */
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { isDomainError } from '../../rules/errors.js';
import type { Scheduler } from '../../runtime/Scheduler.js';
import { DOCS_PAGE, docsAsset, docsCsp } from '../docsPage.js';
import { errorBody } from '../errors.js';
import { presentHealth, presentReplica } from '../presenters.js';

export interface ServiceRouteDeps {
  scheduler: Scheduler;
  registry: Registry;
  openapi: () => unknown;
  notices: readonly string[];
  /** The service's public URL (config public_url), which the API reference may call. */
  publicUrl?: string | null;
}

export function serviceRouter({
  scheduler,
  registry,
  openapi,
  notices,
  publicUrl = null,
}: ServiceRouteDeps): Router {
  const router = new Router();
  const csp = docsCsp(publicUrl);

  router.get('/health', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      const health = await scheduler.health();
      ctx.status = health.store.ok ? 200 : 503;
      ctx.body = presentHealth(health, notices);
    } catch (err) {
      ctx.status = 503;
      ctx.body = errorBody(isDomainError(err) ? err.code : 'STORE_UNAVAILABLE', 'health check failed', {});
    }
  });

  router.get('/replicas', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: (await scheduler.replicas()).map(presentReplica) };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi();
  });

  router.get('/docs', (ctx) => {
    if (ctx.path.endsWith('/')) {
      ctx.redirect('../docs'); // the page's files are named relative to /docs
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = DOCS_PAGE;
  });

  router.get('/docs/:file', (ctx) => {
    const asset = docsAsset(ctx.params.file ?? '');
    if (asset === null) return; // 404
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = asset.body;
  });

  return router;
}
