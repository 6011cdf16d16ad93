/**
 * One debug line per request: method, path (no query, no headers, so never a token), status and
 * duration. Kept over pino-http: on the HTTP bench pino-http (a child logger and two listeners per
 * request) cost 30–50 % more server CPU per GET /rules/{id} (see bench/README.md, "Libraries").
 */
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
