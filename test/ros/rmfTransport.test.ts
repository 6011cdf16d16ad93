import test from 'ava';
import { randomUUID } from 'node:crypto';
import { SimulatedClock } from 'xstate';
import type { RmfConfig } from '../../src/Config.js';
import { createMemoryLogger } from '../../src/log.js';
import type { ApiRequestMsg, DispatchAnswer } from '../../src/runtime/ports.js';
import { createRmfTransport, type RmfTransport } from '../../src/ros/rmfTransport.js';
import { createFakeRos, FakeQoS, type FakeRclModule, type FakeRos } from '../helpers/fakeRcl.js';
import { readExample, startFakeRmf } from '../helpers/fakeRclRmf.js';

const rmfConfig = (over: Partial<RmfConfig> = {}): RmfConfig => ({
  transport: 'ros',
  requests_topic: 'task_api_requests',
  responses_topic: 'task_api_responses',
  task_state_topic: 'task_state_update',
  follow_task_states: false,
  qos_depth: 10,
  dispatch_timeout_ms: 5000,
  requester: 'rmf_task_scheduler',
  follow_dispatch_states: true,
  dispatch_states_topic: 'dispatch_states',
  cancel_withdrawn: true,
  cancel_service: 'cancel_task',
  cancel_timeout_ms: 5000,
  sim_categories: [],
  sim_robots: [],
  sim_silent_labels: [],
  sim_slow_labels: [],
  sim_slow_ms: 0,
  ...over,
});

const example = readExample('ros_ApiRequest__dispatch_patrol.json') as ApiRequestMsg;
const newRequest = (): ApiRequestMsg => ({
  json_msg: example.json_msg,
  request_id: `sched_patrol_${randomUUID()}`,
});

interface Scheduler {
  rcl: FakeRclModule;
  transport: RmfTransport;
  clock: SimulatedClock;
}

async function startScheduler(
  ros: FakeRos,
  options: { argv?: string[]; rmf?: Partial<RmfConfig>; clock?: SimulatedClock } = {},
): Promise<Scheduler> {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', 'task_scheduler', ...(options.argv ?? [])]);
  const node = rcl.createNode('task_scheduler');
  const clock = options.clock ?? new SimulatedClock();
  const transport = createRmfTransport({
    rcl,
    node,
    rmf: rmfConfig(options.rmf),
    clock,
    logger: createMemoryLogger(),
  });
  node.spin();
  return { rcl, transport, clock };
}

/** RMF's booking id in a responded answer (or the answer's kind when there is none). */
function bookingId(answer: DispatchAnswer | null | undefined): string {
  if (!answer) return 'pending';
  if (answer.kind !== 'responded') return answer.kind;
  const r = answer.response as { state?: { booking?: { id?: string } } };
  return r.state?.booking?.id ?? 'no booking';
}

/** Settles a promise-in-flight flag so a test can tell "still waiting" from "answered". */
function track(p: Promise<DispatchAnswer>): { answer: DispatchAnswer | null } {
  const state: { answer: DispatchAnswer | null } = { answer: null };
  void p.then((a) => (state.answer = a));
  return state;
}

test('a request is published to RMF and answered with its own request id', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const { transport, clock } = await startScheduler(ros);
  clock.set(1_767_261_599_500);
  const request = newRequest();
  const published: number[] = [];
  const answer = await transport.dispatch(request, {
    timeoutMs: 5000,
    onPublished: (at) => published.push(at),
  });
  t.deepEqual(rmf.received, [request]);
  t.deepEqual(published, [1_767_261_599_500]);
  t.is(answer.kind, 'responded');
  const response = (answer as Extract<DispatchAnswer, { kind: 'responded' }>).response as {
    success: boolean;
    state: { booking: { id: string; labels: string[] } };
  };
  t.true(response.success);
  t.is(response.state.booking.id, 'patrol.dispatch-0');
  t.deepEqual(response.state.booking.labels, ['scheduler', 'rule=nightly-patrol']);
  t.deepEqual(ros.incompatibilities, []);
});

