/** A rule's history entries → wire JSON: wire field names and values, like presentRule's. */
import type { Misfire, RetryPolicy } from '../rules/Rule.js';
import type { RuleHistoryEntry } from '../rules/RuleHistory.js';
import type { Schedule } from '../rules/Schedule.js';
import { scheduleToWire } from '../rules/schedules.js';
import { iso } from './presenters.js';

type Field = { wire: string; value?: (v: unknown) => unknown };

/** Domain field → its wire name and form (fields absent here keep their name and value). */
const FIELDS: Record<string, Field> = {
  disabledReason: { wire: 'disabled_reason' },
  schedule: { wire: 'schedule', value: (v) => (v === null ? null : scheduleToWire(v as Schedule)) },
  leadTimeMs: { wire: 'lead_time_ms' },
  misfire: {
    wire: 'misfire',
    value: (v) => {
      const m = v as Misfire | null;
      return m === null ? null : { policy: m.policy, grace_ms: m.graceMs };
    },
  },
  retry: {
    wire: 'retry',
    value: (v) => {
      const r = v as RetryPolicy | null;
      return r === null ? null : { max_attempts: r.maxAttempts, backoff_ms: r.backoffMs };
    },
  },
};

export function presentHistoryEntry(e: RuleHistoryEntry): Record<string, unknown> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [field, change] of Object.entries(e.changes ?? {})) {
    const f = FIELDS[field] ?? { wire: field };
    const value = f.value ?? ((v: unknown) => v);
    changes[f.wire] = { before: value(change.before ?? null), after: value(change.after ?? null) };
  }
  return {
    at: iso(e.at),
    actor: e.actor,
    action: e.action,
    reason: e.reason,
    changes,
    details: e.details ?? {},
  };
}
