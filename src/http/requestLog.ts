/**
 * One debug line per request, written by pino-http: method, path (no query, no headers, so never
 * a token), status, duration in ms and the actor. The logger's own pino is used when it has one
 * (production); any other logger (tests, the one that also writes to ROS) gets the lines through
 * a bridge.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Next } from 'koa';
import { pinoHttp } from 'pino-http';
import { type Logger, type LogLevel, pinoBridge, pinoOf } from '../log.js';

interface Seen {
  ctx: Context;
  started: bigint;
}

export function requestLog(logger: Logger, level: LogLevel) {
  const seen = new WeakMap<ServerResponse, Seen>();
  const line = (_req: IncomingMessage, res: ServerResponse) => {
    const s = seen.get(res);
    return {
      method: s?.ctx.method ?? _req.method,
      path: s?.ctx.path ?? (_req.url ?? '').split('?')[0],
      status: res.statusCode,
      ms: s ? Number(process.hrtime.bigint() - s.started) / 1e6 : null,
      actor: s?.ctx.state.actor ?? null,
    };
  };
  const httpLogger = pinoHttp({
    logger: pinoOf(logger) ?? pinoBridge(logger, level),
    // Nothing of the request or response is bound or logged but the fields above.
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined, err: () => undefined },
    genReqId: () => 0,
    customLogLevel: () => 'debug',
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: line,
    customErrorObject: line,
  });
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    seen.set(ctx.res, { ctx, started: process.hrtime.bigint() });
    httpLogger(ctx.req, ctx.res);
    await next();
  };
}