test('concurrent requests each get their own answer', async (t) => {
  const ros = createFakeRos();
  await startFakeRmf(ros);
  const { transport } = await startScheduler(ros);
  const requests = [newRequest(), newRequest(), newRequest()];
  const answers = await Promise.all(requests.map((r) => transport.dispatch(r, { timeoutMs: 5000 })));
  const ids = answers.map(bookingId);
  t.deepEqual(ids.sort(), ['patrol.dispatch-0', 'patrol.dispatch-1', 'patrol.dispatch-2']);
});

test("RMF's rejection comes back as its answer, with RMF's errors", async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'reject';
  const { transport } = await startScheduler(ros);
  const answer = await transport.dispatch(newRequest(), { timeoutMs: 5000 });
  t.is(answer.kind, 'responded');
  t.deepEqual(
    answer.kind === 'responded' && answer.response,
    readExample('dispatch_task_response__failure.json'),
  );
});

test('silence ends in timed_out once the timeout passes on the clock', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport, clock } = await startScheduler(ros);
  const state = track(transport.dispatch(newRequest(), { timeoutMs: 5000 }));
  await ros.flush();
  t.is(rmf.received.length, 1);
  clock.increment(4999);
  await ros.flush();
  t.is(state.answer, null);
  clock.increment(1);
  await ros.flush();
  t.deepEqual(state.answer, { kind: 'timed_out', acknowledged: false });
});

test('an acknowledge restarts the wait, and the final answer still counts', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport, clock } = await startScheduler(ros);
  const request = newRequest();
  const state = track(transport.dispatch(request, { timeoutMs: 5000 }));
  await ros.flush();
  clock.increment(4000);
  rmf.respond(request.request_id, 1, {});
  await ros.flush();
  clock.increment(4000); // 8 s after publishing: past the first deadline, within the extended one
  await ros.flush();
  t.is(state.answer, null);
  rmf.respond(request.request_id, 2, rmf.answerFor(request));
  await ros.flush();
  t.is(state.answer?.kind, 'responded');
});

test('an acknowledged request that gets no final answer times out as acknowledged', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport, clock } = await startScheduler(ros);
  const request = newRequest();
  const state = track(transport.dispatch(request, { timeoutMs: 5000 }));
  await ros.flush();
  rmf.respond(request.request_id, 1, {});
  await ros.flush();
  clock.increment(5000);
  await ros.flush();
  t.deepEqual(state.answer, { kind: 'timed_out', acknowledged: true });
});

test('an ApiResponse of type 0 (uninitialized) fails the request', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport } = await startScheduler(ros);
  const request = newRequest();
  const pending = transport.dispatch(request, { timeoutMs: 5000 });
  await ros.flush();
  rmf.respond(request.request_id, 0, {});
  const answer = await pending;
  t.is(answer.kind, 'failed');
});

test('a second answer to the same request is dropped: the first one wins', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'duplicate';
  const { transport } = await startScheduler(ros);
  const first = await transport.dispatch(newRequest(), { timeoutMs: 5000 });
  await ros.flush();
  t.is(bookingId(first), 'patrol.dispatch-0');
  rmf.behaviour = 'accept';
  const second = await transport.dispatch(newRequest(), { timeoutMs: 5000 });
  t.is(bookingId(second), 'patrol.dispatch-2');
});

test("answers to other clients' request ids are not taken for ours", async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport } = await startScheduler(ros);
  const request = newRequest();
  const state = track(transport.dispatch(request, { timeoutMs: 5000 }));
  await ros.flush();
  rmf.respond(`someone_else_${randomUUID()}`, 2, rmf.answerFor(request));
  await ros.flush();
  t.is(state.answer, null);
  rmf.respond(request.request_id, 2, rmf.answerFor(request));
  await ros.flush();
  t.is(bookingId(state.answer), 'patrol.dispatch-1');
});

