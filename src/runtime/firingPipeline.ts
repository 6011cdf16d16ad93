/**
 * The I/O steps of a firing, as the rule machine invokes them: claims and outcomes go to the
 * store in group commits (one transaction per batch), requests go out through the Dispatcher
 * only once their claim is durable (the machine only dispatches after the claim resolved).
 */
import { buildApiRequest, newRequestId } from '../rmf/buildRequest.js';
import { readAnswer } from '../rmf/readResponse.js';
import type { Firing } from '../rules/Firing.js';
import type { Rule } from '../rules/Rule.js';
import { createBatcher } from './batcher.js';
import { decideClaim, type ClaimExpectation } from './claimDecider.js';
import { createStoreRetry } from './storeRetry.js';
import type {
  ClaimRequest,
  ClaimResult,
  Clock,
  Dispatcher,
  FiringOutcome,
  HistoryRecord,
  Store,
} from './ports.js';
import type { Logger } from '../log.js';
import type { ClaimInput, DispatchInput, DispatchResult, MissedInput, RecordInput } from './ruleMachine.js';

/** The JSON object of a built request (both request kinds carry the task under `request`). */
type PreparedPayload = {
  request: { unix_millis_request_time: number; unix_millis_earliest_start_time: number };
};
/** A request built at claim time, and the rule version it was built from. */
type Prepared = { payload: PreparedPayload; version: number };

export interface PipelineDeps {
  clock: Clock;
  store: Store;
  dispatcher: Dispatcher;
  dispatchTimeoutMs: number;
  requester: string;
  replicaId: string;
  newId: () => string;
  logger?: Logger;
}

export interface FiringPipeline {
  claim(input: ClaimInput): Promise<ClaimResult>;
  dispatch(input: DispatchInput): Promise<DispatchResult>;
  record(input: RecordInput): Promise<Firing>;
  recordMissed(input: MissedInput): Promise<void>;
  /** Write history rows (missed/skipped) in group commits. */
  history(records: HistoryRecord[]): Promise<number>;
  /** Record outcomes in a group commit (also used at start-up for recovered answers). */
  outcomes(outcomes: FiringOutcome[]): Promise<void>;
  /** Claims, dispatches and records not yet finished. */
  inFlight(): number;
  /** Claims waiting for the store to come back (tried again until it does). */
  pendingClaims(): number;
  /** Outcomes and history rows kept in memory until the store takes them. */
  unwrittenOutcomes(): number;
  /** Stop trying again: what still waits for the store fails (it stays claimed for recovery). */
  stop(): void;
}

