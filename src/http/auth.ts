/**
 * Bearer JWT authentication, on when `iss` is configured: every request except /health, /docs (and its files),
 * /openapi.json, the console's files (and /metrics with `metrics_public`) needs a
 * token signed with `jwt_public_key` (RS256 or ES256), issued by `iss`, for `aud` (when set), not
 * expired (the console's files, `/` and /console/config.json are open). The token's user (preferred_username, else sub) becomes the request's actor. With
 * `write_scope` set, a token must also carry that scope or role to change anything (create,
 * replace, patch, delete, enable/disable, trigger, occurrence edits); without it, it may only read
 * (403). Tokens are never logged.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Context, Next } from 'koa';
import type { Config } from '../Config.js';
import type { Actor } from '../rules/Rule.js';
import { HttpError } from './errors.js';

const REALM = 'rmf-task-scheduler';
/** The API reference and the OpenAPI document describe the API and hold no data, like /health. */
const OPEN_PATHS = new Set(['/health', '/', '/console', '/docs', '/openapi.json']);
/** The console's own files and its sign-in settings hold no data: they need no token. */
const isOpen = (path: string): boolean =>
  OPEN_PATHS.has(path) || path.startsWith('/console/') || path.startsWith('/docs/');

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
  /** False when the token lacks `write_scope` (it may only read). */
  canWrite: boolean;
}

/** Requests that change nothing although they are POSTs. */
const READ_ONLY_POSTS = new Set(['/schedules/preview']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? v.split(' ') : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];

/** Scopes (`scope`, `scp`) and roles (Keycloak realm and client roles) the token grants. */
function grants(payload: JWTPayload, aud: string | null): Set<string> {
  const realm = payload.realm_access as { roles?: unknown } | undefined;
  const clients = payload.resource_access as Record<string, { roles?: unknown }> | undefined;
  return new Set([
    ...strings(payload.scope),
    ...strings(payload.scp),
    ...strings(realm?.roles),
    ...(aud !== null ? strings(clients?.[aud]?.roles) : []),
  ]);
}

/** Middleware setting ctx.state.actor (null when auth is off). */
export function authMiddleware(
  config: Pick<Config, 'iss' | 'aud' | 'jwt_public_key' | 'write_scope'> &
    Partial<Pick<Config, 'metrics_public'>>,
) {
  const iss = config.iss;
  if (iss === null) {
    return async function noAuth(ctx: Context, next: Next): Promise<void> {
      ctx.state.actor = null;
      ctx.state.canWrite = true;
      await next();
    };
  }
  const key: KeyObject = createPublicKey(config.jwt_public_key ?? '');
  const aud = config.aud;
  const writeScope = config.write_scope;
  const metricsPublic = config.metrics_public === true;
  return async function bearerAuth(ctx: Context, next: Next): Promise<void> {
    ctx.state.actor = null;
    ctx.state.canWrite = false;
    if (isOpen(ctx.path) || ctx.method === 'OPTIONS') return next();
    // A Prometheus server scrapes with a static credential at best, never a JWT that expires.
    if (metricsPublic && ctx.path === '/metrics' && ctx.method === 'GET') return next();
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      throw unauthenticated(
        header ? 'the Authorization header is not a Bearer token' : 'a Bearer token is required',
        header ? 'invalid_request' : undefined,
      );
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1] as string, key, {
        issuer: iss,
        ...(aud === null ? {} : { audience: aud }),
        algorithms: ['RS256', 'ES256'],
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw unauthenticated(describe(err), 'invalid_token');
    }
    const user = payload.preferred_username ?? payload.sub;
    ctx.state.actor = typeof user === 'string' && user !== '' ? user : null;
    ctx.state.canWrite = writeScope === null || grants(payload, aud).has(writeScope);
    if (!ctx.state.canWrite && WRITES.has(ctx.method) && !READ_ONLY_POSTS.has(ctx.path)) {
      throw new HttpError(
        403,
        'FORBIDDEN',
        `this token may read but not change anything: it lacks the "${writeScope}" scope or role`,
        { required: writeScope },
        challenge('insufficient_scope'),
      );
    }
    await next();
  };
}
