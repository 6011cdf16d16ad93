/** One debug line per request: method, path (no query, no headers), status and duration. */
import type { Context, Next } from 'koa';
import type { Logger } from '../log.js';

export function requestLog(logger: Logger) {
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      logger.debug('request', {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        actor: ctx.state.actor ?? null,
      });
    }
  };
}
