/**
 * The rule machine with its side effects wired: each I/O step runs through the firing pipeline
 * and reports back to its actor with an event, claimed occurrences wait on the launch pad (every
 * request due at an instant published in one loop), and `released` / `report` go to the engine.
 */
import type { Logger } from '../log.js';
import type { FiringPipeline } from './firingPipeline.js';
import { createLaunchPad } from './launchPad.js';
import type { Clock } from './ports.js';
import {
  type DispatchResult,
  type RuleActor,
  type RuleMachineContext,
  type RuleMachineEvent,
  createRuleMachine,
  stepInputs,
} from './ruleMachine.js';

export interface RuleActorsDeps {
  clock: Clock;
  pipeline: FiringPipeline;
  logger: Logger;
  lateToleranceMs: number;
  claimAheadMs: number;
  /** The occurrence is settled (claimed, skipped, missed, cancelled): the next may be armed. */
  onReleased(actor: RuleActor, context: RuleMachineContext): void;
  /** The actor finished; its context says how. */
  onReport(actor: RuleActor, context: RuleMachineContext): void;
}

/** Run one I/O step of an actor and report its result back to it (if it still runs). */
function step<O>(
  actor: RuleActor,
  work: () => Promise<O>,
  done: (output: O) => RuleMachineEvent,
  failed: (error: unknown) => RuleMachineEvent,
): void {
  const report = (event: RuleMachineEvent) => {
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };
  let promise: Promise<O>;
  try {
    promise = work();
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.then(
    (output) => report(done(output)),
    (error: unknown) => report(failed(error)),
  );
}

export function createRuleActors(deps: RuleActorsDeps) {
  const { clock, pipeline, logger } = deps;

  const launchPad = createLaunchPad<RuleActor, DispatchResult>({
    clock,
    ready: (actor) => {
      const snapshot = actor.getSnapshot();
      return snapshot.status === 'active' && snapshot.matches('claimed');
    },
    launch: (actor) => pipeline.dispatch(stepInputs.dispatch(actor.getSnapshot().context)),
    notify: (actor) => actor.send({ type: 'dispatch.launch' }),
    onError: (actor, error) =>
      logger.error('launching a claimed firing failed', {
        ruleId: actor.getSnapshot().context.ruleId,
        error: String(error),
      }),
  });

  const machine = createRuleMachine({
    clock,
    lateToleranceMs: deps.lateToleranceMs,
    claimAheadMs: deps.claimAheadMs,
  }).provide({
    actions: {
      claim: ({ context, self }) =>
        step(
          self as RuleActor,
          () => pipeline.claim(stepInputs.claim(context)),
          (output) => ({ type: 'claim.done', output }),
          (error) => ({ type: 'claim.failed', error }),
        ),
      dispatch: ({ context, self }) =>
        step(
          self as RuleActor,
          () => launchPad.take(self as RuleActor) ?? pipeline.dispatch(stepInputs.dispatch(context)),
          (output) => ({ type: 'dispatch.done', output }),
          (error) => ({ type: 'dispatch.failed', error }),
        ),
      record: ({ context, self }) =>
        step(
          self as RuleActor,
          () => pipeline.record(stepInputs.record(context)),
          (output) => ({ type: 'record.done', output }),
          (error) => ({ type: 'record.failed', error }),
        ),
      recordMissed: ({ context, self }) =>
        step(
          self as RuleActor,
          () => pipeline.recordMissed(stepInputs.recordMissed(context, clock.now())),
          () => ({ type: 'missed.done' }),
          (error) => ({ type: 'missed.failed', error }),
        ),
      awaitLaunch: ({ context, self }) => launchPad.add(self as RuleActor, context.dispatchAt),
      released: ({ context, self }) => deps.onReleased(self as RuleActor, context),
      report: ({ context, self }) => deps.onReport(self as RuleActor, context),
    },
  });

  return { machine, launchPad };
}
