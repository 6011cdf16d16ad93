import test from 'ava';
import { SimulatedClock } from 'xstate';
import type { TaskSpec } from '../../src/rules/Task.js';
import { buildApiRequest } from '../../src/rmf/buildRequest.js';
import { readAnswer } from '../../src/rmf/readResponse.js';
import { createSimulatedDispatcher } from '../../src/rmf/simulatedDispatcher.js';
import type { ApiRequestMsg, DispatchAnswer } from '../../src/runtime/ports.js';
import { rmfSchemas } from '../helpers/rmfSchemas.js';
import { asRobotTask, specFromExample } from './taskSpecs.js';

const START = Date.parse('2026-01-01T09:59:00.000Z');
const DUE = Date.parse('2026-01-01T10:00:00.000Z');
const patrol = () => specFromExample('dispatch_task_request__patrol.json');
const clean = () => specFromExample('dispatch_task_request__clean.json');

let counter = 0;
function request(task: TaskSpec, requestId = `sched_test_${counter++}`): ApiRequestMsg {
  return buildApiRequest({
    rule: { id: '6f0c7a52-3b1e-4c8e-9d2a-0b7e5f1c2d3e', name: 'nightly patrol', task, labels: ['team=ops'] },
    dueAt: DUE,
    fireAt: DUE,
    trigger: 'schedule',
    now: START,
    requestId,
    requester: 'rmf_task_scheduler',
  }).msg;
}

/** Let the simulated RMF take what was published (it runs after the publish returns). */
const rmfRuns = () => Promise.resolve();

function setup(latencyMs?: number) {
  const clock = new SimulatedClock();
  clock.set(START);
  const rmf = createSimulatedDispatcher({ clock, latencyMs });
  /** Dispatch, then move the clock by `advance` ms. */
  const send = async (msg: ApiRequestMsg, advance = 0, timeoutMs = 5000): Promise<DispatchAnswer> => {
    const answer = rmf.dispatch(msg, { timeoutMs });
    await rmfRuns();
    clock.increment(advance);
    return answer;
  };
  return { clock, rmf, send };
}

const response = (answer: DispatchAnswer): Record<string, unknown> => {
  if (answer.kind !== 'responded') throw new Error(`no answer: ${JSON.stringify(answer)}`);
  return answer.response as Record<string, unknown>;
};

test('a dispatch request is accepted like RMF’s dispatcher does, with a schema-valid task state', async (t) => {
  const { rmf, send } = setup();
  const msg = request(patrol());
  const answer = response(await send(msg));
  const sent = JSON.parse(msg.json_msg) as { request: Record<string, unknown> };
  t.deepEqual(rmfSchemas().validate('dispatch_task_response.json', answer), []);
  t.deepEqual(rmfSchemas().validate('task_state.json', answer.state), []);
  t.deepEqual(answer.state, {
    booking: {
      id: 'patrol.dispatch-0',
      unix_millis_earliest_start_time: DUE,
      unix_millis_request_time: START,
      priority: { type: 'binary', value: 0 },
      labels: sent.request.labels,
      requester: 'rmf_task_scheduler',
    },
    category: 'patrol',
    detail: sent.request.description,
    status: 'queued',
    unix_millis_start_time: DUE,
    dispatch: { status: 'queued', errors: [] },
  });
  t.deepEqual(rmf.received, [msg]);
});

test('task ids count up per dispatcher, by category', async (t) => {
  const { send } = setup();
  const ids = [];
  for (const task of [patrol(), clean(), patrol()]) ids.push(readAnswer(await send(request(task))).rmfTaskId);
  t.deepEqual(ids, ['patrol.dispatch-0', 'clean.dispatch-1', 'patrol.dispatch-2']);
});

