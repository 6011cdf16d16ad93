/**
 * createApp: the Koa application (no listen). Middleware order: metrics and request log (they see
 * final statuses) → errors → CORS → auth → JSON body → routers. The Scheduler facade is the only thing it calls.
 */
import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import type { Registry } from 'prom-client';
import type { Config } from '../Config.js';
import type { Logger } from '../log.js';
import type { Scheduler } from '../runtime/Scheduler.js';
import { authMiddleware } from './auth.js';
import { jsonBody } from './body.js';
import { errorMiddleware } from './errors.js';
import { httpMetrics } from './httpMetrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { requestLog } from './requestLog.js';
import { rmfWebErrors } from './rmfWebErrors.js';
import { consoleRouter } from './routes/console.js';
import { eventsRouter } from './routes/events.js';
import { firingsRouter } from './routes/firings.js';
import { occurrencesRouter } from './routes/occurrences.js';
import { rulesRouter } from './routes/rules.js';
import { scheduledTasksRouter } from './routes/scheduledTasks.js';
import { serviceRouter } from './routes/service.js';

export interface AppDeps {
  scheduler: Scheduler;
  config: Config;
  logger: Logger;
  registry: Registry;
  now: () => number;
  /** Shown on /health (e.g. "RMF transport is SIMULATED: …"). */
  notices?: readonly string[];
  /** The service version, for the OpenAPI document. */
  version?: string;
  /** Where the built console is (default: dist/console). */
  consoleDir?: string;
  /** Aborted when the service stops: open event streams (GET /events) end. */
  shutdown?: AbortSignal;
}

function corsOptions(origins: readonly string[]): cors.Options {
  return {
    origin: (ctx) => {
      if (origins.includes('*')) return '*';
      const origin = ctx.get('origin');
      return origins.includes(origin) ? origin : '';
    },
    exposeHeaders: ['ETag', 'Location', 'WWW-Authenticate'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-Match'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  };
}

export function createApp(deps: AppDeps): Koa {
  const { scheduler, config, logger, registry, now } = deps;
  const app = new Koa({ proxy: false });
  app.silent = true;
  let spec: unknown = null;
  const openapi = () =>
    (spec ??= buildOpenApiDocument({
      version: deps.version ?? '0.0.0',
      publicUrl: config.public_url,
      auth: config.iss !== null,
      writeScope: config.write_scope !== null,
      oidcUrl: config.oidc_url,
      rmfWebRoutes: config.rmf_web_routes && scheduler.rmfWeb !== undefined,
    }));

  const root = new Router();
  const shutdown = deps.shutdown;
  if (shutdown) {
    // A request still running when the service stops closes its connection once answered, so the
    // stop need not wait for the drain timeout on a keep-alive socket that has gone idle.
    app.use(async function closeWhenStopping(ctx, next) {
      try {
        await next();
      } finally {
        if (shutdown.aborted) ctx.set('Connection', 'close');
      }
    });
  }
  app.use(httpMetrics(registry, (path, method) => routeOf(root, path, method)));
  app.use(requestLog(logger));
  app.use(errorMiddleware(logger));
  if (config.cors_origins.length > 0) app.use(cors(corsOptions(config.cors_origins)));
  const rmfWeb = config.rmf_web_routes ? scheduler.rmfWeb : undefined;
  if (rmfWeb !== undefined) app.use(rmfWebErrors(logger));
  app.use(authMiddleware(config));
  app.use(jsonBody(config.body_limit));
  for (const router of [
    serviceRouter({
      scheduler,
      registry,
      openapi,
      notices: deps.notices ?? [],
      publicUrl: config.public_url,
    }),
    rulesRouter(scheduler),
    occurrencesRouter(scheduler, now),
    firingsRouter(scheduler),
    eventsRouter({ scheduler, logger, ...(deps.shutdown ? { shutdown: deps.shutdown } : {}) }),
    consoleRouter({ config, ...(deps.consoleDir ? { dir: deps.consoleDir } : {}) }),
    ...(rmfWeb !== undefined
      ? [scheduledTasksRouter({ tasks: rmfWeb, timezone: config.timezone, now })]
      : []),
  ]) {
    root.use(router.routes());
  }
  app.use(root.routes());
  app.use(root.allowedMethods({ throw: true }));
  return app;
}

/** The route template a request was aimed at (by path and method, else by path alone), or null. */
function routeOf(router: Router, path: string, method: string): string | null {
  const matched = router.match(path, method);
  const layers = matched.pathAndMethod.length > 0 ? matched.pathAndMethod : matched.path;
  const route = layers.find((layer) => layer.methods.length > 0) ?? layers[0];
  return typeof route?.path === 'string' ? route.path : null;
}
