/**
 * What RMF did with the tasks after accepting them, recorded on their firings: the dispatcher's
 * dispatch states (assigned to a fleet, failed to assign, with RMF's errors; `dispatch_states`)
 * and, where RMF publishes them (Kilted and newer, `task_state_update`), the task's later states.
 * Updates for one task are written in the order they came.
 */
import type { Logger } from '../log.js';
import type { Firing } from '../rules/Firing.js';
import type { RuntimeMetrics } from './metrics.js';
import type { Dispatcher, Store } from './ports.js';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function followRmf(deps: {
  dispatcher: Dispatcher;
  store: Store;
  logger: Logger;
  metrics: Pick<RuntimeMetrics, 'dispatchState'>;
  /** A firing's dispatch state changed. */
  updated(firing: Firing): void;
}): { stop(): Promise<void> } {
  const { dispatcher, store } = deps;
  const log = deps.logger.child({ component: 'rmf_follower' });
  const chains = new Map<string, Promise<void>>();
  let stopped = false;

  /** Runs `write` after the previous write for the same task. */
  function inOrder(taskId: string, write: () => Promise<void>): void {
    const next = (chains.get(taskId) ?? Promise.resolve()).then(write).catch((e: unknown) => {
      log.warn('could not record what RMF did with a task', { taskId, error: message(e) });
    });
    chains.set(taskId, next);
    void next.then(() => {
      if (chains.get(taskId) === next) chains.delete(taskId);
    });
  }

  const unsubscribers: Array<() => void> = [];
  if (dispatcher.onDispatchState) {
    unsubscribers.push(
      dispatcher.onDispatchState((update) => {
        if (stopped) return;
        inOrder(update.taskId, async () => {
          const changed = await store.firings.recordDispatch(update.taskId, update.since, update.dispatch);
          for (const firing of changed) {
            deps.metrics.dispatchState(update.dispatch.status);
            const fields = { ruleId: firing.ruleId, firingId: firing.id, rmfTaskId: update.taskId };
            if (update.dispatch.status === 'failed_to_assign') {
              log.warn('RMF could not assign the task to any fleet', {
                ...fields,
                errors: update.dispatch.errors,
              });
            } else {
              log.info('RMF dispatch state', {
                ...fields,
                status: update.dispatch.status,
                fleet: update.dispatch.fleet,
                robot: update.dispatch.robot,
              });
            }
            deps.updated(firing);
          }
        });
      }),
    );
  }
  if (dispatcher.onTaskState) {
    unsubscribers.push(
      dispatcher.onTaskState((taskId, state) => {
        if (stopped) return;
        inOrder(taskId, () => store.firings.updateTaskState(taskId, state));
      }),
    );
  }
  return {
    async stop() {
      stopped = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      await Promise.all([...chains.values()]);
    },
  };
}
