/**
 * Reads of one rule with its overrides (GET /rules/{id}), kept in memory and checked against the
 * store's change feed before every use.
 *
 * Every mutation of a rule or of its overrides appends to the change feed in its own transaction,
 * and the feed's counter is bumped in commit order. Before a read is answered, the counter is read
 * by a check that began after the read did: if it moved, the rules named by the new changes are
 * dropped. So a read answered from memory reflects every change committed before it began, made
 * by this process or by any other replica, exactly as a read from the store would.
 *
 * The check is shared: reads that arrive while one is running wait for the next, which serves all
 * of them. Under load, one small read of the counter stands in for many full reads of a rule.
 */
import type { OccurrenceOverride } from '../rules/Occurrence.js';
import type { Rule } from '../rules/Rule.js';
import type { RuleRepository, RuleWithOverrides } from './ports.js';

/** More changes than this since the last check: drop everything rather than read them all. */
const MAX_CHANGES_READ = 500;
export const DEFAULT_RULE_READ_CAPACITY = 4_096;

interface Entry {
  rule: Rule;
  /** The overrides as read with `from` (those at or after it, or moved to at or after it). */
  overrides: OccurrenceOverride[];
  from: number;
}

export interface RuleReadCacheStats {
  hits: number;
  misses: number;
  checks: number;
  size: number;
}

export interface RuleReadCache {
  /** As RuleRepository.getWithOverrides, current as of the moment of the call. */
  getWithOverrides(id: string, from: number): Promise<RuleWithOverrides>;
  stats(): RuleReadCacheStats;
}

const inWindow = (o: OccurrenceOverride, from: number): boolean =>
  o.occurrenceAt >= from || (o.movedTo !== null && o.movedTo >= from);

export function createRuleReadCache(
  rules: Pick<RuleRepository, 'getWithOverrides' | 'latestChangeSeq' | 'changesSince'>,
  capacity = DEFAULT_RULE_READ_CAPACITY,
): RuleReadCache {
  /** Least recently used first. */
  const entries = new Map<string, Entry>();
  /** The change seq the entries are known to be current with (null before the first check). */
  let seenSeq: number | null = null;
  /** Bumped whenever entries are dropped: a read that spans a bump does not keep what it read. */
  let generation = 0;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const counts = { hits: 0, misses: 0, checks: 0 };

  /** Keeps (or touches) an entry as the most recently read, within capacity. */
  function keep(id: string, entry: Entry): void {
    entries.delete(id);
    entries.set(id, entry);
    if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
  }

  function dropAll(): void {
    entries.clear();
    generation++;
  }

  async function check(): Promise<void> {
    counts.checks++;
    const seq = await rules.latestChangeSeq();
    if (seenSeq === seq) return;
    if (seenSeq === null || seq < seenSeq || seq - seenSeq > MAX_CHANGES_READ) {
      // The first check, a feed that went back (a restored store), or too much to read one by one.
      dropAll();
      seenSeq = seq;
      return;
    }
    // A read in progress may have read a rule before one of these changes: it must not keep it.
    generation++;
    if (entries.size === 0) {
      seenSeq = seq;
      return;
    }
    const changes = await rules.changesSince(seenSeq, MAX_CHANGES_READ);
    if (changes.length === MAX_CHANGES_READ) dropAll();
    else for (const change of changes) entries.delete(change.ruleId);
    seenSeq = Math.max(seq, changes.at(-1)?.seq ?? seq);
  }

  function start(): Promise<void> {
    const started = check().finally(() => {
      if (running === started) running = null;
    });
    running = started;
    return started;
  }

  /** Resolves once a check that began after this call has finished. */
  function current(): Promise<void> {
    if (running === null) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  }

  return {
    async getWithOverrides(id, from) {
      await current();
      const hit = entries.get(id);
      if (hit !== undefined && hit.from <= from) {
        counts.hits++;
        keep(id, hit);
        return { rule: hit.rule, overrides: hit.overrides.filter((o) => inWindow(o, from)) };
      }
      counts.misses++;
      const readIn = generation;
      const read = await rules.getWithOverrides(id, from);
      if (generation === readIn) keep(id, { rule: read.rule, overrides: read.overrides, from });
      return { rule: read.rule, overrides: [...read.overrides] };
    },
    stats: () => ({ ...counts, size: entries.size }),
  };
}