test('a robot request is accepted like a fleet adapter does: task id = request id, assigned to the robot', async (t) => {
  const { send } = setup();
  const answer = response(
    await send(request(asRobotTask(patrol(), 'tinyRobot2', 'tinyRobot'), 'sched_6f0c7a52_abc')),
  );
  t.deepEqual(rmfSchemas().validate('robot_task_response.json', answer), []);
  t.deepEqual(rmfSchemas().validate('task_state.json', answer.state), []);
  const state = answer.state as { booking: { id: string }; assigned_to: unknown; status: string };
  t.is(state.booking.id, 'sched_6f0c7a52_abc');
  t.deepEqual(state.assigned_to, { group: 'tinyRobot', name: 'tinyRobot2' });
  t.is(state.status, 'queued');
});

test('the answer comes on the next tick of the clock, or after the configured latency', async (t) => {
  const { clock, rmf } = setup(250);
  let answered = false;
  const answer = rmf.dispatch(request(patrol()), { timeoutMs: 5000 }).then((a) => {
    answered = true;
    return a;
  });
  await rmfRuns();
  clock.increment(249);
  await new Promise((resolve) => setImmediate(resolve));
  t.false(answered);
  clock.increment(1);
  t.is((await answer).kind, 'responded');
  t.is(((await answer) as { respondedAt: number }).respondedAt, START + 250);
});

test('onPublished gets the clock time of the publish', async (t) => {
  const { clock, rmf } = setup();
  let publishedAt = 0;
  const answer = rmf.dispatch(request(patrol()), {
    timeoutMs: 5000,
    onPublished: (at) => (publishedAt = at),
  });
  t.is(publishedAt, START);
  await rmfRuns();
  clock.increment(0);
  await answer;
});

test('reject() answers matching requests with RMF errors, a given number of times', async (t) => {
  const { rmf, send } = setup();
  rmf.reject(
    { category: 'clean' },
    [{ code: 4, category: 'Unsupported type', detail: 'No fleet can clean' }],
    { times: 1 },
  );
  const first = await send(request(clean()));
  t.deepEqual(rmfSchemas().validate('dispatch_task_response.json', response(first)), []);
  t.deepEqual(readAnswer(first), {
    status: 'rejected',
    rmfTaskId: null,
    error: 'code 4 Unsupported type: No fleet can clean',
    response: response(first),
  });
  t.is(readAnswer(await send(request(patrol()))).status, 'dispatched', 'other categories pass');
  t.is(readAnswer(await send(request(clean()))).status, 'dispatched', 'the retry passes');
});

test('drop() makes RMF silent: the request times out on the clock', async (t) => {
  const { rmf, send } = setup();
  rmf.drop((r) => r.labels.includes('team=ops'));
  t.deepEqual(await send(request(patrol()), 5000, 5000), { kind: 'timed_out', acknowledged: false });
  t.is(rmf.received.length, 1);
});

test('requests RMF does not answer (unknown type, not JSON, malformed dispatch) time out', async (t) => {
  const { send } = setup();
  for (const json_msg of [
    '{"type":"cancel_task_request","task_id":"x"}',
    'not json',
    '{"type":"dispatch_task_request","request":{"category":"patrol"}}',
  ]) {
    t.is((await send({ json_msg, request_id: `r-${json_msg.length}` }, 5000)).kind, 'timed_out', json_msg);
  }
});

test('a malformed robot request is refused with code 5, as every fleet adapter does', async (t) => {
  const { send } = setup();
  const answer = await send({
    json_msg: '{"type":"robot_task_request","robot":"r","request":{}}',
    request_id: 'bad',
  });
  t.deepEqual(rmfSchemas().validate('robot_task_response.json', response(answer)), []);
  t.regex(readAnswer(answer).error ?? '', /^code 5 Invalid request format/);
});

test('delay() beyond the timeout times out, and the late answer is still sent', async (t) => {
  const { clock, rmf, send } = setup();
  rmf.delay(8000);
  t.is((await send(request(patrol()), 5000, 5000)).kind, 'timed_out');
  clock.increment(3000);
  t.is(rmf.sent.length, 1);
  t.is(rmf.sent[0]?.type, 2);
});

