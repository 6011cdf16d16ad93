/**
 * The wire (snake_case) bodies of rule and occurrence commands, as zod schemas. They are the single
 * source of truth: adapters validate with them and the OpenAPI document is generated from them.
 * The converters turn a validated body into the camelCase values the Scheduler facade takes.
 */
import { z } from 'zod';
import { taskSpecSchema } from '../rmf/taskSpecSchema.js';
import { issueMessage } from '../rmf/zodIssues.js';
import { DomainError, type FieldIssue } from './errors.js';
import type { RuleInput, RulePatch } from './RuleInput.js';
import { scheduleWireSchema } from './schedules.js';
import { unknownScheduleKey } from './scheduleWireSchema.js';

const DAY_MS = 86_400_000;
const MAX_LEAD_MS = 7 * DAY_MS;
const MAX_METADATA_BYTES = 64 * 1024;
const CONTROL = /[\u0000-\u001f\u007f]/;

const noControl = (s: string): boolean => !CONTROL.test(s);

export const ruleNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(150)
  .refine(noControl, { message: 'must not contain control characters' })
  .describe('Unique name of the rule, 1–150 characters (trimmed).');

export const labelSchema = z
  .string()
  .min(1)
  .max(100)
  .refine(noControl, { message: 'must not contain control characters' })
  .refine((s) => !s.includes(','), { message: 'must not contain commas' })
  .describe('A label, 1–100 characters, no commas.');

