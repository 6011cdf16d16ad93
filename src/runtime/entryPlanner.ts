/**
 * The next firing of a passive rule entry, from its cursor (firings up to the cursor are
 * settled). Firings already late beyond the caller's `now` follow the misfire policy: each gets
 * a `missed` history row (returned, for the caller to write), or one is fired late (fire_once
 * within its grace window).
 */
import type { Logger } from '../log.js';
import { type PlannedFiring, indexOverrides, nextFiring } from './occurrenceSequence.js';
import type { HistoryRecord, SchedulingEntry, Store } from './ports.js';
import { planResume } from './resume.js';
import { type RuleEntry, entryFromScheduling } from './ruleEntry.js';

const iso = (t: number) => new Date(t).toISOString();

export interface EntryPlanner {
  /** Set entry.next (and lateAccepted, cursor); returns the missed rows to write. */
  plan(entry: RuleEntry, now: number): HistoryRecord[];
}

export function createEntryPlanner(deps: { logger: Logger; replicaId: string }): EntryPlanner {
  function missedRecord(ruleId: string, m: PlannedFiring, now: number): HistoryRecord {
    return {
      ruleId,
      dueAt: m.dueAt,
      fireAt: m.fireAt,
      trigger: 'schedule',
      status: 'missed',
      error: `missed: the scheduler was not running (or not awake) at ${iso(m.fireAt)}; the misfire policy did not fire it`,
      replicaId: deps.replicaId,
      recordedAt: now,
    };
  }

  return {
    plan(entry, now) {
      entry.lateAccepted = false;
      if (!entry.enabled) {
        entry.next = null;
        return [];
      }
      const seq = (after: number) => nextFiring(entry.schedule, entry.overrides, after);
      const resume = planResume(seq, entry.cursor, now, entry.misfire);
      const missed = resume.missed.map((m) => missedRecord(entry.id, m, now));
      if (resume.notListed > 0) {
        deps.logger.warn('many occurrences missed; only the first ones get a history row each', {
          ruleId: entry.id,
          recorded: resume.missed.length,
          notListed: resume.notListed,
        });
      }
      const last = resume.missed[resume.missed.length - 1];
      if (last !== undefined) entry.cursor = Math.max(entry.cursor, last.fireAt);
      if (resume.fireNow !== null) {
        entry.next = resume.fireNow;
        entry.lateAccepted = true;
      } else {
        entry.next = resume.next;
      }
      return missed;
    },
  };
}

/**
 * Where a stored rule's cursor starts: its newest fired (or missed) occurrence, or its creation
 * (nothing before a rule existed is due).
 */
export function startCursor(row: SchedulingEntry, now: number): number {
  const created = Number.isFinite(row.createdAt) ? row.createdAt - 1 : null;
  if (created === null) return row.lastDueAt ?? now - 1;
  return Math.max(row.lastDueAt ?? -Infinity, created);
}

const DAY = 86_400_000;
const MAX_INSTANT = 8_640_000_000_000_000;

/**
 * Every stored rule as an entry with its next firing planned at `now`, its overrides indexed (a
 * year back at most), and the missed rows of what fell due while nothing ran.
 */
export async function loadRuleEntries(
  store: Store,
  planner: EntryPlanner,
  now: number,
  toleranceMs: number,
): Promise<{ entries: RuleEntry[]; missed: HistoryRecord[] }> {
  const rows = await store.rules.loadSchedulingEntries();
  const from = rows.reduce(
    (min, r) => (r.enabled ? Math.min(min, startCursor(r, now)) : min),
    now - toleranceMs,
  );
  const overrides = await store.overrides.listInWindow(Math.max(from, now - 366 * DAY), MAX_INSTANT);
  const byRule = new Map<string, typeof overrides>();
  for (const o of overrides) {
    const list = byRule.get(o.ruleId);
    if (list === undefined) byRule.set(o.ruleId, [o]);
    else list.push(o);
  }
  const entries: RuleEntry[] = [];
  const missed: HistoryRecord[] = [];
  for (const row of rows) {
    const entry = entryFromScheduling(row, indexOverrides(byRule.get(row.id) ?? []), startCursor(row, now));
    entries.push(entry);
    for (const record of planner.plan(entry, now)) missed.push(record);
  }
  return { entries, missed };
}
