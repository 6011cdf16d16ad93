/**
 * Bearer JWT authentication, on when `iss` is configured: every request except /health needs a
 * token signed with `jwt_public_key` (RS256 or ES256), issued by `iss`, for `aud` (when set), not
 * expired. The token's user (preferred_username, else sub) becomes the request's actor.
 * Tokens are never logged.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Context, Next } from 'koa';
import type { Config } from '../Config.js';
import type { Actor } from '../rules/Rule.js';
import { HttpError } from './errors.js';

const REALM = 'rmf-task-scheduler';
const OPEN_PATHS = new Set(['/health']);

function challenge(error?: string, description?: string): Record<string, string> {
  const parts = [`realm="${REALM}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replaceAll('"', "'")}"`);
  return { 'WWW-Authenticate': `Bearer ${parts.join(', ')}` };
}

function unauthenticated(message: string, error?: string): HttpError {
  return new HttpError(401, 'UNAUTHENTICATED', message, {}, challenge(error, error ? message : undefined));
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return `the token's "${err.claim}" claim is not accepted`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  return 'the token is not valid';
}

export interface AuthState {
  actor: Actor;
}

/** Middleware setting ctx.state.actor (null when auth is off). */
export function authMiddleware(config: Pick<Config, 'iss' | 'aud' | 'jwt_public_key'>) {
  const iss = config.iss;
  if (iss === null) {
    return async function noAuth(ctx: Context, next: Next): Promise<void> {
      ctx.state.actor = null;
      await next();
    };
  }
  const key: KeyObject = createPublicKey(config.jwt_public_key ?? '');
  const aud = config.aud;
  return async function bearerAuth(ctx: Context, next: Next): Promise<void> {
    ctx.state.actor = null;
    if (OPEN_PATHS.has(ctx.path) || ctx.method === 'OPTIONS') return next();
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      throw unauthenticated(
        header ? 'the Authorization header is not a Bearer token' : 'a Bearer token is required',
        header ? 'invalid_request' : undefined,
      );
    try {
      const { payload } = await jwtVerify(match[1] as string, key, {
        issuer: iss,
        ...(aud === null ? {} : { audience: aud }),
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['exp'],
      });
      const user = payload.preferred_username ?? payload.sub;
      ctx.state.actor = typeof user === 'string' && user !== '' ? user : null;
    } catch (err) {
      throw unauthenticated(describe(err), 'invalid_token');
    }
    await next();
  };
}