test('acknowledges extend the timeout until the slow answer arrives', async (t) => {
  const { clock, rmf } = setup();
  rmf.delay(12_000);
  rmf.acknowledge({ type: 'dispatch_task_request' }, { count: 2, everyMs: 4000 });
  const answer = rmf.dispatch(request(patrol()), { timeoutMs: 5000 });
  await rmfRuns();
  for (let i = 0; i < 12; i++) clock.increment(1000);
  t.is(readAnswer(await answer).status, 'dispatched');
  t.deepEqual(
    rmf.sent.map((m) => m.type),
    [1, 1, 2],
  );
});

test('without acknowledges the same slow answer times out', async (t) => {
  const { clock, rmf } = setup();
  rmf.delay(12_000);
  const answer = rmf.dispatch(request(patrol()), { timeoutMs: 5000 });
  await rmfRuns();
  for (let i = 0; i < 12; i++) clock.increment(1000);
  t.deepEqual(await answer, { kind: 'timed_out', acknowledged: false });
});

test('duplicate answers are dropped: the first one counts, and only one task is created', async (t) => {
  const { rmf, send } = setup();
  rmf.duplicate({ category: 'patrol' }, 3);
  const answer = await send(request(patrol()));
  t.is(readAnswer(answer).rmfTaskId, 'patrol.dispatch-0');
  t.is(rmf.sent.length, 3);
  t.is(readAnswer(await send(request(patrol()))).rmfTaskId, 'patrol.dispatch-1');
});

test('answers for ids nobody sent are dropped', async (t) => {
  const { rmf, send } = setup();
  const answer = send(request(patrol(), 'mine'));
  t.is(rmf.respond({ type: 2, json_msg: '{"success":false}', request_id: 'someone-elses' }), 'unknown');
  t.is(readAnswer(await answer).status, 'dispatched');
  t.is(rmf.respond({ type: 2, json_msg: '{"success":false}', request_id: 'mine' }), 'duplicate');
});

test('controls can match one request id or a label', async (t) => {
  const { rmf, send } = setup();
  rmf.reject({ requestId: 'second' }, []);
  rmf.drop({ label: 'never-used' });
  t.is(readAnswer(await send(request(patrol(), 'first'))).status, 'dispatched');
  t.deepEqual(readAnswer(await send(request(patrol(), 'second'))).error, 'RMF gave no reason');
});

test('reset() forgets controls, history and the task counter, like a restarted RMF', async (t) => {
  const { rmf, send } = setup();
  rmf.drop({});
  await send(request(patrol()), 5000);
  rmf.reset();
  t.deepEqual(rmf.received, []);
  t.deepEqual(rmf.sent, []);
  t.is(readAnswer(await send(request(patrol()))).rmfTaskId, 'patrol.dispatch-0');
});

test('close() fails what is pending, cancels scheduled answers and refuses new requests', async (t) => {
  const { clock, rmf } = setup(1000);
  const pending = rmf.dispatch(request(patrol()), { timeoutMs: 5000 });
  await rmf.close();
  t.is((await pending).kind, 'failed');
  clock.increment(2000);
  t.deepEqual(rmf.sent, []);
  t.is((await rmf.dispatch(request(patrol()), { timeoutMs: 5000 })).kind, 'failed');
});

test('task states reach subscribers until they unsubscribe', (t) => {
  const { rmf } = setup();
  const seen: string[] = [];
  const stop = rmf.onTaskState((taskId) => seen.push(taskId));
  rmf.emitTaskState({ booking: { id: 'patrol.dispatch-0' }, status: 'underway' });
  stop();
  rmf.emitTaskState({ booking: { id: 'patrol.dispatch-0' }, status: 'completed' });
  t.deepEqual(seen, ['patrol.dispatch-0']);
  t.is(rmf.kind, 'simulated');
});
