/**
 * Replica sync: follows the store's rule change log (`changesSince`) every interval on the injected
 * clock and tells this process's engine about changes other processes made. Changes this process
 * made itself are recognised (rule versions it wrote, deletes and override edits it noted just
 * before writing) and not re-applied. Store errors are logged and retried at the next tick.
 */
import type { Rule } from '../rules/Rule.js';
import type { Logger } from '../log.js';
import type { Engine } from './Engine.js';
import type { Clock, RuleChange, RuleRepository } from './ports.js';

const PAGE = 500;
/** A noted own override edit not seen in the change log within this long is forgotten. */
const MARK_TTL_MS = 10 * 60_000;

/** What this process wrote, so the follower can tell its own changes from other replicas'. */
export class OwnChanges {
  private readonly versions = new Map<string, number>();
  private readonly deletes = new Map<string, number>();
  private readonly overrides = new Map<string, number[]>();
  tracking = false;

  constructor(private readonly clock: Clock) {}

  wrote(rule: Rule): void {
    if (!this.tracking) return;
    const known = this.versions.get(rule.id) ?? 0;
    if (rule.version > known) this.versions.set(rule.id, rule.version);
  }

  /** Call before deleting; returns an undo for when the delete fails. */
  deleting(id: string): () => void {
    if (!this.tracking) return () => {};
    this.deletes.set(id, this.clock.now());
    return () => this.deletes.delete(id);
  }

  /** Call before writing an override; returns an undo for when the write fails. */
  overriding(id: string): () => void {
    if (!this.tracking) return () => {};
    const at = this.clock.now();
    const marks = this.overrides.get(id) ?? [];
    marks.push(at);
    this.overrides.set(id, marks);
    return () => {
      const i = marks.indexOf(at);
      if (i >= 0) marks.splice(i, 1);
    };
  }

  /** Is this change one this process made? Consumes the mark. */
  isOwn(change: RuleChange, current: Rule | undefined): boolean {
    const id = change.ruleId;
    if (change.kind === 'delete') {
      const own = this.deletes.has(id);
      this.deletes.delete(id);
      this.versions.delete(id);
      return own;
    }
    if (change.kind === 'override') {
      const now = this.clock.now();
      const marks = (this.overrides.get(id) ?? []).filter((t) => now - t < MARK_TTL_MS);
      const own = marks.length > 0;
      marks.shift();
      if (marks.length > 0) this.overrides.set(id, marks);
      else this.overrides.delete(id);
      return own;
    }
    if (current === undefined) return true; // deleted since: its delete change follows
    const own = (this.versions.get(id) ?? 0) >= current.version;
    this.versions.set(id, Math.max(current.version, this.versions.get(id) ?? 0));
    return own;
  }
}

export interface ChangeFollowerDeps {
  rules: RuleRepository;
  engine: Pick<Engine, 'refresh' | 'remove'>;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  own: OwnChanges;
  onChanged(ruleIds: string[]): void;
}

export interface ChangeFollower {
  /** Follow changes after `fromSeq` (default: the newest change when starting). */
  start(fromSeq?: number): void;
  stop(): Promise<void>;
  /** Resolves when the poll in progress (if any) has finished. */
  idle(): Promise<void>;
}

export function createChangeFollower(deps: ChangeFollowerDeps): ChangeFollower {
  const { rules, engine, clock, logger, own } = deps;
  let cursor: number | null = null;
  let running = false;
  let timer: unknown = null;
  let current: Promise<void> = Promise.resolve();

  async function poll(): Promise<void> {
    if (cursor === null) {
      cursor = await rules.latestChangeSeq();
      return;
    }
    const touched = new Set<string>();
    for (;;) {
      const changes = await rules.changesSince(cursor, PAGE);
      if (changes.length === 0) break;
      const upserted = [...new Set(changes.filter((c) => c.kind === 'upsert').map((c) => c.ruleId))];
      const fresh = new Map((await rules.getMany(upserted)).map((r) => [r.id, r]));
      const applied = new Set<string>();
      for (const change of changes) {
        const rule = fresh.get(change.ruleId);
        if (own.isOwn(change, rule)) continue;
        if (change.kind === 'delete') engine.remove(change.ruleId);
        else if (!applied.has(change.ruleId)) await engine.refresh(rule ?? change.ruleId);
        applied.add(change.ruleId);
        touched.add(change.ruleId);
      }
      cursor = changes[changes.length - 1]!.seq;
      if (changes.length < PAGE) break;
    }
    if (touched.size > 0) deps.onChanged([...touched]);
  }

  function arm(): void {
    if (!running) return;
    timer = clock.setTimeout(() => {
      timer = null;
      current = poll()
        .catch((error: unknown) => {
          logger.warn('rule sync failed; retrying at the next tick', {
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(arm);
    }, deps.intervalMs);
  }

  return {
    start(fromSeq) {
      if (running) return;
      running = true;
      if (fromSeq !== undefined) cursor = fromSeq;
      own.tracking = true;
      current = poll().catch((error: unknown) => {
        logger.warn('rule sync could not read the change log; retrying at the next tick', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
      void current.finally(arm);
    },
    async stop() {
      running = false;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      await current;
    },
    idle: () => current,
  };
}