export const metadataSchema = z
  .record(z.string(), z.unknown())
  .refine((m) => new TextEncoder().encode(JSON.stringify(m)).length <= MAX_METADATA_BYTES, {
    message: `must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
  })
  .describe('Free JSON object kept with the rule (at most 64 KiB as JSON).');

export const misfireSchema = z
  .strictObject({
    policy: z
      .enum(['fire_once', 'skip'])
      .optional()
      .describe('fire_once: fire the newest missed occurrence once if within grace_ms; skip: never.'),
    grace_ms: z.number().int().min(0).max(MAX_LEAD_MS).optional().describe('Grace window in ms (≤ 7 days).'),
  })
  .describe('What to do with occurrences missed while the service was down. Default: the service setting.');

export const retrySchema = z
  .strictObject({
    max_attempts: z.number().int().min(2).max(10).describe('Total attempts including the first (2–10).'),
    backoff_ms: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .describe('Delay before the 2nd attempt in ms (100 ms – 1 h); doubles each further attempt.'),
  })
  .describe('Retries of a failed or timed-out dispatch; null = none (default).');

const ruleFields = {
  name: ruleNameSchema,
  description: z.string().max(10_000).optional().describe('Free text, at most 10,000 characters.'),
  enabled: z.boolean().optional().describe('Default true on create; a replace keeps the current state.'),
  schedule: scheduleWireSchema,
  task: taskSpecSchema,
  metadata: metadataSchema.optional(),
  labels: z.array(labelSchema).max(50).optional().describe('At most 50 labels.'),
  lead_time_ms: z
    .number()
    .int()
    .min(0)
    .max(MAX_LEAD_MS)
    .optional()
    .describe('Send the task to RMF this long before each occurrence (ms, ≤ 7 days; default 0).'),
  misfire: misfireSchema.optional(),
  retry: retrySchema.nullable().optional(),
};

const versionSchema = z
  .number()
  .int()
  .min(1)
  .describe('The version the change was based on (optimistic concurrency; also If-Match).');

/** PATCH's schedule: a JSON merge patch of the stored one (validated once merged). */
export const schedulePatchSchema = z
  .record(z.string(), z.unknown(), { error: 'must be an object (a merge patch of the schedule)' })
  .describe(
    'A JSON merge patch (RFC 7386) of the stored schedule: the fields it names replace the stored ones, ' +
      "`null` removes one (a removed start is the rule's creation instant again), the others are kept " +
      '(start, and with it the phase of every-N and the count already used). A patch naming another ' +
      '`kind` replaces the schedule but keeps its timezone, start, end, count and except_dates. The merged ' +
      'schedule is validated as a whole. When the schedule changes, each pending override of an occurrence ' +
      "(disabled, moved, deleted) follows it to the new schedule's occurrence on the same local date at " +
      'the same position (1st, 2nd, …); one with no such occurrence is removed for good.',
  );

export const createRuleBody = z.strictObject(ruleFields);
export const replaceRuleBody = z.strictObject({ ...ruleFields, version: versionSchema.optional() });
export const patchRuleBody = z.strictObject({
  name: ruleFields.name.optional(),
  description: ruleFields.description,
  enabled: ruleFields.enabled,
  schedule: schedulePatchSchema.optional(),
  task: taskSpecSchema.optional(),
  metadata: ruleFields.metadata,
  labels: ruleFields.labels,
  lead_time_ms: ruleFields.lead_time_ms,
  misfire: ruleFields.misfire,
  retry: ruleFields.retry,
  disabled_reason: z.string().max(1000).nullable().optional().describe('Why the rule is disabled.'),
  version: versionSchema.optional(),
});

/** A UTC ISO-8601 instant ("2026-03-08T07:30:00.000Z"; the Z is required). */
export const utcInstantSchema = z.iso.datetime();

export const occurrencePatchBody = z
  .strictObject({
    enabled: z.boolean().optional(),
    at: utcInstantSchema.optional(),
    reason: z.string().max(1000).nullable().optional(),
  })
  .refine((b) => b.enabled !== undefined || b.at !== undefined, {
    message: 'give enabled or at',
    path: ['enabled'],
  })
  .refine((b) => !(b.enabled === false && b.at !== undefined), {
    message: 'cannot move and disable an occurrence at once',
    path: ['at'],
  });

export const MAX_PREVIEW = 10_000;

export const previewBody = z.strictObject({
  schedule: scheduleWireSchema,
  from: utcInstantSchema,
  to: utcInstantSchema,
  limit: z.number().int().min(1).max(MAX_PREVIEW).optional(),
});

export type CreateRuleBody = z.output<typeof createRuleBody>;
export type ReplaceRuleBody = z.output<typeof replaceRuleBody>;
export type PatchRuleBody = z.output<typeof patchRuleBody>;
export type OccurrencePatchBody = z.output<typeof occurrencePatchBody>;
export type PreviewBody = z.output<typeof previewBody>;

const misfireIn = (m: z.output<typeof misfireSchema>): NonNullable<RuleInput['misfire']> => ({
  ...(m.policy !== undefined ? { policy: m.policy } : {}),
  ...(m.grace_ms !== undefined ? { graceMs: m.grace_ms } : {}),
});

const retryIn = (r: z.output<typeof retrySchema> | null): RuleInput['retry'] =>
  r === null ? null : { maxAttempts: r.max_attempts, backoffMs: r.backoff_ms };

/** A validated create/replace body → RuleInput (absent fields stay absent: the facade defaults them). */
export function toRuleInput(body: CreateRuleBody | ReplaceRuleBody): RuleInput {
  return { ...toRulePatch(body), name: body.name, schedule: body.schedule, task: body.task };
}

/** A validated patch body → RulePatch (only the given fields). */
export function toRulePatch(body: PatchRuleBody): RulePatch {
  const patch: RulePatch = {};
  if (body.name !== undefined) patch.name = body.name;
  if (body.description !== undefined) patch.description = body.description;
  if (body.enabled !== undefined) patch.enabled = body.enabled;
  if (body.schedule !== undefined) patch.schedule = body.schedule;
  if (body.task !== undefined) patch.task = body.task;
  if (body.metadata !== undefined) patch.metadata = body.metadata;
  if (body.labels !== undefined) patch.labels = body.labels;
  if (body.lead_time_ms !== undefined) patch.leadTimeMs = body.lead_time_ms;
  if (body.misfire !== undefined) patch.misfire = misfireIn(body.misfire);
  if (body.retry !== undefined) patch.retry = retryIn(body.retry);
  if (body.disabled_reason !== undefined) patch.disabledReason = body.disabled_reason;
  return patch;
}

/** A validated occurrence patch → the facade's OccurrenceChange shape (instants as epoch ms). */
export function toOccurrenceChange(body: OccurrencePatchBody): {
  enabled?: boolean;
  at?: number;
  reason?: string | null;
} {
  return {
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    ...(body.at !== undefined ? { at: Date.parse(body.at) } : {}),
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
  };
}

/** A validated preview body → the facade's preview arguments (instants as epoch ms; limit default 1,000). */
export function toPreviewArgs(body: PreviewBody): {
  schedule: unknown;
  from: number;
  to: number;
  limit: number;
} {
  return {
    schedule: body.schedule,
    from: Date.parse(body.from),
    to: Date.parse(body.to),
    limit: body.limit ?? 1_000,
  };
}

/** A zod path as the wire names it: dots for keys, brackets for indexes ("schedule.times[1]"). */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix?: string): string {
  let out = prefix ?? '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Zod's issues → one INVALID_INPUT DomainError naming every offending field. */
export function zodIssuesToDomainError(error: z.ZodError, prefix?: string): DomainError {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const inSchedule = issue.path[0] === 'schedule';
        const message = (inSchedule ? unknownScheduleKey(issue.path, key) : null) ?? 'unknown field';
        issues.push({ field: formatPath(path, prefix), message });
      }
      continue;
    }
    issues.push({ field: formatPath(issue.path, prefix) || (prefix ?? 'body'), message: issue.message });
  }
  if (issues.length === 0) issues.push({ field: prefix ?? 'body', message: 'invalid' });
  return DomainError.invalid(issues);
}

/**
 * Parse `input` with `schema` or throw the INVALID_INPUT DomainError naming the fields (with the
 * same operator-facing messages as task validation).
 */
export function parseWire<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input, { error: issueMessage });
  if (!result.success) throw zodIssuesToDomainError(result.error, prefix);
  return result.data;
}
