/**
 * The one client of the REST API (the same API rmf-server uses), typed from the service's own
 * OpenAPI document. Every call carries the operator's token when auth is on.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.gen';

export type Schemas = components['schemas'];
export type Rule = Schemas['Rule'];
export type RuleDetail = Schemas['RuleDetail'];
export type Occurrence = Schemas['Occurrence'];
export type Firing = Schemas['Firing'];
export type Health = Schemas['Health'];

let tokenSource: () => Promise<string | null> = async () => null;

/** Where the Bearer token of every call comes from (set by sign-in). */
export function setTokenSource(source: () => Promise<string | null>): void {
  tokenSource = source;
}

export async function currentToken(): Promise<string | null> {
  return tokenSource();
}

const bearer: Middleware = {
  async onRequest({ request }) {
    const token = await tokenSource();
    if (token !== null) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

/** An answer of the API that is not a success: its status and `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field a 422 names (`details.field`), if any. */
  get field(): string | null {
    const field = this.details.field;
    return typeof field === 'string' ? field : null;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Record<string, unknown> };
}

/** The data of a successful answer; an ApiError otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  throw new ApiError(
    result.response.status,
    body.error?.code ?? `HTTP_${result.response.status}`,
    body.error?.message ?? result.response.statusText,
    body.error?.details ?? {},
  );
}
