/**
 * Where a rule waits between occurrences: a compact entry in ONE binary heap keyed by dispatch
 * instant, with one clock timer for its head. An entry whose dispatch instant comes within the
 * activation horizon is handed to `activate` (which starts its actor), a chunk of entries per
 * event-loop turn so that thousands falling due together do not block the loop.
 *
 * Occurrences that fall due together are claimed earlier the more of them there are, so that
 * their claim transitions and the claim transaction are done by the instant (≈ 0.3 ms each under
 * load, see bench/README.md): the queue sets each popped entry's `claimAheadMs`.
 */
import { BinaryHeap } from './binaryHeap.js';
import type { Clock } from './ports.js';
import type { RuleEntry } from './ruleEntry.js';

/** Claim-ahead added per occurrence due in the same second (claim transition + row, under load). */
const CLAIM_COST_MS = 0.3;

export interface ActivationQueueOptions {
  clock: Clock;
  /** Activate an entry this long before its dispatch instant. */
  horizonMs: number;
  /** The usual claim-ahead, and the most a crowded instant may get. */
  claimAheadMs: number;
  maxClaimAheadMs: number;
  /** Entries activated per event-loop turn. */
  chunk: number;
  activate(entry: RuleEntry): void;
}

export interface ActivationQueue {
  /** Queue the entry for its `dispatchAt` (activated soon if that is within the horizon). */
  schedule(entry: RuleEntry): void;
  /** Take it out of the timer queue (an entry already handed over for activation stays so). */
  remove(entry: RuleEntry): void;
  /** Entries waiting, in the queue or for activation. */
  readonly size: number;
  stop(): void;
}

export function createActivationQueue(options: ActivationQueueOptions): ActivationQueue {
  const { clock, horizonMs, claimAheadMs, maxClaimAheadMs, chunk } = options;
  const queue = new BinaryHeap<RuleEntry>((a, b) => a.dispatchAt < b.dispatchAt);
  /** Entries due within the horizon, waiting for their actor. */
  let activations: RuleEntry[] = [];
  let activating = false;
  let timer: unknown = null;
  let timerAt = Infinity;
  let stopped = false;

  function rearm(): void {
    if (stopped) return;
    const head = queue.peek();
    if (head === undefined) {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
      return;
    }
    const wakeAt = head.dispatchAt - horizonMs;
    if (timer !== null && timerAt <= wakeAt) return;
    if (timer !== null) clock.clearTimeout(timer);
    timerAt = wakeAt;
    timer = clock.setTimeout(onTimer, Math.max(0, wakeAt - clock.now()));
  }

  function onTimer(): void {
    timer = null;
    timerAt = Infinity;
    const limit = clock.now() + horizonMs;
    const popped: RuleEntry[] = [];
    for (let head = queue.peek(); head !== undefined && head.dispatchAt <= limit; head = queue.peek()) {
      queue.pop();
      popped.push(head);
    }
    spreadClaimsAhead(popped);
    for (const entry of popped) {
      entry.queued = true;
      activations.push(entry);
    }
    scheduleActivation();
    rearm();
  }

  /** `entries` is in dispatch order; those within one second of the first share a claim-ahead. */
  function spreadClaimsAhead(entries: RuleEntry[]): void {
    for (let i = 0; i < entries.length;) {
      const first = (entries[i] as RuleEntry).dispatchAt;
      let j = i;
      while (j < entries.length && (entries[j] as RuleEntry).dispatchAt < first + 1_000) j++;
      const ahead = Math.min(claimAheadMs + (j - i) * CLAIM_COST_MS, maxClaimAheadMs);
      for (let k = i; k < j; k++) (entries[k] as RuleEntry).claimAheadMs = ahead;
      i = j;
    }
  }

  function scheduleActivation(): void {
    if (activating || activations.length === 0 || stopped) return;
    activating = true;
    setImmediate(activateChunk);
  }

  function activateChunk(): void {
    activating = false;
    const batch = activations.length <= chunk ? activations : activations.slice(0, chunk);
    activations = activations.length <= chunk ? [] : activations.slice(chunk);
    for (const entry of batch) {
      entry.queued = false;
      if (!stopped) options.activate(entry);
    }
    scheduleActivation();
  }

  return {
    schedule(entry) {
      queue.remove(entry);
      if (stopped) return;
      if (entry.dispatchAt - horizonMs <= clock.now()) {
        if (!entry.queued) {
          entry.queued = true;
          activations.push(entry);
          scheduleActivation();
        }
      } else {
        queue.push(entry);
        rearm();
      }
    },
    remove(entry) {
      queue.remove(entry);
      if (queue.size === 0) rearm();
    },
    get size() {
      return queue.size + activations.length;
    },
    stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
      queue.clear();
      activations = [];
    },
  };
}
