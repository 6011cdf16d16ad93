/**
 * Schemas of path and query parameters. The same schemas validate requests and describe them in
 * the OpenAPI document. Query values arrive as strings; each schema turns them into typed values.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isValidTimeZone } from '../recurrence/localTime.js';
import type { CalendarCursor } from '../rules/Occurrence.js';
import { decodeCursor } from './calendarCursor.js';
import { FIRING_STATUSES } from './wireEnums.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instantMs(s: string): number | null {
  if (!INSTANT.test(s)) return null;
  try {
    const dt = DateTime.fromISO(s, { setZone: true });
    return dt.isValid ? dt.toMillis() : null;
  } catch {
    return null;
  }
}

/** An ISO-8601 instant with a zone (Z or ±hh:mm) → epoch ms. */
export const instantParam = z
  .string()
  .refine(
    (s) => instantMs(s) !== null,
    'must be an ISO-8601 instant with a zone, e.g. 2026-03-08T07:30:00.000Z',
  )
  .transform((s) => instantMs(s) as number)
  .meta({ format: 'date-time', example: '2026-03-08T07:30:00.000Z' });

const intParam = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const boolParam = z.enum(['true', 'false']).transform((s) => s === 'true');

export const ruleIdParam = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a rule id (UUID)',
  )
  .meta({ example: '6f0c2a52-6a57-4a57-9b6f-2f1f3c9b2a10' });

export const firingIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a firing id');

export const occurrenceIdParam = z.string().min(1).max(200).meta({
  description: '<rule id>@<UTC ISO instant>',
  example: '6f0c2a52-6a57-4a57-9b6f-2f1f3c9b2a10@2026-03-08T07:30:00.000Z',
});

export const ruleIdPath = z.strictObject({ id: ruleIdParam });
export const firingIdPath = z.strictObject({ id: firingIdParam });
export const occurrenceIdPath = z.strictObject({ id: occurrenceIdParam });

export const MAX_PAGE = 500;
export const MAX_OCCURRENCES = 10_000;

export const ruleListQuery = z.strictObject({
  enabled: boolParam.optional(),
  state: z.enum(['active', 'disabled', 'finished']).optional().meta({
    description:
      'active (enabled, an occurrence ahead), disabled, or finished (enabled, no occurrence ahead)',
  }),
  label: z.string().min(1).max(200).optional(),
  name: z.string().min(1).max(200).optional().meta({
    description: 'a substring of the name, ignoring case (any Unicode text; accents count)',
  }),
  next_due_before: instantParam.optional(),
  next_due_after: instantParam.optional(),
  sort: z.enum(['name', 'created_at', '-created_at', 'updated_at', '-updated_at', 'next_due_at']).optional(),
  limit: intParam(1, MAX_PAGE)
    .optional()
    .meta({ description: `page size, 1..${MAX_PAGE} (default 50)` }),
  offset: intParam(0, 1_000_000_000).optional(),
});

export const ruleEditQuery = z.strictObject({
  dry_run: boolParam.optional().meta({
    description:
      'true: answer what the edit would do (the rule as it would be, the overrides carried and removed) and save nothing',
  }),
});

export const ruleGetQuery = z.strictObject({
  upcoming: intParam(0, 100)
    .optional()
    .meta({ description: 'how many next occurrences to include (default 5)' }),
});

const cursorParam = z
  .string()
  .refine((s) => decodeCursor(s) !== null, 'must be a next_cursor this calendar answered')
  .transform((s) => decodeCursor(s) as CalendarCursor)
  .meta({
    description:
      'where to go on: the next_cursor of the previous page (same query); it skips and repeats nothing, even inside one instant shared by many rules',
  });

export const occurrenceWindowQuery = z.strictObject({
  from: instantParam.optional().meta({ description: 'window start (default: now)' }),
  to: instantParam.optional().meta({ description: 'window end, exclusive (default: from + 7 days)' }),
  limit: intParam(1, MAX_OCCURRENCES)
    .optional()
    .meta({ description: `1..${MAX_OCCURRENCES} (default 1000)` }),
  cursor: cursorParam.optional(),
});

const timezoneParam = z
  .string()
  .max(100)
  .refine((s) => isValidTimeZone(s), 'must be an IANA time zone, e.g. America/New_York')
  .meta({
    description: "present local times (at_local) in this zone, the site's, instead of each rule's own",
    example: 'America/New_York',
  });

export const calendarQuery = occurrenceWindowQuery.extend({
  timezone: timezoneParam.optional(),
  rule_id: ruleIdParam.optional(),
  label: z.string().min(1).max(200).optional(),
});

const statusList = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(FIRING_STATUSES)).min(1))
  .meta({ description: 'one status or several, comma-separated' });

export const firingListQuery = z.strictObject({
  status: statusList.optional(),
  rule_id: ruleIdParam.optional(),
  rmf_task_id: z.string().min(1).max(200).optional().meta({ description: 'the task id RMF gave the firing' }),
  rule_name: z.string().min(1).max(150).optional().meta({
    description: "the rule's name when it fired, exactly (finds the firings of a deleted or renamed rule)",
  }),
  from: instantParam.optional(),
  to: instantParam.optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: intParam(1, MAX_PAGE).optional(),
  offset: intParam(0, 1_000_000_000).optional(),
});

export const ruleFiringsQuery = firingListQuery.omit({ rule_id: true });

export const deleteOccurrenceQuery = z.strictObject({ reason: z.string().max(1000).optional() });

export const ruleHistoryQuery = z.strictObject({
  limit: intParam(1, MAX_PAGE)
    .optional()
    .meta({ description: `page size, 1..${MAX_PAGE} (default 50)` }),
  offset: intParam(0, 1_000_000_000).optional(),
});
