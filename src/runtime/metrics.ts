/**
 * The runtime's Prometheus metrics. The REST layer exposes the registry at /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TERMINAL_STATUSES, type FiringStatus, type FiringTrigger } from '../rules/Firing.js';

export interface RuntimeMetrics {
  readonly registry: Registry;
  /** One firing outcome (dispatched, rejected, timed_out, failed, skipped, missed). */
  firing(outcome: FiringStatus, trigger: FiringTrigger): void;
  /** Publish time − dispatch instant, in ms. */
  lateness(ms: number): void;
  /** Publish → RMF's answer, in ms. */
  dispatchLatency(ms: number): void;
  /** Rules in the timer queue or firing, and actors running. */
  rules(armed: number, active: number): void;
  /** A cancellation asked of RMF ended: canceled or failed. */
  cancel(state: 'canceled' | 'failed'): void;
  /** RMF's dispatcher settled a task of ours: dispatched (to a fleet), failed_to_assign, … */
  dispatchState(status: string): void;
  /** What the gauges read at each scrape (the runtime calls this once it is up). */
  watch(sources: MetricSources): void;
}

/** Read when /metrics is scraped. */
export interface MetricSources {
  /** The transport is the in-process stand-in, not RMF. */
  simulated: boolean;
  /** The store answers (a ping). */
  storeUp(): Promise<boolean>;
  /** Firings of this process claimed and not yet recorded with an outcome. */
  claimsWithoutOutcome(): number;
  /** Claims waiting for the store to come back. */
  pendingClaims(): number;
  /** Outcomes and history rows kept in memory until the store takes them. */
  unwrittenOutcomes(): number;
  /** Replicas alive at the last heartbeat (null: no heartbeat kept). */
  replicasAlive(): number | null;
  /** This clock minus the database's, in ms, at the last heartbeat (null: not measured). */
  clockSkewMs(): number | null;
  /** Rules by state, and the earliest next effective instant over every enabled rule. */
  overview(): { rulesByState: Record<string, number>; nextDueAt: number | null };
}

const TRIGGERS: readonly FiringTrigger[] = ['schedule', 'manual'];
/** A store that has not answered a ping within this is down for the scrape. */
const STORE_PING_TIMEOUT_MS = 2_000;

/** Seconds, from 1 ms to 60 s. */
const LATENESS_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createRuntimeMetrics(registry: Registry = new Registry()): RuntimeMetrics {
  const firings = new Counter({
    name: 'rmf_scheduler_firings_total',
    help: 'Firings by outcome and trigger.',
    labelNames: ['outcome', 'trigger'] as const,
    registers: [registry],
  });
  const lateness = new Histogram({
    name: 'rmf_scheduler_firing_lateness_seconds',
    help: 'How late a firing was published, after its dispatch instant.',
    buckets: LATENESS_BUCKETS,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'rmf_scheduler_dispatch_latency_seconds',
    help: "From publishing a task request to RMF's answer.",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const armed = new Gauge({
    name: 'rmf_scheduler_armed_rules',
    help: 'Rules armed for a next occurrence.',
    registers: [registry],
  });
  const active = new Gauge({
    name: 'rmf_scheduler_active_rules',
    help: 'Rule actors running (due soon, or firing).',
    registers: [registry],
  });
  const cancels = new Counter({
    name: 'rmf_scheduler_cancellations_total',
    help: 'Tasks sent ahead of time that RMF was asked to cancel (the operator took them back), by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const dispatchStates = new Counter({
    name: 'rmf_scheduler_dispatch_states_total',
    help: "What RMF's dispatcher did with our tasks after bidding (dispatch_states), by status.",
    labelNames: ['status'] as const,
    registers: [registry],
  });
  // Every outcome series exists from the start, at 0: rate() and alerts see the first one.
  for (const outcome of TERMINAL_STATUSES)
    for (const trigger of TRIGGERS) firings.inc({ outcome, trigger }, 0);
  let sources: MetricSources | null = null;
  new Gauge({
    name: 'rmf_scheduler_rmf_simulated',
    help: '1 when tasks go to the in-process simulated dispatcher instead of RMF, else 0.',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.simulated ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rmf_scheduler_store_up',
    help: '1 when the store answered a ping at this scrape, else 0.',
    registers: [registry],
    async collect() {
      if (sources) this.set((await withTimeout(sources.storeUp(), STORE_PING_TIMEOUT_MS)) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'rmf_scheduler_claims_without_outcome',
    help: 'Firings this process claimed whose outcome is not recorded yet (in flight, or waiting for RMF).',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.claimsWithoutOutcome());
    },
  });
  new Gauge({
    name: 'rmf_scheduler_pending_claims',
    help: 'Occurrences whose claim waits for the store to come back (tried again until it does).',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.pendingClaims());
    },
  });
  new Gauge({
    name: 'rmf_scheduler_unwritten_outcomes',
    help: 'Firing outcomes and history rows kept in memory until the store takes them.',
    registers: [registry],
    collect() {
      if (sources) this.set(sources.unwrittenOutcomes());
    },
  });
  new Gauge({
    name: 'rmf_scheduler_replicas_alive',
    help: 'Replicas sharing the store whose heartbeat is not overdue (this one included), at the last heartbeat.',
    registers: [registry],
    collect() {
      const alive = sources?.replicasAlive() ?? null;
      if (alive !== null) this.set(alive);
    },
  });
  new Gauge({
    name: 'rmf_scheduler_clock_skew_seconds',
    help: "This machine's clock minus the database's, at the last heartbeat (warned beyond 0.5 s).",
    registers: [registry],
    collect() {
      const skew = sources?.clockSkewMs() ?? null;
      if (skew !== null) this.set(skew / 1000);
    },
  });
  new Gauge({
    name: 'rmf_scheduler_rules',
    help: 'Rules by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      if (!sources) return;
      const o = sources.overview();
      for (const [state, count] of Object.entries(o.rulesByState)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'rmf_scheduler_next_due_timestamp_seconds',
    help: 'The earliest next effective instant over every enabled rule, in Unix seconds (0: none will fire).',
    registers: [registry],
    collect() {
      if (!sources) return;
      const due = sources.overview().nextDueAt;
      this.set(due === null ? 0 : due / 1000);
    },
  });
  return {
    registry,
    watch(next) {
      sources = next;
    },
    cancel: (result) => cancels.inc({ result }),
    dispatchState: (status) => dispatchStates.inc({ status }),
    firing: (outcome, trigger) => firings.inc({ outcome, trigger }),
    lateness: (ms) => lateness.observe(Math.max(0, ms) / 1000),
    dispatchLatency: (ms) => latency.observe(Math.max(0, ms) / 1000),
    rules(armedCount, activeCount) {
      armed.set(armedCount);
      active.set(activeCount);
    },
  };
}

async function withTimeout(work: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
