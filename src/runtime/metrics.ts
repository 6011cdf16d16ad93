/**
 * The runtime's Prometheus metrics. The REST layer exposes the registry at /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FiringStatus, FiringTrigger } from '../rules/Firing.js';

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
}

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
  return {
    registry,
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
