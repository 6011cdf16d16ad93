/**
 * Claimed occurrences waiting for their dispatch instant, on ONE clock timer for the earliest.
 * When it fires, every request that is due goes out in one tight loop (each was built when its
 * claim committed, so publishing is setting the request time and writing the JSON), and only
 * then are the rule actors told. Their state-machine transitions (tens of microseconds each)
 * therefore never stand between one publish and the next: a burst of thousands due at the same
 * instant leaves as fast as the transport takes them.
 *
 * Nothing runs between a request's `ready` check and its publish, or between the publishes and
 * the notifications (one synchronous callback), so an occurrence cancelled before its instant is
 * never published, and one published is always recorded by its actor.
 */
import { BinaryHeap, type HeapNode } from './binaryHeap.js';
import type { Clock } from './ports.js';

export interface LaunchPadOptions<A, R> {
  clock: Clock;
  /** Still waiting for its launch (not cancelled, not stopped)? Checked right before publishing. */
  ready(actor: A): boolean;
  /** Publish now; the promise settles with RMF's answer. Its synchronous part is the publish. */
  launch(actor: A): Promise<R>;
  /** Tell the actor its request left (called after the whole loop). */
  notify(actor: A): void;
  /** A launch or notify threw (a bug): the actor is left to its own error handling. */
  onError(actor: A, error: unknown): void;
}

export interface LaunchPad<A, R> {
  /** Launch `actor` at `at` (or at once if that has passed). */
  add(actor: A, at: number): void;
  /** The launched dispatch of `actor`, once (undefined if it was not launched from here). */
  take(actor: A): Promise<R> | undefined;
  /** Waiting, not yet launched. */
  readonly size: number;
  /** Forget every waiting launch and clear the timer. */
  stop(): void;
}

interface Waiting<A> extends HeapNode {
  actor: A;
  at: number;
  seq: number;
}

export function createLaunchPad<A, R>(options: LaunchPadOptions<A, R>): LaunchPad<A, R> {
  const { clock } = options;
  const waiting = new BinaryHeap<Waiting<A>>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  const launched = new Map<A, Promise<R>>();
  let seq = 0;
  let timer: unknown = null;
  let timerAt = Infinity;

  function rearm(): void {
    const head = waiting.peek();
    if (head === undefined || head.at >= timerAt) return;
    if (timer !== null) clock.clearTimeout(timer);
    timerAt = head.at;
    timer = clock.setTimeout(fire, Math.max(0, head.at - clock.now()));
  }

  function fire(): void {
    timer = null;
    timerAt = Infinity;
    const now = clock.now();
    const out: A[] = [];
    for (let head = waiting.peek(); head !== undefined && head.at <= now; head = waiting.peek()) {
      waiting.pop();
      const { actor } = head;
      if (!options.ready(actor)) continue;
      try {
        launched.set(actor, options.launch(actor));
        out.push(actor);
      } catch (error) {
        options.onError(actor, error);
      }
    }
    for (const actor of out) {
      try {
        options.notify(actor);
      } catch (error) {
        options.onError(actor, error);
      }
    }
    rearm();
  }

  return {
    add(actor, at) {
      waiting.push({ actor, at, seq: seq++, heapIndex: -1 });
      rearm();
    },
    take(actor) {
      const promise = launched.get(actor);
      launched.delete(actor);
      return promise;
    },
    get size() {
      return waiting.size;
    },
    stop() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      timerAt = Infinity;
      waiting.clear();
      launched.clear();
    },
  };
}
