/**
 * Reads JSON request bodies: POST/PUT/PATCH with a body must say application/json (415), stay
 * under the configured limit (413) and parse (400). The parsed value is in ctx.state.body
 * (undefined when there was no body).
 */
import type { Context, Next } from 'koa';
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

/** The body as text, read with stream events (an async iterator per request costs more). */
function readRaw(ctx: Context, limit: number): Promise<string> {
  const declared = Number(ctx.get('content-length') || '0');
  const req = ctx.req;
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: unknown, text?: string): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error === null) resolve(text!);
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done(tooLarge(limit));
        req.resume(); // drain the rest
      } else chunks.push(chunk);
    };
    const onEnd = (): void =>
      done(null, chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    const onError = (error: Error): void => done(error);
    const onClose = (): void => {
      if (!req.complete) done(new Error('the request was aborted before its body ended'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
