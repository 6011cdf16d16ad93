/**
 * The table of REST operations the OpenAPI document describes: for each, the schemas that
 * validate its path, query and body (the same ones the routes use) and its responses.
 */
import { z } from 'zod';
import {
  createRuleBody,
  occurrencePatchBody,
  patchRuleBody,
  previewBody,
  replaceRuleBody,
} from '../rules/ruleSchemas.js';
import {
  calendarQuery,
  deleteOccurrenceQuery,
  firingIdPath,
  firingListQuery,
  occurrenceIdPath,
  occurrenceWindowQuery,
  ruleFiringsQuery,
  ruleEditQuery,
  ruleGetQuery,
  ruleHistoryQuery,
  ruleIdPath,
  ruleListQuery,
} from './queries.js';
import { consoleConfigWire, meWire } from './consoleWire.js';
import { disableBody, enableBody, labelSwitchBody, triggerBody } from './routes/rules.js';
import {
  firingPageWire,
  firingWire,
  labelSwitchWire,
  withdrawalWire,
  healthWire,
  replicasWire,
  occurrenceListWire,
  occurrenceWire,
  previewWire,
  ruleDetailWire,
  ruleEditWire,
  ruleHistoryPageWire,
  rulePageWire,
  ruleWire,
} from './wireSchemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Route {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  ifMatch?: boolean;
  ok: { status: number; schema?: z.ZodType; description: string };
  /** Another success answer (DELETE: 200 with a body when tasks sent to RMF were cancelled). */
  alsoOk?: { status: number; schema: z.ZodType; description: string };
  errors: number[];
  /** The body of its errors, when not the service's own (rmf-web's routes answer FastAPI's). */
  errorSchema?: z.ZodType;
  /** What its error statuses mean, when not ERROR_TEXT's. */
  errorText?: Record<number, string>;
}

export const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON',
  401: 'Missing or invalid Bearer token',
  403: 'The token lacks the write scope (write_scope)',
  404: 'Not found',
  409: 'Version conflict or name taken',
  413: 'Body over the limit',
  415: 'Body is not application/json',
  422: 'Invalid value (details.field names it)',
  503: 'Store unavailable',
};

const WRITE = [400, 413, 415, 422];

export const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .optional()
    .meta({ description: 'The expected version as an entity tag, e.g. "3"; absent or * = unconditional' }),
});

