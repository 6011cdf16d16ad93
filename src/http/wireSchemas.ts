/**
 * The shapes of the responses, for the OpenAPI document (requests are described by the very
 * schemas that validate them). presenters.ts produces exactly these.
 */
import { z } from 'zod';
import { RULE_HISTORY_ACTIONS } from '../rules/RuleHistory.js';
import { FIRING_STATUSES } from './wireEnums.js';

const instant = z.string().meta({ format: 'date-time', example: '2026-03-08T07:30:00.000Z' });
const localInstant = z.string().meta({
  description: "The same instant as local ISO-8601 with its offset, in the rule's zone",
  example: '2026-03-08T03:30:00-04:00',
});
const dst = z.enum(['gap_shifted', 'first_of_two']).nullable().meta({
  description:
    'gap_shifted: its local time did not exist that day (spring forward), it fires shifted forward by the gap; first_of_two: its local time occurred twice (fall back), it fires at the first; null: neither',
});
const mergedTimes = z
  .array(z.string())
  .nullable()
  .meta({
    description:
      "Two of the schedule's times of day that land on this one instant (one shifted by a DST gap onto the other): one occurrence, fired once; else null",
    example: ['02:30:00', '03:30:00'],
  });

export const errorWire = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'INVALID_INPUT' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).meta({
        description: 'For INVALID_INPUT: field (the first offending field) and issues [{field, message}]',
      }),
    }),
  })
  .meta({ id: 'Error' });

export const cancellationWire = z
  .object({
    state: z.enum(['requested', 'canceled', 'failed']),
    at: instant,
    errors: z.array(z.string()).meta({ description: "Why RMF did not cancel it (RMF's errors, no answer)" }),
    reason: z.string().meta({ description: 'What the operator did, e.g. "the occurrence was disabled"' }),
    rmf_task_id: z.string(),
    by: z.enum(['dispatcher', 'fleet_adapter', 'simulated']).nullable(),
  })
  .meta({
    id: 'Cancellation',
    description:
      'A task sent to RMF ahead of time (lead time) that RMF was asked to cancel when the operator took it back',
  });

const cancellations = z
  .array(cancellationWire.extend({ firing_id: z.string() }))
  .meta({ description: 'Tasks already sent to RMF that this change asked RMF to cancel, with its answers' });

export const ruleWire = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    state: z.enum(['active', 'disabled', 'finished']).meta({
      description:
        'active: enabled, with an occurrence ahead; disabled: not enabled; finished: enabled but with no occurrence ahead (a once rule that fired, a series past its end, a count used up)',
    }),
    disabled_reason: z.string().nullable(),
    schedule: z.record(z.string(), z.unknown()).meta({ description: 'The normalized schedule (wire form)' }),
    task: z.record(z.string(), z.unknown()).meta({ description: 'The RMF task request spec, verbatim' }),
    metadata: z.record(z.string(), z.unknown()),
    labels: z.array(z.string()),
    lead_time_ms: z.number().int(),
    misfire: z.object({ policy: z.enum(['fire_once', 'skip']), grace_ms: z.number().int() }),
    retry: z.object({ max_attempts: z.number().int(), backoff_ms: z.number().int() }).nullable(),
    next_due_at: instant.nullable(),
    next_due_at_local: localInstant.nullable(),
    cancellations: cancellations.optional(),
    created_by: z.string().nullable(),
    created_at: instant,
    updated_at: instant,
    version: z.number().int(),
  })
  .meta({ id: 'Rule' });

export const ruleEditWire = ruleWire
  .extend({
    dry_run: z.boolean().meta({ description: 'true: what the edit would do; nothing was saved' }),
    overrides_carried: z
      .array(
        z.object({
          from: z.string().meta({ description: 'The occurrence id the override was on' }),
          to: z.string().meta({ description: "The new schedule's occurrence id it is on now" }),
          state: z.enum(['disabled', 'moved', 'deleted']),
        }),
      )
      .meta({
        description:
          'Overrides (disabled, moved, deleted occurrences) that followed the new schedule to its occurrence on the same local date at the same position (1st, 2nd, …); a moved one keeps its new time. Those whose occurrence kept its instant are not listed.',
      }),
    overrides_removed: z
      .array(
        z.object({
          occurrence_id: z.string(),
          state: z.enum(['disabled', 'moved', 'deleted']),
          reason: z.string().nullable().meta({ description: "The operator's reason for the override" }),
          removed_because: z.string().meta({ description: 'Why the new schedule has no place for it' }),
        }),
      )
      .meta({
        description:
          'Overrides whose local date has no occurrence at that position in the new schedule: removed for good (an edit back does not bring them back).',
      }),
  })
  .meta({ id: 'RuleEdit' });

