/**
 * One occurrence of one rule, from "armed" to "recorded": waiting (until shortly before its
 * dispatch instant, on the injected clock) → claiming (durable, group-committed) → claimed
 * (waiting for its launch at the dispatch instant; the commit's latency is off the critical
 * path) → dispatching (await RMF's answer; retries with doubling backoff) → recording → finished. The engine starts this
 * actor shortly before the occurrence is due and drops it once finished (rules far from their
 * next occurrence are compact entries in the engine's timer queue, not actors).
 *
 * Side effects are named and injected (`.provide()`): the claim/dispatch/record/recordMissed
 * steps (actions that report back with events); `awaitLaunch`, by which a claimed occurrence
 * asks to be launched at its dispatch instant (the engine publishes every request due at an
 * instant in one loop, then sends each actor `dispatch.launch`); and the `released` / `report`
 * actions by which the engine learns that the occurrence is settled (it may arm the next one)
 * and what was recorded.
 */
import { type Actor, assign, setup } from 'xstate';
import type { Firing, FiringTrigger } from '../rules/Firing.js';
import type { Misfire, Rule } from '../rules/Rule.js';
import type { ClaimResult, Clock, ManualTrigger } from './ports.js';

/** What a dispatch attempt produced (RMF's answer read, or why there is none). */
export interface DispatchResult {
  /**
   * skipped: cancelled between claim and dispatch (rule disabled/deleted, occurrence changed).
   * missed: claimed too late (the store could not be reached in time) and the misfire policy skips it.
   */
  status: 'dispatched' | 'rejected' | 'timed_out' | 'failed' | 'skipped' | 'missed';
  requestId: string;
  /** The task request sent (json_msg parsed), when it was built. */
  request: unknown | null;
  response: unknown | null;
  rmfTaskId: string | null;
  error: string | null;
  publishedAt: number | null;
  respondedAt: number | null;
}

export interface RuleMachineInput {
  ruleId: string;
  /** The rule version the engine armed (the claim checks it). */
  version: number;
  dueAt: number;
  fireAt: number;
  /** When to dispatch: fireAt − leadTimeMs (now, for a manual trigger). */
  dispatchAt: number;
  trigger: FiringTrigger;
  misfire: Misfire;
  /** Claim this long before dispatchAt (default: the machine's claimAheadMs). */
  claimAheadMs?: number;
  /** Already known to be late on purpose (fire_once after downtime): never counted as missed. */
  lateAccepted?: boolean;
  /** Claimed by a previous process and to be re-sent with its request id (after a restart). */
  resumed?: { firing: Firing; rule: Rule } | null;
  /** A manual trigger: who asked and whether it was forced (recorded with the claim). */
  manual?: ManualTrigger | null;
}

export interface RuleMachineContext extends Required<RuleMachineInput> {
  rule: Rule | null;
  firing: Firing | null;
  attempt: number;
  claimAttempts: number;
  last: DispatchResult | null;
  recorded: Firing | null;
  /** How it ended, for the engine and the logs. */
  result:
    | 'pending'
    | 'recorded'
    | 'skipped'
    | 'already_claimed'
    | 'missed'
    | 'cancelled'
    | 'disabled'
    | 'claim_failed'
    | 'record_failed';
  error: string | null;
  removed: boolean;
}

export type RuleMachineEvent =
  /** The rule or its overrides changed: the new armed firing (null = none), version and state. */
  | {
      type: 'rule.changed';
      version: number;
      enabled: boolean;
      next: { dueAt: number; fireAt: number; dispatchAt: number } | null;
      misfire: Misfire;
    }
  | { type: 'rule.removed' }
  /** Claimed but not yet dispatched, and no longer to be sent: record it skipped, saying why. */
  | { type: 'firing.cancel'; reason: string }
  /** Claimed but not yet dispatched, and the rule was edited (its task, say): send the new one. */
  | { type: 'firing.ruleEdited'; rule: Rule }
  /** The dispatch instant came: the request was published (its answer awaits the dispatch step). */
  | { type: 'dispatch.launch' }
  | { type: 'claim.done'; output: ClaimResult }
  | { type: 'claim.failed'; error: unknown }
  | { type: 'dispatch.done'; output: DispatchResult }
  | { type: 'dispatch.failed'; error: unknown }
  | { type: 'record.done'; output: Firing }
  | { type: 'record.failed'; error: unknown }
  | { type: 'missed.done' }
  | { type: 'missed.failed'; error: unknown };

