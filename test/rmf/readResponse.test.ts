import test from 'ava';
import { readAnswer, readTaskStateUpdate } from '../../src/rmf/readResponse.js';
import type { DispatchAnswer } from '../../src/runtime/ports.js';
import { exampleNames, readExample } from '../helpers/rmfSchemas.js';

const responded = (response: unknown): DispatchAnswer => ({ kind: 'responded', response, respondedAt: 1 });

test("the dispatcher's success answer dispatches, with RMF's task id", (t) => {
  const response = readExample('dispatch_task_response__success.json');
  t.deepEqual(readAnswer(responded(response)), {
    status: 'dispatched',
    rmfTaskId: 'patrol.dispatch-0',
    error: null,
    response,
  });
});

test("a fleet adapter's success answer dispatches, with the request id as task id", (t) => {
  const reading = readAnswer(responded(readExample('robot_task_response__success.json')));
  t.is(reading.status, 'dispatched');
  t.is(reading.rmfTaskId, 'sched_patrol_7c2a4e0e-5b7e-4d43-9f51-2f0f4b1c9a11');
});

test('the success RMF really emits for a request without earliest start (null times) still dispatches', (t) => {
  const reading = readAnswer(
    responded(readExample('dispatch_task_response__success_null_start_time__as_emitted.json')),
  );
  t.is(reading.status, 'dispatched');
  t.is(reading.rmfTaskId, 'patrol.dispatch-0');
});

test('a failure answer is a rejection that quotes RMF’s errors', (t) => {
  const response = readExample('dispatch_task_response__failure.json');
  t.deepEqual(readAnswer(responded(response)), {
    status: 'rejected',
    rmfTaskId: null,
    error:
      "code 5 Invalid request format: At /request of {...} - required property 'description' not found in object",
    response,
  });
});

test('robot failures read as rejections with their code and reason', (t) => {
  t.is(
    readAnswer(responded(readExample('robot_task_response__failure_unsupported_category.json'))).error,
    'code 4 Unsupported type: Fleet [tinyRobot] does not support task category [clean]',
  );
  t.is(
    readAnswer(responded(readExample('robot_task_response__failure_uncommissioned.json'))).error,
    'code 20 Uncommissioned: The robot [tinyRobot1] in fleet [tinyRobot] is not commissioned to perform direct tasks.',
  );
});

test('the same error from every robot is said once; different errors are all listed', (t) => {
  const e1 = { code: 5, category: 'Invalid request format', detail: 'bad' };
  const e2 = { code: 42, detail: 'wrapped' };
  t.is(
    readAnswer(responded({ success: false, errors: [e1, e1, e2] })).error,
    'code 5 Invalid request format: bad; code 42: wrapped',
  );
});

for (const empty of [{}, { success: false }, { success: false, errors: [] }]) {
  test(`an empty failure ${JSON.stringify(empty)} is a rejection without reason`, (t) => {
    t.deepEqual(readAnswer(responded(empty)), {
      status: 'rejected',
      rmfTaskId: null,
      error: 'RMF gave no reason',
      response: empty,
    });
  });
}

test('a success without task id is a failure, not a dispatch', (t) => {
  for (const response of [
    { success: true },
    { success: true, state: { booking: {} } },
    { success: true, state: { booking: { id: '' } } },
  ]) {
    const reading = readAnswer(responded(response));
    t.is(reading.status, 'failed');
    t.is(reading.rmfTaskId, null);
    t.regex(reading.error ?? '', /no task id/);
  }
});

test('an answer that is not an object, or whose success is not a boolean, is a failure', (t) => {
  for (const response of [null, 'ok', [true], 3, { success: 'yes' }]) {
    t.is(readAnswer(responded(response)).status, 'failed', JSON.stringify(response));
  }
});

test('a timeout says whether RMF acknowledged the request', (t) => {
  const silent = readAnswer({ kind: 'timed_out', acknowledged: false });
  const acked = readAnswer({ kind: 'timed_out', acknowledged: true });
  t.is(silent.status, 'timed_out');
  t.regex(silent.error ?? '', /did not answer/);
  t.is(acked.status, 'timed_out');
  t.regex(acked.error ?? '', /acknowledged/);
});

test('a transport failure is a failure with its reason', (t) => {
  t.deepEqual(readAnswer({ kind: 'failed', error: 'publisher gone' }), {
    status: 'failed',
    rmfTaskId: null,
    error: 'publisher gone',
    response: null,
  });
});

for (const name of exampleNames('task_state_update__')) {
  test(`the task state update ${name} names its task`, (t) => {
    const message = readExample(name) as { data: { booking: { id: string } } };
    t.deepEqual(readTaskStateUpdate(JSON.stringify(message)), {
      taskId: message.data.booking.id,
      state: message.data,
    });
  });
}

test('anything but a task state update is ignored', (t) => {
  for (const json of [
    'not json',
    '{"type":"task_log_update","data":{"booking":{"id":"x"}}}',
    '{"type":"task_state_update","data":{"booking":{}}}',
    '{"type":"task_state_update"}',
    '[]',
  ]) {
    t.is(readTaskStateUpdate(json), null, json);
  }
});