export const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/rules',
    summary: 'Create a rule',
    tag: 'rules',
    body: createRuleBody,
    ok: { status: 201, schema: ruleWire, description: 'Created (Location and ETag set)' },
    errors: [...WRITE, 409],
  },
  {
    method: 'get',
    path: '/rules',
    summary: 'List rules (filtered, paginated)',
    tag: 'rules',
    query: ruleListQuery,
    ok: { status: 200, schema: rulePageWire, description: 'A page of rules' },
    errors: [422],
  },
  {
    method: 'post',
    path: '/rules/disable',
    summary:
      'Disable every rule carrying a label, with one reason ("Ward 3 is closed this week"); each rule\'s history records it',
    tag: 'rules',
    body: labelSwitchBody,
    ok: { status: 200, schema: labelSwitchWire, description: 'The rules disabled by this request' },
    errors: WRITE,
  },
  {
    method: 'post',
    path: '/rules/enable',
    summary:
      "Enable every disabled rule carrying a label; each rule's history records it. Rules with nothing ahead to fire are skipped, saying why",
    tag: 'rules',
    body: labelSwitchBody,
    ok: { status: 200, schema: labelSwitchWire, description: 'The rules enabled by this request' },
    errors: WRITE,
  },
  {
    method: 'get',
    path: '/rules/{id}',
    summary: 'Get a rule with its next occurrences',
    tag: 'rules',
    params: ruleIdPath,
    query: ruleGetQuery,
    ok: { status: 200, schema: ruleDetailWire, description: 'The rule (ETag = version)' },
    errors: [404, 422],
  },
  {
    method: 'put',
    path: '/rules/{id}',
    summary: 'Replace a rule (an omitted schedule start keeps the stored one)',
    tag: 'rules',
    params: ruleIdPath,
    query: ruleEditQuery,
    body: replaceRuleBody,
    ifMatch: true,
    ok: {
      status: 200,
      schema: ruleEditWire,
      description:
        'The new state, and the occurrence overrides that followed a changed schedule or were removed (with dry_run=true: what would be, nothing saved)',
    },
    errors: [...WRITE, 404, 409],
  },
  {
    method: 'patch',
    path: '/rules/{id}',
    summary: 'Change some fields of a rule (the schedule as a JSON merge patch)',
    tag: 'rules',
    params: ruleIdPath,
    query: ruleEditQuery,
    body: patchRuleBody,
    ifMatch: true,
    ok: {
      status: 200,
      schema: ruleEditWire,
      description:
        'The new state, and the occurrence overrides that followed a changed schedule or were removed (with dry_run=true: what would be, nothing saved)',
    },
    errors: [...WRITE, 404, 409],
  },
  {
    method: 'delete',
    path: '/rules/{id}',
    summary: 'Delete a rule (its firing history is kept)',
    tag: 'rules',
    params: ruleIdPath,
    ifMatch: true,
    ok: { status: 204, description: 'Deleted' },
    alsoOk: {
      status: 200,
      schema: withdrawalWire,
      description: 'Deleted; tasks it had already sent to RMF (lead time) were asked to be cancelled',
    },
    errors: [404, 409, 422],
  },
  {
    method: 'post',
    path: '/rules/{id}/enable',
    summary: 'Enable a rule',
    tag: 'rules',
    params: ruleIdPath,
    body: enableBody,
    ifMatch: true,
    ok: { status: 200, schema: ruleWire, description: 'The new state' },
    errors: [...WRITE, 404, 409],
  },
  {
    method: 'post',
    path: '/rules/{id}/disable',
    summary: 'Disable a rule',
    tag: 'rules',
    params: ruleIdPath,
    body: disableBody,
    ifMatch: true,
    ok: { status: 200, schema: ruleWire, description: 'The new state' },
    errors: [...WRITE, 404, 409],
  },
  {
    method: 'post',
    path: '/rules/{id}/trigger',
    summary:
      'Fire a rule now, once, outside its schedule. A disabled rule is refused (409 RULE_DISABLED, naming why it was disabled) unless the body says {"force": true}; the rule\'s history records who triggered it and whether it was forced',
    tag: 'rules',
    params: ruleIdPath,
    body: triggerBody,
    ok: { status: 201, schema: firingWire, description: 'The recorded firing, with its outcome' },
    errors: [...WRITE, 404, 409],
  },
  {
    method: 'get',
    path: '/rules/{id}/history',
    summary:
      "A rule's history, newest first: every change to it or its occurrences, who made it (the token's user) and why. It stays readable after the rule is deleted (404 only for an id that never named a rule)",
    tag: 'rules',
    params: ruleIdPath,
    query: ruleHistoryQuery,
    ok: { status: 200, schema: ruleHistoryPageWire, description: 'A page of history entries, newest first' },
    errors: [404, 422],
  },
  {
    method: 'get',
    path: '/rules/{id}/occurrences',
    summary: 'Occurrences of one rule in a window',
    tag: 'occurrences',
    params: ruleIdPath,
    query: occurrenceWindowQuery,
    ok: { status: 200, schema: occurrenceListWire, description: 'Occurrences by instant' },
    errors: [404, 422],
  },
  {
    method: 'get',
    path: '/occurrences',
    summary: 'Calendar: occurrences of all rules in a window',
    tag: 'occurrences',
    query: calendarQuery,
    ok: { status: 200, schema: occurrenceListWire, description: 'Occurrences by instant' },
    errors: [422],
  },
  {
    method: 'get',
    path: '/occurrences/{id}',
    summary: 'One occurrence',
    tag: 'occurrences',
    params: occurrenceIdPath,
    ok: { status: 200, schema: occurrenceWire, description: 'The occurrence' },
    errors: [404, 422],
  },
  {
    method: 'patch',
    path: '/occurrences/{id}',
    summary: 'Enable, disable or move one occurrence',
    tag: 'occurrences',
    params: occurrenceIdPath,
    body: occurrencePatchBody,
    ok: { status: 200, schema: occurrenceWire, description: 'The occurrence' },
    errors: [...WRITE, 404],
  },
  {
    method: 'delete',
    path: '/occurrences/{id}',
    summary: 'Delete one occurrence',
    tag: 'occurrences',
    params: occurrenceIdPath,
    query: deleteOccurrenceQuery,
    ok: { status: 204, description: 'Deleted' },
    alsoOk: {
      status: 200,
      schema: withdrawalWire,
      description: 'Deleted; tasks it had already sent to RMF (lead time) were asked to be cancelled',
    },
    errors: [404, 422],
  },
  {
    method: 'post',
    path: '/schedules/preview',
    summary: 'Instants of a schedule in a window (nothing is stored)',
    tag: 'occurrences',
    body: previewBody,
    ok: { status: 200, schema: previewWire, description: 'UTC instants' },
    errors: WRITE,
  },
  {
    method: 'get',
    path: '/rules/{id}/firings',
    summary: 'Firing history of one rule',
    tag: 'firings',
    params: ruleIdPath,
    query: ruleFiringsQuery,
    ok: { status: 200, schema: firingPageWire, description: 'A page of firings' },
    errors: [422],
  },
  {
    method: 'get',
    path: '/firings',
    summary: 'Firing history',
    tag: 'firings',
    query: firingListQuery,
    ok: { status: 200, schema: firingPageWire, description: 'A page of firings' },
    errors: [422],
  },
  {
    method: 'get',
    path: '/firings/{id}',
    summary: 'One firing',
    tag: 'firings',
    params: firingIdPath,
    ok: { status: 200, schema: firingWire, description: 'The firing' },
    errors: [404, 422],
  },
  {
    method: 'get',
    path: '/health',
    summary: 'Health (never requires auth)',
    tag: 'service',
    ok: {
      status: 200,
      schema: healthWire,
      description: 'Healthy (503 with the same body when the store is down)',
    },
    errors: [503],
  },
  {
    method: 'get',
    path: '/replicas',
    summary:
      'The schedulers sharing the store, from their heartbeats: alive, overdue (claims taken over) or gone',
    tag: 'service',
    ok: { status: 200, schema: replicasWire, description: 'Every replica row, oldest first' },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text format)',
    tag: 'service',
    ok: { status: 200, description: 'Prometheus text exposition' },
    errors: [],
  },
  {
    method: 'get',
    path: '/console/config.json',
    summary: "The operator console's settings: how to sign in, the service's zone (never requires auth)",
    tag: 'console',
    ok: { status: 200, schema: consoleConfigWire, description: 'The console settings' },
    errors: [],
  },
  {
    method: 'get',
    path: '/events',
    summary:
      'Server-sent events (text/event-stream): rule.changed, rule.deleted, occurrences.changed (id: the ' +
      "store's change seq, resumable with Last-Event-ID on any replica), firing.recorded, firing.updated " +
      '(no id, not replayed: read GET /firings after a reconnect); data is the REST payload as JSON',
    tag: 'console',
    ok: { status: 200, description: 'An endless text/event-stream' },
    errors: [],
  },
  {
    method: 'get',
    path: '/me',
    summary: 'Who the token belongs to, and whether it may change anything',
    tag: 'console',
    ok: { status: 200, schema: meWire, description: 'The caller' },
    errors: [],
  },
];

/** Paths that never require a token. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/health', '/console/config.json']);
