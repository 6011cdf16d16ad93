/**
 * The production Clock. Every setTimeout becomes a wall-clock deadline in a heap; ONE Node timer
 * is armed for the earliest deadline. Each arm is capped (Node fires a delay above 2^31−1 ms at
 * once, and a short cap notices wall-clock steps quickly), and every wake re-reads the system
 * time: a deadline runs only once the wall clock has reached it (never early, also when Node
 * wakes a millisecond early or the clock was stepped back), and promptly after a forward step.
 * This is the only module that reads the system time.
 */
import { BinaryHeap, type HeapNode } from './binaryHeap.js';
import type { Clock } from './ports.js';

export interface WallClockOptions {
  /** The system time source (epoch ms). Default Date.now; tests inject a fake. */
  systemNow?: () => number;
  /** Node's timer functions; tests inject fakes. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Longest single arm of the Node timer (default 1,000 ms; at most 2^31−1). */
  maxArmMs?: number;
  /** Do not keep the process alive for the clock's timer alone (default false). */
  unref?: boolean;
}

export interface WallClock extends Clock {
  /** Deadlines waiting. */
  pending(): number;
  /** Clears the Node timer; later setTimeout calls are kept but never run. */
  stop(): void;
}

interface Deadline extends HeapNode {
  at: number;
  seq: number;
  fn: (() => void) | null;
}

const NODE_MAX_DELAY = 2 ** 31 - 1;

export function createWallClock(options: WallClockOptions = {}): WallClock {
  const systemNow = options.systemNow ?? (() => Date.now());
  const setTimer =
    options.setTimer ??
    ((fn: () => void, ms: number) => {
      const handle = setTimeout(fn, ms);
      if (options.unref) handle.unref();
      return handle;
    });
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as NodeJS.Timeout));
  const maxArmMs = Math.min(Math.max(1, options.maxArmMs ?? 1_000), NODE_MAX_DELAY);

  const heap = new BinaryHeap<Deadline>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  let seq = 0;
  let timer: unknown = null;
  /** Wall-clock time at which the armed Node timer is expected to wake (to avoid needless re-arms). */
  let armedFor = Infinity;
  let stopped = false;

  function disarm(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
    armedFor = Infinity;
  }

  function arm(): void {
    if (stopped) return;
    const next = heap.peek();
    if (next === undefined) {
      disarm();
      return;
    }
    const now = systemNow();
    const delay = Math.min(maxArmMs, Math.max(0, next.at - now));
    const wakeAt = now + delay;
    if (timer !== null && armedFor <= wakeAt) return; // an earlier wake is already armed
    disarm();
    armedFor = wakeAt;
    timer = setTimer(onWake, delay);
  }

  function onWake(): void {
    timer = null;
    armedFor = Infinity;
    const now = systemNow();
    const due: Deadline[] = [];
    for (let top = heap.peek(); top !== undefined && top.at <= now; top = heap.peek()) {
      heap.pop();
      due.push(top);
    }
    // Callbacks may add deadlines (even already due ones): they wait for the next wake.
    try {
      for (const deadline of due) {
        const fn = deadline.fn;
        deadline.fn = null;
        fn?.();
      }
    } finally {
      arm();
    }
  }

  return {
    now: systemNow,
    setTimeout(fn: () => void, ms: number): unknown {
      const delay = Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Number.MAX_SAFE_INTEGER : 0;
      const deadline: Deadline = { at: systemNow() + delay, seq: seq++, fn, heapIndex: -1 };
      heap.push(deadline);
      if (heap.peek() === deadline) arm();
      return deadline;
    },
    clearTimeout(handle: unknown): void {
      const deadline = handle as Deadline | null | undefined;
      if (!deadline || typeof deadline !== 'object' || !('heapIndex' in deadline)) return;
      deadline.fn = null;
      const wasFirst = heap.peek() === deadline;
      heap.remove(deadline);
      if (wasFirst && heap.size === 0) disarm();
    },
    pending: () => heap.size,
    stop(): void {
      stopped = true;
      disarm();
    },
  };
}
