/**
 * The one place where errors become HTTP responses: `{ "error": { "code", "message", "details" } }`.
 * Domain errors map by code; HTTP-level problems (malformed JSON, body too large, wrong media
 * type, unknown route) are HttpErrors; anything else is a 500 whose details stay in the log.
 */
import type { Context, Next } from 'koa';
import type { ErrorCode } from '../rules/errors.js';
import { isDomainError } from '../rules/errors.js';
import type { Logger } from '../log.js';

const STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 422,
  RULE_NOT_FOUND: 404,
  OCCURRENCE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ALREADY_CLAIMED: 409,
  NEVER_FIRES: 422,
  RULE_DISABLED: 409,
  STORE_UNAVAILABLE: 503,
  RMF_UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INTERNAL: 500,
};

export type HttpErrorCode =
  | 'MALFORMED_JSON'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN';

/** An error of the HTTP layer itself (never raised below it). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { code, message, details } };
}

/** Koa's own errors (e.g. thrown by ctx.throw or the router) carry a status. */
function koaStatus(err: unknown): number | null {
  const status = (err as { status?: unknown; expose?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      if (err instanceof HttpError) {
        ctx.status = err.status;
        ctx.set(err.headers);
        ctx.body = errorBody(err.code, err.message, err.details);
      } else if (isDomainError(err)) {
        ctx.status = STATUS[err.code] ?? 500;
        ctx.body = errorBody(err.code, err.message, err.details ?? {});
        if (ctx.status >= 500)
          logger.warn('request failed', { code: err.code, message: err.message, path: ctx.path });
      } else if (koaStatus(err) !== null) {
        const status = koaStatus(err) as number;
        ctx.status = status;
        ctx.body = errorBody(status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST', (err as Error).message);
      } else {
        logger.error('unexpected error', {
          method: ctx.method,
          path: ctx.path,
          err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
        });
        ctx.status = 500;
        ctx.body = errorBody('INTERNAL', 'internal error');
      }
    }
  };
}
