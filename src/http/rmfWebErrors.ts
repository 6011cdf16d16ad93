/**
 * Errors on rmf-web's `/scheduled_tasks` routes, written as FastAPI writes them: `{"detail": …}`
 * (a message, or pydantic's list of errors for bad input), with FastAPI's statuses (malformed
 * JSON is a 422 `json_invalid`; a missing token a 401 "Not authenticated"). Everything else keeps
 * the service's own error bodies.
 */
import type { Context, Next } from 'koa';
import { isDomainError } from '../rules/errors.js';
import type { Logger } from '../log.js';
import { HttpError } from './errors.js';
import { RmfWebInvalid } from './rmfWebBody.js';
import { SCHEDULED_TASKS_PREFIX } from './routes/scheduledTasks.js';

const isDropIn = (path: string): boolean =>
  path === SCHEDULED_TASKS_PREFIX || path.startsWith(`${SCHEDULED_TASKS_PREFIX}/`);

function detailOf(
  err: unknown,
  ctx: Context,
): { status: number; detail: unknown; headers?: Record<string, string> } | null {
  if (err instanceof RmfWebInvalid) return { status: 422, detail: err.detail };
  if (err instanceof HttpError) {
    switch (err.code) {
      case 'UNAUTHENTICATED':
        return {
          status: 401,
          detail: ctx.get('authorization') === '' ? 'Not authenticated' : err.message,
          headers: { 'WWW-Authenticate': 'Bearer' },
        };
      case 'MALFORMED_JSON':
        return {
          status: 422,
          detail: [
            {
              type: 'json_invalid',
              loc: ['body', 0],
              msg: 'JSON decode error',
              input: {},
              ctx: { error: err.message },
            },
          ],
        };
      case 'UNSUPPORTED_MEDIA_TYPE':
        return {
          status: 422,
          detail: [
            {
              type: 'model_attributes_type',
              loc: ['body'],
              msg: 'Input should be a valid dictionary or object to extract fields from',
              input: null,
            },
          ],
        };
      case 'NOT_FOUND':
        return { status: 404, detail: 'Not Found' };
      case 'METHOD_NOT_ALLOWED':
        return { status: 405, detail: 'Method Not Allowed' };
      default:
        return { status: err.status, detail: err.message };
    }
  }
  if (isDomainError(err)) {
    switch (err.code) {
      case 'NOT_FOUND':
      case 'RULE_NOT_FOUND':
        return { status: 404, detail: 'Not Found' };
      case 'INVALID_INPUT':
      case 'NEVER_FIRES':
        return { status: 422, detail: err.message };
      case 'ALREADY_EXISTS':
      case 'VERSION_CONFLICT':
        return { status: 409, detail: err.message };
      case 'STORE_UNAVAILABLE':
      case 'RMF_UNAVAILABLE':
        return { status: 503, detail: err.message };
      case 'FORBIDDEN':
        return { status: 403, detail: err.message };
      default:
        return null;
    }
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (status === 405) return { status: 405, detail: 'Method Not Allowed' };
  if (typeof status === 'number' && status >= 400 && status < 500)
    return { status, detail: (err as Error).message };
  return null;
}

export function rmfWebErrors(logger: Logger) {
  return async function fastApiErrors(ctx: Context, next: Next): Promise<void> {
    if (!isDropIn(ctx.path)) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { detail: 'Not Found' };
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.status = 405; // the router's Allow header stays
        ctx.body = { detail: 'Method Not Allowed' };
      }
    } catch (err) {
      const out = detailOf(err, ctx);
      if (out === null) {
        logger.error('unexpected error', {
          method: ctx.method,
          path: ctx.path,
          err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err),
        });
        ctx.status = 500;
        ctx.body = { detail: 'Internal Server Error' };
        return;
      }
      ctx.status = out.status;
      if (out.headers) ctx.set(out.headers);
      ctx.body = { detail: out.detail };
    }
  };
}