test('after a restart, recover() returns the answers RMF replays, and new requests get their own', async (t) => {
  const ros = createFakeRos();
  await startFakeRmf(ros);
  const before = await startScheduler(ros);
  const old = newRequest();
  const oldAnswer = await before.transport.dispatch(old, { timeoutMs: 5000 });
  await before.transport.close();
  before.rcl.shutdown();

  // A new process: same node name, fresh subscription, RMF replays its recent answers.
  const after = await startScheduler(ros);
  const fresh = newRequest();
  const freshAnswer = await after.transport.dispatch(fresh, { timeoutMs: 5000 });
  t.is(bookingId(freshAnswer), 'patrol.dispatch-1');

  const unknown = `sched_patrol_${randomUUID()}`;
  const recovering = after.transport.recover!([old.request_id, unknown], 2000);
  await ros.flush();
  after.clock.increment(2000);
  const recovered = await recovering;
  t.deepEqual([...recovered.keys()], [old.request_id]);
  const got = recovered.get(old.request_id) as Extract<DispatchAnswer, { kind: 'responded' }>;
  t.deepEqual(got.response, (oldAnswer as Extract<DispatchAnswer, { kind: 'responded' }>).response);
});

test('recover() waits for replays that have not arrived yet, and stops waiting once all are found', async (t) => {
  const ros = createFakeRos();
  await startFakeRmf(ros);
  const before = await startScheduler(ros);
  const old = [newRequest(), newRequest()];
  for (const r of old) await before.transport.dispatch(r, { timeoutMs: 5000 });
  before.rcl.shutdown();

  const after = await startScheduler(ros);
  // Asked before the replay is delivered: resolves with both, without the clock moving.
  const recovered = await after.transport.recover!(
    old.map((r) => r.request_id),
    60_000,
  );
  t.deepEqual([...recovered.keys()].sort(), old.map((r) => r.request_id).sort());
  t.true([...recovered.values()].every((a) => a.kind === 'responded'));
});

test('our request publisher matches RMF: a late-starting RMF still receives the request', async (t) => {
  const ros = createFakeRos();
  const { transport } = await startScheduler(ros);
  const request = newRequest();
  const state = track(transport.dispatch(request, { timeoutMs: 5000 }));
  await ros.flush();
  const rmf = await startFakeRmf(ros); // RMF's dispatcher (re)starts after the request was published
  await ros.flush();
  t.deepEqual(rmf.received, [request]);
  t.is(state.answer?.kind, 'responded');
  t.deepEqual(ros.incompatibilities, []);
});

test('a VOLATILE or BEST_EFFORT request publisher would reach nothing: RMF asks for RELIABLE + TRANSIENT_LOCAL', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node']);
  const node = rcl.createNode('careless_client');
  const { RMW_QOS_POLICY_HISTORY_KEEP_LAST: KEEP_LAST } = FakeQoS.HistoryPolicy;
  const volatile = node.createPublisher('rmf_task_msgs/msg/ApiRequest', 'task_api_requests', {
    qos: new FakeQoS(KEEP_LAST, 10, 1, FakeQoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE),
  });
  const bestEffort = node.createPublisher('rmf_task_msgs/msg/ApiRequest', 'task_api_requests', {
    qos: new FakeQoS(KEEP_LAST, 10, FakeQoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT, 1),
  });
  volatile.publish(newRequest());
  bestEffort.publish(newRequest());
  await ros.flush();
  t.deepEqual(rmf.received, []);
  t.deepEqual(
    ros.incompatibilities.map((i) => [i.topic, i.policy]),
    [
      ['/task_api_requests', 'DURABILITY'],
      ['/task_api_requests', 'RELIABILITY'],
    ],
  );

  // …while ours, on the same graph, is delivered.
  const { transport } = await startScheduler(ros);
  await transport.dispatch(newRequest(), { timeoutMs: 5000 });
  t.is(rmf.received.length, 1);
});

