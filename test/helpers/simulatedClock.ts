/**
 * A deterministic Clock for tests. Deadlines are wall-clock instants (like the production
 * clock): `advance` moves time forward and runs due callbacks in deadline order (those due at
 * the same instant together, like one timer wake), letting promise chains progress between
 * instants; `jump` steps the wall clock without running anything
 * (an NTP step, a manual change, a VM resume), so a backward jump makes waits longer and a
 * forward jump makes them due at the next `advance`.
 */
import { BinaryHeap, type HeapNode } from '../../src/runtime/binaryHeap.js';
import type { Clock } from '../../src/runtime/ports.js';

export interface SimulatedClock extends Clock {
  /** Move time forward by `ms`, running every callback due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Move time forward to the instant `t` (no-op for the past), running due callbacks. */
  advanceTo(t: number): Promise<void>;
  /** Step the wall clock by `ms` (negative = backwards) without running anything. */
  jump(ms: number): void;
  /** Let pending promise chains (and I/O callbacks) progress without moving time. */
  flush(rounds?: number): Promise<void>;
  /** Number of callbacks waiting. */
  pending(): number;
  /** The earliest pending deadline, if any. */
  nextDeadline(): number | undefined;
}

interface Timer extends HeapNode {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SimulatedClockOptions {
  /**
   * Awaited after every callback (and by flush): lets work that runs on real time, such as
   * database I/O, finish before simulated time moves on.
   */
  settle?: () => Promise<void>;
}

export function createSimulatedClock(
  start = Date.parse('2026-01-01T00:00:00.000Z'),
  options: SimulatedClockOptions = {},
): SimulatedClock {
  let now = start;
  let seq = 0;
  const heap = new BinaryHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));

  async function flush(rounds = 3): Promise<void> {
    for (let i = 0; i < rounds; i++) await tick();
    if (options.settle) {
      await options.settle();
      for (let i = 0; i < rounds; i++) await tick();
    }
  }

  async function advanceTo(target: number): Promise<void> {
    await flush();
    for (let top = heap.peek(); top !== undefined && top.at <= target; top = heap.peek()) {
      // Everything due at the same instant runs in one go, as one wake of a real timer would.
      const instant = top.at;
      now = Math.max(now, instant);
      for (let due = heap.peek(); due !== undefined && due.at === instant; due = heap.peek()) {
        heap.pop();
        const fn = due.fn;
        due.fn = null;
        fn?.();
      }
      await flush();
    }
    now = Math.max(now, target);
    await flush();
  }

  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number): unknown {
      const timer: Timer = {
        at: now + Math.max(0, Number.isFinite(ms) ? ms : 0),
        seq: seq++,
        fn,
        heapIndex: -1,
      };
      heap.push(timer);
      return timer;
    },
    clearTimeout(handle: unknown): void {
      const timer = handle as Timer | null | undefined;
      if (!timer || typeof timer !== 'object' || !('heapIndex' in timer)) return;
      timer.fn = null;
      heap.remove(timer);
    },
    advance: (ms) => advanceTo(now + ms),
    advanceTo,
    jump(ms: number): void {
      now += ms;
    },
    flush,
    pending: () => heap.size,
    nextDeadline: () => heap.peek()?.at,
  };
}
