/**
 * Replica liveness: this replica registers in the store at start (refused while a live replica
 * has its id), then records a heartbeat every interval (default 1 s) by the database's clock, and
 * marks itself stopped when it stops. Each heartbeat also reads every replica's row: how many are
 * alive, which are overdue (no heartbeat within `overdueMs`, default 3 s: their claims are to be
 * taken over), and how far this machine's clock is from the database's (warned above 500 ms:
 * replicas with skewed clocks fire at different instants).
 */
import type { Logger } from '../log.js';
import type { Clock, ReplicaRecord, ReplicaRepository } from './ports.js';
import { isStoreUnavailable } from './storeRetry.js';

export type ReplicaState = 'alive' | 'overdue' | 'gone';

export interface ReplicaView extends ReplicaRecord {
  state: ReplicaState;
  /** Milliseconds since the database last heard from it. */
  silentMs: number;
}

export const SKEW_WARN_MS = 500;

export function replicaState(r: ReplicaRecord, dbNow: number, overdueMs: number): ReplicaState {
  if (r.stoppedAt !== null) return 'gone';
  return dbNow - r.lastSeenAt > overdueMs ? 'overdue' : 'alive';
}

export interface ReplicaHeartbeat {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every replica with its state, as the database sees them now. */
  list(): Promise<ReplicaView[]>;
  /** Replicas alive at the last heartbeat (this one included). */
  alive(): number;
  /** This clock minus the database's at the last heartbeat, in ms (null before the first). */
  skewMs(): number | null;
}

export interface ReplicaHeartbeatDeps {
  clock: Clock;
  replicas: ReplicaRepository;
  logger: Logger;
  id: string;
  host: string;
  pid: number;
  version: string;
  intervalMs?: number;
  overdueMs?: number;
  /** Called after a heartbeat with the replicas found overdue (their claims may be taken over). */
  onOverdue?: (overdue: ReplicaView[]) => Promise<void> | void;
}

export function createReplicaHeartbeat(deps: ReplicaHeartbeatDeps): ReplicaHeartbeat {
  const { clock, replicas, logger, id } = deps;
  const intervalMs = deps.intervalMs ?? 1_000;
  const overdueMs = deps.overdueMs ?? 3_000;
  let timer: unknown = null;
  let stopped = false;
  let alive = 0;
  let skew: number | null = null;
  let warnedSkew = false;
  let beating: Promise<void> = Promise.resolve();

  /** Our clock minus the database's, taking the round trip's midpoint as the database's instant. */
  function measure(before: number, dbNow: number): void {
    const after = clock.now();
    skew = Math.round((before + after) / 2 - dbNow);
    const off = Math.abs(skew) > SKEW_WARN_MS;
    if (off && !warnedSkew) {
      logger.warn(
        "this machine's clock differs from the database's by more than 500 ms: replicas with skewed clocks fire at different instants (synchronise them with NTP)",
        { replicaId: id, skewMs: skew },
      );
    }
    warnedSkew = off;
  }

  const view = (r: ReplicaRecord, dbNow: number): ReplicaView => ({
    ...r,
    state: replicaState(r, dbNow, overdueMs),
    silentMs: Math.max(0, dbNow - r.lastSeenAt),
  });

  async function list(): Promise<ReplicaView[]> {
    const { replicas: rows, dbNow } = await replicas.list();
    return rows.map((r) => view(r, dbNow));
  }

  async function beat(): Promise<void> {
    try {
      const before = clock.now();
      measure(before, await replicas.beat(id));
      const all = await list();
      alive = all.filter((r) => r.state === 'alive').length;
      const overdue = all.filter((r) => r.state === 'overdue' && r.id !== id);
      if (overdue.length > 0 && deps.onOverdue) await deps.onOverdue(overdue);
    } catch (error) {
      const level = isStoreUnavailable(error) ? 'warn' : 'error';
      logger[level]('replica heartbeat failed (tried again at the next one)', {
        replicaId: id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = null;
      beating = beat().finally(schedule);
    }, intervalMs);
  }

  return {
    id,
    async start() {
      stopped = false;
      const before = clock.now();
      const dbNow = await replicas.register(
        { id, host: deps.host, pid: deps.pid, version: deps.version, intervalMs },
        overdueMs,
      );
      measure(before, dbNow);
      alive = (await list()).filter((r) => r.state === 'alive').length;
      logger.info('replica registered', {
        replicaId: id,
        host: deps.host,
        pid: deps.pid,
        skewMs: skew,
        alive,
      });
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      await beating;
      await replicas
        .stopped(id)
        .catch((error: unknown) =>
          logger.warn('could not record this replica as stopped', { replicaId: id, error: String(error) }),
        );
    },
    list,
    alive: () => alive,
    skewMs: () => skew,
  };
}
