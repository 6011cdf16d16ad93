/**
 * Riding out a store that cannot be reached (a database restart, a failover, a network cut, a
 * busy, full or read-only SQLite file): claims, outcomes and history rows are tried again, on the
 * injected clock, with a delay that starts at 250 ms and doubles up to 5 s, until the store takes
 * them. Nothing is dropped meanwhile; what waits is counted (/health, /metrics).
 */
import { isDomainError } from '../rules/errors.js';
import type { Clock } from './ports.js';

export const STORE_RETRY_FIRST_MS = 250;
export const STORE_RETRY_MAX_MS = 5_000;

/** The wait before try number `failures + 1` (after `failures` failed ones, ≥ 1). */
export function storeRetryDelayMs(failures: number): number {
  return Math.min(STORE_RETRY_MAX_MS, STORE_RETRY_FIRST_MS * 2 ** Math.max(0, Math.min(failures - 1, 10)));
}

/** The store could not be reached (or is busy, full or read-only): the same call may succeed later. */
export function isStoreUnavailable(error: unknown): boolean {
  return isDomainError(error) && error.code === 'STORE_UNAVAILABLE';
}

export interface StoreRetry {
  /**
   * Run `work` until it succeeds or fails for another reason than an unreachable store. `count`
   * items of `kind` are said to wait (`waiting(kind)`) from the first failure until the last try
   * ends. Any success (the store is back) wakes every waiting run to try again at once.
   */
  run<T>(work: () => Promise<T>, count: number, kind: string): Promise<T>;
  /** Items of this kind whose write failed at least once and is not done yet. */
  waiting(kind: string): number;
  /** Give up: every run still retrying rejects with its last error. */
  stop(): void;
}

export function createStoreRetry(deps: {
  clock: Clock;
  onFirstFailure?: (what: string, count: number, error: unknown) => void;
  onRecovered?: (what: string, count: number, failures: number) => void;
}): StoreRetry {
  const { clock } = deps;
  const waiting = new Map<string, number>();
  const add = (kind: string, n: number) => waiting.set(kind, (waiting.get(kind) ?? 0) + n);
  let stopped = false;
  const sleepers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        sleepers.delete(wake);
        clock.clearTimeout(handle);
        resolve();
      };
      const handle = clock.setTimeout(wake, ms);
      sleepers.add(wake);
    });

  return {
    async run(work, count, kind) {
      let failures = 0;
      try {
        for (;;) {
          try {
            const result = await work();
            if (sleepers.size > 0) for (const wake of [...sleepers]) wake();
            if (failures > 0) deps.onRecovered?.(kind, count, failures);
            return result;
          } catch (error) {
            if (!isStoreUnavailable(error) || stopped) throw error;
            if (failures++ === 0) {
              add(kind, count);
              deps.onFirstFailure?.(kind, count, error);
            }
            await sleep(storeRetryDelayMs(failures));
            if (stopped) throw error;
          }
        }
      } finally {
        if (failures > 0) add(kind, -count);
      }
    },
    waiting: (kind) => waiting.get(kind) ?? 0,
    stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
    },
  };
}
