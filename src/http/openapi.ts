/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests
 * (rules/ruleSchemas.ts for bodies, queries.ts for parameters) and the response shapes.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { describeNeverSchemas } from './openapiCompat.js';
import { ERROR_TEXT, ifMatchHeader, OPEN_PATHS, ROUTES } from './openapiRoutes.js';
import { RMF_WEB_ROUTES } from './rmfWebWire.js';
import { errorWire } from './wireSchemas.js';

/** Bodies that may be left out: enable, disable and trigger (all of their fields are optional). */
const OPTIONAL_BODY = /\/rules\/\{id\}\/(enable|disable|trigger)$/;

export interface OpenApiOptions {
  version: string;
  publicUrl: string | null;
  auth: boolean;
  /** Auth with write_scope: writes may also answer 403. */
  writeScope?: boolean;
  /** The identity provider's OpenID Connect discovery URL: offered as where tokens come from. */
  oidcUrl?: string | null;
  /** Describe rmf-web's `/scheduled_tasks` routes too (when `rmf_web_routes` serves them). */
  rmfWebRoutes?: boolean;
}

export function buildOpenApiDocument(
  options: OpenApiOptions,
): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const routes = options.rmfWebRoutes ? [...ROUTES, ...RMF_WEB_ROUTES] : ROUTES;
  describeNeverSchemas(routes.flatMap((r) => (r.body ? [r.body] : [])));
  const registry = new OpenAPIRegistry();
  const bearer = options.auth
    ? registry.registerComponent('securitySchemes', 'bearer', {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      })
    : null;
  const oidc =
    options.auth && options.oidcUrl
      ? registry.registerComponent('securitySchemes', 'oidc', {
          type: 'openIdConnect',
          openIdConnectUrl: options.oidcUrl,
        })
      : null;
  // Alternatives: a bearer token, however obtained, or one from the identity provider.
  const security = [bearer, oidc].flatMap((scheme) => (scheme ? [{ [scheme.name]: [] }] : []));
  for (const r of routes) {
    const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
    const responses: Record<number, { description: string; content?: ReturnType<typeof json>['content'] }> = {
      [r.ok.status]: { description: r.ok.description, ...(r.ok.schema ? json(r.ok.schema) : {}) },
      ...(r.alsoOk
        ? { [r.alsoOk.status]: { description: r.alsoOk.description, ...json(r.alsoOk.schema) } }
        : {}),
    };
    const authErrors = !options.auth || OPEN_PATHS.has(r.path) ? [] : [401];
    if (options.auth && options.writeScope && r.method !== 'get' && r.path !== '/schedules/preview')
      authErrors.push(403);
    const errors = [...r.errors, ...authErrors];
    for (const status of errors)
      responses[status] = {
        description: r.errorText?.[status] ?? ERROR_TEXT[status] ?? 'Error',
        ...json(r.errorSchema ?? errorWire),
      };
    registry.registerPath({
      method: r.method,
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      ...(security.length > 0 && !OPEN_PATHS.has(r.path) ? { security } : {}),
      request: {
        ...(r.ifMatch ? { headers: ifMatchHeader } : {}),
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query } : {}),
        ...(r.body
          ? { body: { required: r.method !== 'patch' && !OPTIONAL_BODY.test(r.path), ...json(r.body) } }
          : {}),
      },
      responses,
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'rmf-task-scheduler',
      version: options.version,
      description:
        'Schedules Open-RMF tasks and submits each occurrence exactly once. JSON in snake_case; ' +
        'instants are UTC ISO-8601 with milliseconds. PUT/PATCH/DELETE/enable/disable take an optional ' +
        'If-Match: "<version>" (or a body "version"); without one they apply unconditionally.',
    },
    servers: options.publicUrl ? [{ url: options.publicUrl }] : [],
  });
}