export interface ClaimInput {
  ruleId: string;
  version: number;
  dueAt: number;
  fireAt: number;
  trigger: FiringTrigger;
  manual: ManualTrigger | null;
}

export interface DispatchInput {
  rule: Rule;
  firing: Firing;
  attempt: number;
  /** Re-send with the claimed request id (restart), instead of a fresh id for attempts > 1. */
  reuseRequestId: boolean;
}

export interface RecordInput {
  firing: Firing;
  result: DispatchResult;
  attempts: number;
}

export interface MissedInput {
  ruleId: string;
  dueAt: number;
  fireAt: number;
  latenessMs: number;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Claim attempts when the store fails for another reason than being unreachable (that one is tried again until it is back: storeRetry.ts). */
export const MAX_CLAIM_ATTEMPTS = 3;
const CLAIM_RETRY_MS = 1_000;

export interface RuleMachineOptions {
  clock: Clock;
  /** Late by up to this much: fire, never count as missed. */
  lateToleranceMs: number;
  /** Claim this long before the dispatch instant, so the commit is done when it is due. */
  claimAheadMs: number;
}

export const createRuleMachine = ({ clock, lateToleranceMs, claimAheadMs }: RuleMachineOptions) => {
  /** Late at `now` beyond the tolerance, and the misfire policy does not fire it. */
  const isMissedAt = (context: RuleMachineContext, now: number): boolean => {
    if (context.trigger !== 'schedule' || context.lateAccepted) return false;
    const late = now - context.fireAt;
    if (late <= lateToleranceMs) return false;
    return !(context.misfire.policy === 'fire_once' && late <= context.misfire.graceMs);
  };
  return setup({
    types: {
      context: {} as RuleMachineContext,
      events: {} as RuleMachineEvent,
      input: {} as RuleMachineInput,
    },
    actions: {
      /**
       * The I/O steps. Each starts its work and, when done, sends the matching `*.done` /
       * `*.failed` event back to the actor (stepInputs below says what each one needs).
       * Actions rather than invoked promise actors: in a burst of thousands of occurrences a
       * child actor per step is the dominant cost.
       */
      claim: () => {},
      dispatch: () => {},
      record: () => {},
      recordMissed: () => {},
      /** Claimed: ask for `dispatch.launch` at context.dispatchAt. */
      awaitLaunch: () => {},
      /** The occurrence is settled (claimed, skipped, missed, or lost): the next may be armed. */
      released: () => {},
      /** The actor finished; its context says how. */
      report: () => {},
    },
    guards: {
      isResumed: ({ context }) => context.resumed !== null,
      /** Due long ago (the machine slept, the clock jumped): the misfire policy decides. */
      isMissed: ({ context }) => isMissedAt(context, clock.now()),
      wasClaimed: (_, result: ClaimResult) => result.status === 'claimed',
      canRetryClaim: ({ context }) => context.claimAttempts < MAX_CLAIM_ATTEMPTS,
      shouldRetry: ({ context }, result: DispatchResult) => isRetryable(context, result),
    },
    delays: {
      untilClaim: ({ context }) => Math.max(0, context.dispatchAt - context.claimAheadMs - clock.now()),
      claimRetry: ({ context }) => CLAIM_RETRY_MS * context.claimAttempts,
      backoff: ({ context }) => (context.rule?.retry?.backoffMs ?? 0) * 2 ** Math.max(0, context.attempt - 1),
    },
  }).createMachine({
    id: 'rule',
    initial: 'start',
    context: ({ input }) => ({
      ...input,
      lateAccepted: input.lateAccepted ?? false,
      claimAheadMs: input.claimAheadMs ?? claimAheadMs,
      resumed: input.resumed ?? null,
      manual: input.manual ?? null,
      rule: input.resumed?.rule ?? null,
      firing: input.resumed?.firing ?? null,
      attempt: input.resumed ? Math.max(1, input.resumed.firing.attempts) + 1 : 1,
      claimAttempts: 0,
      last: null,
      recorded: null,
      result: 'pending',
      error: null,
      removed: false,
    }),
    on: {
      // Past waiting, a change does not stop the occurrence: it finishes and is recorded, and
      // the engine arms the next one from the new rule. A removal only stops further retries.
      'rule.changed': { actions: assign({ version: ({ event }) => event.version }) },
      'rule.removed': { actions: assign({ removed: true }) },
    },
    states: {
      start: {
        always: [{ guard: 'isResumed', target: 'claimed' }, { target: 'waiting' }],
      },
      waiting: {
        after: {
          untilClaim: [{ guard: 'isMissed', target: 'missed' }, { target: 'claiming' }],
        },
        on: {
          'rule.changed': [
            { guard: ({ event }) => !event.enabled, target: 'disabled' },
            { guard: ({ event }) => event.next === null, target: 'cancelled' },
            {
              target: 'waiting',
              reenter: true,
              actions: assign(({ event }) => ({
                version: event.version,
                misfire: event.misfire,
                dueAt: event.next?.dueAt ?? 0,
                fireAt: event.next?.fireAt ?? 0,
                dispatchAt: event.next?.dispatchAt ?? 0,
              })),
            },
          ],
          'rule.removed': { target: 'cancelled', actions: assign({ removed: true }) },
        },
      },
      missed: {
        entry: 'recordMissed',
        on: {
          'missed.done': { target: 'finished', actions: [assign({ result: 'missed' }), 'released'] },
          'missed.failed': {
            target: 'finished',
            actions: [assign({ result: 'missed', error: ({ event }) => errorText(event.error) }), 'released'],
          },
        },
      },
      claiming: {
        entry: [assign({ claimAttempts: ({ context }) => context.claimAttempts + 1 }), 'claim'],
        on: {
          'claim.done': [
            {
              // The claim could only be made late (the store was unreachable): the misfire
              // policy decides, as after a downtime; a skipped one is recorded `missed`, unsent.
              guard: ({ context, event }) =>
                event.output.status === 'claimed' && isMissedAt(context, clock.now()),
              target: 'recording',
              actions: [
                assign(({ event, context }) =>
                  event.output.status === 'claimed'
                    ? {
                        rule: event.output.rule,
                        firing: event.output.firing,
                        ...missedAfterClaim(
                          event.output.firing.requestId ?? '',
                          clock.now() - context.fireAt,
                        ),
                      }
                    : {},
                ),
                'released',
              ],
            },
            {
              guard: { type: 'wasClaimed', params: ({ event }) => event.output },
              target: 'claimed',
              actions: [
                assign(({ event }) =>
                  event.output.status === 'claimed'
                    ? { rule: event.output.rule, firing: event.output.firing }
                    : {},
                ),
                'released',
              ],
            },
            {
              target: 'finished',
              actions: [
                assign(({ event }) =>
                  event.output.status === 'skipped'
                    ? {
                        result: 'skipped' as const,
                        recorded: event.output.firing,
                        error: event.output.reason,
                      }
                    : { result: 'already_claimed' as const },
                ),
                'released',
              ],
            },
          ],
          'claim.failed': [
            {
              guard: 'canRetryClaim',
              target: 'claimRetry',
              actions: assign({ error: ({ event }) => errorText(event.error) }),
            },
            {
              target: 'finished',
              actions: [
                assign({ result: 'claim_failed', error: ({ event }) => errorText(event.error) }),
                'released',
              ],
            },
          ],
        },
      },
      claimRetry: {
        after: { claimRetry: 'claiming' },
        on: { 'rule.removed': { target: 'cancelled', actions: assign({ removed: true }) } },
      },
      claimed: {
        // Removed while its claim was in flight: the removal arrived before there was a claim
        // to cancel, so it is honoured here.
        always: {
          guard: ({ context }) => context.removed,
          target: 'recording',
          actions: assign(({ context }) => cancelledAfterClaim(context, 'the rule was deleted')),
        },
        entry: 'awaitLaunch',
        on: {
          'dispatch.launch': 'dispatching',
          'firing.ruleEdited': { actions: assign({ rule: ({ event }) => event.rule }) },
          'firing.cancel': {
            target: 'recording',
            actions: assign(({ context, event }) => cancelledAfterClaim(context, event.reason)),
          },
        },
      },
      dispatching: {
        entry: 'dispatch',
        on: {
          'dispatch.done': [
            {
              guard: { type: 'shouldRetry', params: ({ event }) => event.output },
              target: 'backoff',
              actions: assign({ last: ({ event }) => event.output }),
            },
            { target: 'recording', actions: assign({ last: ({ event }) => event.output }) },
          ],
          'dispatch.failed': {
            target: 'recording',
            actions: assign({
              last: ({ context, event }) => ({
                status: 'failed' as const,
                requestId: (context.firing as Firing).requestId ?? '',
                request: null,
                response: null,
                rmfTaskId: null,
                error: `internal error while dispatching: ${errorText(event.error)}`,
                publishedAt: null,
                respondedAt: null,
              }),
            }),
          },
        },
      },
      backoff: {
        after: {
          backoff: {
            target: 'dispatching',
            actions: assign({ attempt: ({ context }) => context.attempt + 1, resumed: null }),
          },
        },
        on: { 'rule.removed': { target: 'recording', actions: assign({ removed: true }) } },
      },
      recording: {
        entry: 'record',
        on: {
          'record.done': {
            target: 'finished',
            actions: assign({ result: 'recorded', recorded: ({ event }) => event.output }),
          },
          'record.failed': {
            target: 'finished',
            actions: assign({ result: 'record_failed', error: ({ event }) => errorText(event.error) }),
          },
        },
      },
      cancelled: {
        type: 'final',
        entry: [assign({ result: 'cancelled' }), 'released', 'report'],
      },
      disabled: {
        type: 'final',
        entry: [assign({ result: 'disabled' }), 'released', 'report'],
      },
      finished: { type: 'final', entry: 'report' },
    },
  });
};

/** The last attempt failed or timed out and the rule's retry policy allows another. */
function isRetryable(context: RuleMachineContext, last: DispatchResult): boolean {
  const retry = context.rule?.retry ?? null;
  if (retry === null || context.removed) return false;
  if (last.status !== 'failed' && last.status !== 'timed_out') return false;
  return context.attempt < retry.maxAttempts;
}

export type RuleMachine = ReturnType<typeof createRuleMachine>;

/** A running rule actor. */
export type RuleActor = Actor<RuleMachine>;

/** A claimed firing that will not be sent: recorded `skipped`, nothing published. */
function cancelledAfterClaim(context: RuleMachineContext, reason: string): Partial<RuleMachineContext> {
  return {
    last: {
      status: 'skipped',
      requestId: context.firing?.requestId ?? '',
      request: null,
      response: null,
      rmfTaskId: null,
      error: `cancelled after it was claimed, before it was sent: ${reason}`,
      publishedAt: null,
      respondedAt: null,
    },
    attempt: 0,
  };
}

/** A firing claimed only after the misfire policy's limit: recorded `missed`, nothing published. */
function missedAfterClaim(requestId: string, latenessMs: number): Partial<RuleMachineContext> {
  return {
    last: {
      status: 'missed',
      requestId,
      request: null,
      response: null,
      rmfTaskId: null,
      error: `missed: the store could not be reached until ${Math.round(latenessMs / 1000)} s after it fell due, beyond the misfire policy; not sent`,
      publishedAt: null,
      respondedAt: null,
    },
    attempt: 0,
  };
}

/** What each I/O step needs, read from the actor's context. */
export const stepInputs = {
  claim: (c: RuleMachineContext): ClaimInput => ({
    ruleId: c.ruleId,
    version: c.version,
    dueAt: c.dueAt,
    fireAt: c.fireAt,
    trigger: c.trigger,
    manual: c.manual,
  }),
  dispatch: (c: RuleMachineContext): DispatchInput => ({
    rule: c.rule as Rule,
    firing: c.firing as Firing,
    attempt: c.attempt,
    reuseRequestId: c.resumed !== null,
  }),
  record: (c: RuleMachineContext): RecordInput => ({
    firing: c.firing as Firing,
    result: c.last as DispatchResult,
    attempts: c.attempt,
  }),
  recordMissed: (c: RuleMachineContext, now: number): MissedInput => ({
    ruleId: c.ruleId,
    dueAt: c.dueAt,
    fireAt: c.fireAt,
    latenessMs: now - c.fireAt,
  }),
};
