/**
 * What the engine says about each recorded firing: one structured log line (rule, due instant,
 * lateness, outcome, RMF task id, transport; a warning level for any outcome but dispatched), the runtime metrics, and the engine's listeners
 * (the facade's change feed, the ROS node's topic).
 */
import type { Logger } from '../log.js';
import { SIMULATED_WARNING } from '../rmf/simulatedDispatcher.js';
import type { Firing } from '../rules/Firing.js';
import type { FiringInfo } from './Engine.js';
import type { RuntimeMetrics } from './metrics.js';

export type FiringListener = (firing: Firing, info: FiringInfo) => void;

export interface FiringAnnouncer {
  announce(firing: Firing, info: FiringInfo): void;
  listen(listener: FiringListener): () => void;
}

export function createFiringAnnouncer(deps: {
  logger: Logger;
  metrics: RuntimeMetrics;
  /** The dispatcher's kind ('ros' | 'simulated'), said on every line. */
  transport: string;
}): FiringAnnouncer {
  const { logger, metrics, transport } = deps;
  const listeners = new Set<FiringListener>();
  return {
    announce(firing, info) {
      metrics.firing(firing.status, firing.trigger);
      if (info.latenessMs !== null) metrics.lateness(info.latenessMs);
      if (firing.publishedAt !== null && firing.respondedAt !== null)
        metrics.dispatchLatency(firing.respondedAt - firing.publishedAt);
      const fields = {
        rule_id: firing.ruleId,
        rule_name: info.ruleName,
        due_at: new Date(firing.dueAt).toISOString(),
        fire_at: new Date(firing.fireAt).toISOString(),
        trigger: firing.trigger,
        status: firing.status,
        lateness_ms: info.latenessMs,
        request_id: firing.requestId,
        rmf_task_id: firing.rmfTaskId,
        attempts: firing.attempts,
        transport,
        ...(transport === 'simulated' ? { simulated: true, warning: SIMULATED_WARNING } : {}),
        ...(firing.error !== null ? { error: firing.error } : {}),
      };
      if (firing.status === 'dispatched') logger.info('firing recorded', fields);
      else logger.warn('firing recorded', fields);
      for (const listener of listeners) {
        try {
          listener(firing, info);
        } catch (error) {
          logger.error('firing listener failed', { error: String(error) });
        }
      }
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