export const occurrenceWire = z
  .object({
    id: z.string().meta({ description: '<rule id>@<original UTC instant>' }),
    rule_id: z.string(),
    rule_name: z.string(),
    original_at: instant,
    at: instant,
    at_local: localInstant.meta({
      description:
        "at as local ISO-8601 with its offset, in the rule's zone (a calendar's timezone query: in that zone)",
    }),
    dst,
    merged_times: mergedTimes,
    state: z.string().meta({
      description: 'scheduled | disabled | deleted | moved, or the status of its firing',
    }),
    reason: z.string().nullable().meta({
      description: "Why it is disabled, deleted or moved: the operator's reason, or the except date it is on",
    }),
    updated_by: z.string().nullable().optional().meta({
      description:
        "Present when the occurrence has an override (disabled, deleted, moved): who made it (the token's user; null without auth)",
    }),
    updated_at: instant
      .optional()
      .meta({ description: 'Present with updated_by: when the override was made' }),
    firing_id: z.string().nullable(),
    rmf_task_id: z.string().nullable(),
    cancellations: cancellations.optional(),
  })
  .meta({ id: 'Occurrence' });

export const withdrawalWire = z.object({ cancellations }).meta({
  id: 'Withdrawal',
  description: 'Deleted; its tasks already sent to RMF were asked to be cancelled',
});

export const ruleDetailWire = ruleWire
  .extend({ upcoming: z.array(occurrenceWire) })
  .meta({ id: 'RuleDetail' });

export const firingWire = z
  .object({
    id: z.string(),
    rule_id: z.string(),
    due_at: instant,
    due_at_local: localInstant.nullable().meta({
      description:
        "due_at as local ISO-8601 with its offset in the rule's zone (null once the rule is deleted)",
    }),
    fire_at: instant,
    rule_name: z.string().nullable().meta({
      description: "The rule's name when it fired (kept after the rule is renamed or deleted)",
    }),
    trigger: z.enum(['schedule', 'manual']),
    triggered_by: z.string().nullable().meta({
      description: "Who triggered it by hand (the token's user); null for scheduled firings and without auth",
    }),
    status: z.enum(FIRING_STATUSES),
    request_id: z.string().nullable(),
    rmf_task_id: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    claimed_at: instant.nullable(),
    published_at: instant.nullable(),
    responded_at: instant.nullable(),
    replica_id: z.string().nullable(),
    request: z.unknown().meta({ description: 'The ApiRequest json_msg sent' }),
    response: z.unknown().meta({ description: "RMF's answer" }),
    task_state: z.unknown(),
    cancel: cancellationWire.nullable(),
    dispatch: z
      .object({
        status: z.enum(['queued', 'selected', 'dispatched', 'failed_to_assign', 'canceled_in_flight']),
        fleet: z.string().nullable(),
        robot: z.string().nullable(),
        errors: z.array(z.string()),
        at: instant,
      })
      .nullable()
      .meta({
        description: "What RMF's dispatcher did with the task (dispatch_states): the fleet it went to",
      }),
  })
  .meta({ id: 'Firing' });

const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      truncated: z.boolean().meta({ description: 'true when the limit cut the list: more items follow' }),
      next_offset: z
        .number()
        .int()
        .nullable()
        .meta({ description: 'when truncated: the offset of the next page' }),
    })
    .meta({ id });