export function createFiringPipeline(deps: PipelineDeps): FiringPipeline {
  const { clock, store, dispatcher } = deps;
  const expectations = new Map<string, ClaimExpectation>();
  /**
   * Requests built as soon as their claim commits (before the instant), by request id: at the
   * instant only the request time is set and the JSON written. Dropped when published or recorded.
   */
  const prepared = new Map<string, Prepared>();
  let dispatching = 0;
  const log = deps.logger;
  const waitLog = {
    onFirstFailure: (what: string, count: number, error: unknown) =>
      log?.warn('the store cannot be reached: kept in memory and tried again until it is back', {
        what,
        count,
        error: error instanceof Error ? error.message : String(error),
      }),
    onRecovered: (what: string, count: number, failures: number) =>
      log?.info('the store is back: written after waiting for it', { what, count, failedTries: failures }),
  };
  /** Claims and writes are tried again while the store cannot be reached (storeRetry.ts). */
  const retry = createStoreRetry({ clock, ...waitLog });

  /** `offset`: RMF's clock minus the wall clock (simulation time), 0 otherwise. */
  function build(rule: Rule, firing: Firing, requestId: string, now: number, offset = 0) {
    return buildApiRequest({
      rule,
      dueAt: firing.dueAt,
      fireAt: firing.fireAt + offset,
      trigger: firing.trigger,
      now: now + offset,
      requestId,
      requester: deps.requester,
    });
  }

  /**
   * The request to publish now: the one prepared at claim time (its request time set), or a new
   * one if there is none or the rule was edited since (the edited task goes out).
   */
  function requestFor(rule: Rule, firing: Firing, requestId: string, now: number, offset: number) {
    const ready = prepared.get(requestId);
    prepared.delete(requestId);
    if (ready === undefined || ready.version !== rule.version)
      return build(rule, firing, requestId, now, offset);
    ready.payload.request.unix_millis_request_time = now + offset;
    ready.payload.request.unix_millis_earliest_start_time = firing.fireAt + offset;
    return {
      payload: ready.payload,
      msg: { json_msg: JSON.stringify(ready.payload), request_id: requestId },
    };
  }

  const claims = createBatcher<ClaimRequest, ClaimResult>((requests) =>
    store.firings.claimBatch(requests, (claim, rule, override) =>
      decideClaim(claim, rule, override, expectations.get(claim.requestId)),
    ),
  );
  const outcomes = createBatcher<FiringOutcome, void>(async (list) => {
    await retry.run(() => store.firings.recordOutcomes(list), list.length, 'firing outcomes');
    return list.map(() => undefined);
  });
  const histories = createBatcher<HistoryRecord, void>(async (list) => {
    await retry.run(() => store.firings.recordHistory(list), list.length, 'firing history');
    return list.map(() => undefined);
  });

  return {
    async claim(input) {
      const requestId = newRequestId(input.ruleId, deps.newId());
      expectations.set(requestId, { version: input.version });
      try {
        // Tried again with the same request id while the store cannot be reached: a claim whose
        // commit went through but whose answer was lost is then recognised as ours.
        const result = await retry.run(
          () =>
            claims.submit({
              ruleId: input.ruleId,
              dueAt: input.dueAt,
              fireAt: input.fireAt,
              trigger: input.trigger,
              requestId,
              claimedAt: clock.now(),
              replicaId: deps.replicaId,
              ...(input.manual ? { manual: input.manual } : {}),
            }),
          1,
          'claims',
        );
        if (result.status === 'claimed' && result.firing.requestId !== null) {
          try {
            const { payload } = build(result.rule, result.firing, result.firing.requestId, clock.now());
            prepared.set(result.firing.requestId, {
              payload: payload as PreparedPayload,
              version: result.rule.version,
            });
          } catch {
            // Not buildable: dispatch builds it again and records why it failed.
          }
        }
        return result;
      } finally {
        expectations.delete(requestId);
      }
    },

    async dispatch({ rule, firing, attempt, reuseRequestId }) {
      const claimed = firing.requestId ?? newRequestId(rule.id, deps.newId());
      const requestId = attempt === 1 || reuseRequestId ? claimed : newRequestId(rule.id, deps.newId());
      let publishedAt: number | null = null;
      let request: unknown = null;
      dispatching++;
      try {
        // Under simulation RMF compares the times with its ROS clock: stamp them in it.
        const offset = dispatcher.rmfClock ? await dispatcher.rmfClock.offsetMs(deps.dispatchTimeoutMs) : 0;
        if (offset === null) {
          throw new Error(
            `use_sim_time is true but no ROS time came on /clock within ${deps.dispatchTimeoutMs} ms (is the simulation running?)`,
          );
        }
        const built = requestFor(rule, firing, requestId, clock.now(), offset);
        request = built.payload;
        const answer = await dispatcher.dispatch(built.msg, {
          timeoutMs: deps.dispatchTimeoutMs,
          onPublished: (at) => {
            publishedAt = at;
          },
        });
        const reading = readAnswer(answer);
        return {
          ...reading,
          requestId,
          request,
          publishedAt,
          respondedAt: answer.kind === 'responded' ? answer.respondedAt : null,
        };
      } catch (error) {
        return {
          status: 'failed',
          requestId,
          request,
          response: null,
          rmfTaskId: null,
          error: `could not build or publish the request: ${error instanceof Error ? error.message : String(error)}`,
          publishedAt,
          respondedAt: null,
        };
      } finally {
        dispatching--;
      }
    },

    async record({ firing, result, attempts }) {
      if (firing.requestId !== null) prepared.delete(firing.requestId);
      const outcome: FiringOutcome = {
        ruleId: firing.ruleId,
        dueAt: firing.dueAt,
        trigger: firing.trigger,
        status: result.status,
        requestId: result.requestId,
        request: result.request,
        response: result.response,
        rmfTaskId: result.rmfTaskId,
        error: result.error,
        attempts,
        publishedAt: result.publishedAt,
        respondedAt: result.respondedAt,
      };
      await outcomes.submit(outcome);
      return { ...firing, ...outcome };
    },

    async recordMissed({ ruleId, dueAt, fireAt, latenessMs }) {
      await histories.submit({
        ruleId,
        dueAt,
        fireAt,
        trigger: 'schedule',
        status: 'missed',
        error: `missed: it fell due ${Math.round(latenessMs / 1000)} s before the scheduler could fire it (the machine slept or the clock jumped), beyond the misfire policy`,
        replicaId: deps.replicaId,
        recordedAt: clock.now(),
      });
    },

    async history(records) {
      await Promise.all(records.map((r) => histories.submit(r)));
      return records.length;
    },

    async outcomes(list) {
      await Promise.all(list.map((o) => outcomes.submit(o)));
    },

    inFlight: () => claims.pending() + dispatching + outcomes.pending(),
    pendingClaims: () => retry.waiting('claims'),
    unwrittenOutcomes: () =>
      retry.waiting('firing outcomes') + retry.waiting('firing history') > 0
        ? outcomes.pending() + histories.pending()
        : 0,
    stop: () => retry.stop(),
  };
}