test('topic names are relative: the node namespace applies to both API topics', async (t) => {
  const ros = createFakeRos();
  const rootRmf = await startFakeRmf(ros);
  const siteRmf = await startFakeRmf(ros, { namespace: '/site_a' });
  const { transport } = await startScheduler(ros, { argv: ['--ros-args', '-r', '__ns:=/site_a'] });
  t.deepEqual(transport.topics, {
    requests: '/site_a/task_api_requests',
    responses: '/site_a/task_api_responses',
    taskStates: null,
    dispatchStates: '/site_a/dispatch_states',
    clock: null,
  });
  const answer = await transport.dispatch(newRequest(), { timeoutMs: 5000 });
  t.is(answer.kind, 'responded');
  t.is(siteRmf.received.length, 1);
  t.is(rootRmf.received.length, 0);
});

test('configured topic names are used', async (t) => {
  const ros = createFakeRos();
  const { transport } = await startScheduler(ros, {
    rmf: { requests_topic: '/rmf/requests', responses_topic: 'responses' },
  });
  t.is(transport.topics.requests, '/rmf/requests');
  t.is(transport.topics.responses, '/responses');
});

test('with follow_task_states, task states from task_state_update reach onTaskState', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const queued = readExample('task_state_update__queued.json') as { data: { booking: { id: string } } };
  rmf.publishTaskState(queued); // published before we start: replayed (TRANSIENT_LOCAL)
  const { transport } = await startScheduler(ros, { rmf: { follow_task_states: true } });
  t.is(transport.topics.taskStates, '/task_state_update');
  const seen: Array<[string, unknown]> = [];
  transport.onTaskState!((id, state) => seen.push([id, state]));
  await ros.flush();
  const completed = readExample('task_state_update__completed.json') as { data: { booking: { id: string } } };
  rmf.publishTaskState(completed);
  rmf.publishTaskState({ type: 'task_log_update', data: {} }); // not a state: ignored
  await ros.flush();
  t.deepEqual(seen, [
    [queued.data.booking.id, queued.data],
    [completed.data.booking.id, completed.data],
  ]);
});

test('without follow_task_states there is no task state subscription', async (t) => {
  const ros = createFakeRos();
  const { transport } = await startScheduler(ros);
  t.is(transport.onTaskState, undefined);
  t.false(ros.topics().some((topic) => topic.name === '/task_state_update'));
});

test('close() ends waiting requests as failed and refuses new ones', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  rmf.behaviour = 'silent';
  const { transport } = await startScheduler(ros);
  const pending = transport.dispatch(newRequest(), { timeoutMs: 5000 });
  await ros.flush();
  await transport.close();
  t.is((await pending).kind, 'failed');
  t.is((await transport.dispatch(newRequest(), { timeoutMs: 5000 })).kind, 'failed');
});

test('answers kept for recover() are bounded (oldest dropped) and acknowledges are not answers', async (t) => {
  const ros = createFakeRos();
  const rmf = await startFakeRmf(ros);
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node']);
  const node = rcl.createNode('task_scheduler');
  const clock = new SimulatedClock();
  const transport = createRmfTransport({
    rcl,
    node,
    rmf: rmfConfig(),
    clock,
    logger: createMemoryLogger(),
    replayCapacity: 2,
  });
  node.spin();
  const ids = ['old_1', 'old_2', 'old_3'];
  for (const id of ids) rmf.respond(id, 2, { success: true, state: { booking: { id: `t.${id}` } } });
  rmf.respond('old_ack', 1, {});
  await ros.flush();
  const recovering = transport.recover!([...ids, 'old_ack'], 1000);
  clock.increment(1000);
  const recovered = await recovering;
  t.deepEqual([...recovered.keys()].sort(), ['old_2', 'old_3']);
});