export const ruleHistoryEntryWire = z
  .object({
    at: instant,
    actor: z
      .string()
      .nullable()
      .meta({ description: "The token's user (preferred_username, else sub); null without auth" }),
    action: z.enum(RULE_HISTORY_ACTIONS),
    reason: z.string().nullable().meta({ description: 'The reason given with the change, if any' }),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).meta({
      description:
        'For rule edits (updated, replaced, enabled, disabled): each field that changed, by its wire name, before and after; else {}',
      example: {
        schedule: {
          before: { kind: 'daily', times: ['02:30:00'] },
          after: { kind: 'daily', times: ['03:00:00'] },
        },
      },
    }),
    details: z.record(z.string(), z.unknown()).meta({
      description:
        'What else the entry says: name (created, deleted), occurrence_id and moved_to (occurrence_*), firing_id and forced (triggered), the overrides carried or removed by an edit; else {}',
    }),
  })
  .meta({ id: 'RuleHistoryEntry' });

export const labelSwitchWire = z
  .object({
    label: z.string(),
    items: z.array(ruleWire).meta({ description: 'The rules this request changed (in id order)' }),
    skipped: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })).meta({
      description:
        'Rules with the label left as they were, and why (e.g. NEVER_FIRES: nothing ahead to enable)',
    }),
  })
  .meta({ id: 'LabelSwitch' });

export const rulePageWire = page(ruleWire, 'RulePage');
export const ruleHistoryPageWire = page(ruleHistoryEntryWire, 'RuleHistoryPage');
export const firingPageWire = page(firingWire, 'FiringPage');

export const occurrenceListWire = z
  .object({
    items: z.array(occurrenceWire),
    from: instant,
    to: instant,
    truncated: z
      .boolean()
      .meta({ description: 'true when the limit cut the window: more occurrences follow' }),
    next_cursor: z.string().nullable().meta({
      description:
        'when truncated: pass it as cursor (with the same query) for the next page, which starts right after the last item of this one',
    }),
  })
  .meta({ id: 'OccurrenceList' });

export const scheduleInstantWire = z
  .object({ at: instant, at_local: localInstant, dst, merged_times: mergedTimes })
  .meta({ id: 'ScheduleInstant' });

export const previewWire = z
  .object({
    items: z.array(scheduleInstantWire),
    timezone: z.string().meta({ description: "The schedule's zone (given, or the default)" }),
    from: instant,
    to: instant,
    truncated: z.boolean().meta({ description: 'true when the limit cut the window' }),
    next_from: instant
      .nullable()
      .meta({ description: 'when truncated: the first instant left out (the from of the next page)' }),
  })
  .meta({ id: 'Preview' });

export const healthWire = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    store: z.object({
      ok: z.boolean(),
      dialect: z.string(),
      error: z.string().optional(),
      pending_claims: z.number().int().meta({
        description:
          'Occurrences whose claim waits for the store to come back (tried again, with the same request id, until it does; nothing is published before its claim is durable)',
      }),
      unwritten_outcomes: z.number().int().meta({
        description: 'Firing outcomes and history rows kept in memory until the store takes them again',
      }),
    }),
    rmf: z.object({ transport: z.enum(['ros', 'simulated']), simulated: z.boolean() }),
    rules: z.object({ total: z.number().int(), enabled: z.number().int(), armed: z.number().int() }),
    replica_id: z.string(),
    replicas: z
      .object({ alive: z.number().int() })
      .nullable()
      .meta({ description: 'Replicas sharing the store whose heartbeat is not overdue, this one included' }),
    clock_skew_ms: z.number().int().nullable().meta({
      description: "This machine's clock minus the database's at the last heartbeat (warned beyond 500 ms)",
    }),
    started_at: instant,
    now: instant,
    warnings: z.array(z.string()),
  })
  .meta({ id: 'Health' });

export const replicaWire = z
  .object({
    id: z.string(),
    host: z.string(),
    pid: z.number().int(),
    version: z.string(),
    state: z.enum(['alive', 'overdue', 'gone']).meta({
      description:
        'alive: heard from within replica_overdue_ms; overdue: silent longer (its claims are taken over); gone: stopped cleanly',
    }),
    started_at: instant,
    last_seen_at: instant.meta({ description: "The last heartbeat, by the database's clock" }),
    silent_ms: z.number().int().meta({ description: 'Milliseconds since the last heartbeat' }),
    heartbeat_interval_ms: z.number().int(),
  })
  .meta({ id: 'Replica' });

export const replicasWire = z.object({ items: z.array(replicaWire) }).meta({ id: 'Replicas' });
