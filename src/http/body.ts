/**
 * Reads JSON request bodies: POST/PUT/PATCH with a body must say application/json (415), stay
 * under the configured limit (413) and parse (400). The parsed value is in ctx.state.body
 * (undefined when there was no body).
 */
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { HttpError } from './errors.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(ctx: Context): boolean {
  const length = ctx.get('content-length');
  if (length !== '') return Number(length) > 0;
  return ctx.get('transfer-encoding') !== '';
}

function isJson(ctx: Context): boolean {
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${limit} bytes`, { limit });
}

/** The body as text (raw-body: the declared length and the bytes read both checked against the limit). */
async function readRaw(ctx: Context, limit: number): Promise<string> {
  const length = ctx.get('content-length');
  try {
    const raw = await getRawBody(ctx.req, { limit, ...(length !== '' ? { length } : {}) });
    return raw.toString('utf8');
  } catch (err) {
    if ((err as { type?: unknown }).type === 'entity.too.large') {
      ctx.req.resume(); // drain the rest, so that the answer reaches the client
      throw tooLarge(limit);
    }
    throw err;
  }
}

export function jsonBody(limit: number) {
  return async function readJsonBody(ctx: Context, next: Next): Promise<void> {
    if (WITH_BODY.has(ctx.method) && hasBody(ctx)) {
      if (!isJson(ctx)) {
        ctx.req.resume();
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'request bodies must be application/json', {
          content_type: ctx.get('content-type') || null,
        });
      }
      const raw = await readRaw(ctx, limit);
      if (raw.trim() !== '') {
        try {
          ctx.state.body = JSON.parse(raw) as unknown;
        } catch (err) {
          throw new HttpError(
            400,
            'MALFORMED_JSON',
            `request body is not valid JSON: ${(err as Error).message}`,
          );
        }
      }
    }
    await next();
  };
}
