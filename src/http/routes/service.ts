/** /health, /metrics, /openapi.json and /docs. */
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { isDomainError } from '../../rules/errors.js';
import type { Scheduler } from '../../runtime/Scheduler.js';
import { renderDocsPage } from '../docsPage.js';
import { errorBody } from '../errors.js';
import { presentHealth, presentReplica } from '../presenters.js';

export interface ServiceRouteDeps {
  scheduler: Scheduler;
  registry: Registry;
  openapi: () => unknown;
  notices: readonly string[];
}

export function serviceRouter({ scheduler, registry, openapi, notices }: ServiceRouteDeps): Router {
  const router = new Router();
  let docs: string | null = null;

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
    docs ??= renderDocsPage(openapi());
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.body = docs;
  });

  return router;
}
