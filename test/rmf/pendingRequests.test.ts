import test from 'ava';
import { SimulatedClock } from 'xstate';
import { createPendingRequests } from '../../src/rmf/pendingRequests.js';
import type { DispatchAnswer } from '../../src/runtime/ports.js';

function setup() {
  const clock = new SimulatedClock();
  clock.set(1_767_261_600_000);
  const pending = createPendingRequests({ clock });
  const settled = new Map<string, DispatchAnswer>();
  const wait = (id: string, timeoutMs = 5000) => {
    void pending.wait(id, timeoutMs).then((a) => settled.set(id, a));
  };
  /** Let resolved promises run their callbacks. */
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { clock, pending, settled, wait, flush };
}

const final = (
  id: string,
  json: unknown = { success: true, state: { booking: { id: 'patrol.dispatch-0' } } },
) => ({
  type: 2,
  json_msg: JSON.stringify(json),
  request_id: id,
});
const ack = (id: string) => ({ type: 1, json_msg: '', request_id: id });

test('the final answer with the same request id resolves the wait, parsed, at the clock’s time', async (t) => {
  const { clock, pending, settled, wait, flush } = setup();
  wait('a');
  clock.increment(1200);
  t.is(pending.onResponse(final('a', { success: false, errors: [] })), 'final');
  await flush();
  t.deepEqual(settled.get('a'), {
    kind: 'responded',
    response: { success: false, errors: [] },
    respondedAt: clock.now(),
  });
  t.is(pending.size, 0);
});

test('silence times out on the injected clock, not before', async (t) => {
  const { clock, pending, settled, wait, flush } = setup();
  wait('a', 5000);
  clock.increment(4999);
  await flush();
  t.false(settled.has('a'));
  clock.increment(1);
  await flush();
  t.deepEqual(settled.get('a'), { kind: 'timed_out', acknowledged: false });
  t.is(pending.size, 0);
});

test('each acknowledge restarts the timeout', async (t) => {
  const { clock, pending, settled, wait, flush } = setup();
  wait('a', 5000);
  clock.increment(4000);
  t.is(pending.onResponse(ack('a')), 'ack');
  clock.increment(4000);
  t.is(pending.onResponse(ack('a')), 'ack');
  clock.increment(4999);
  await flush();
  t.false(settled.has('a'), 'still waiting 13 s after the request');
  t.is(pending.onResponse(final('a')), 'final');
  await flush();
  t.is(settled.get('a')?.kind, 'responded');
});

test('an acknowledged request that then goes silent says it was acknowledged', async (t) => {
  const { clock, pending, settled, wait, flush } = setup();
  wait('a', 5000);
  pending.onResponse(ack('a'));
  clock.increment(5000);
  await flush();
  t.deepEqual(settled.get('a'), { kind: 'timed_out', acknowledged: true });
});

test('answers to ids nobody waits for are dropped as unknown', async (t) => {
  const { pending, settled, wait, flush } = setup();
  wait('mine');
  t.is(pending.onResponse(final('someone-else')), 'unknown');
  t.is(pending.onResponse(ack('someone-else')), 'unknown');
  await flush();
  t.false(settled.has('mine'));
  t.is(pending.size, 1);
});

test('the first final answer wins; repeats are duplicates', async (t) => {
  const { pending, settled, wait, flush } = setup();
  wait('a');
  t.is(pending.onResponse(final('a', { success: true, state: { booking: { id: 'first' } } })), 'final');
  t.is(pending.onResponse(final('a', { success: true, state: { booking: { id: 'second' } } })), 'duplicate');
  t.is(pending.onResponse(ack('a')), 'duplicate');
  await flush();
  t.deepEqual((settled.get('a') as { response: unknown }).response, {
    success: true,
    state: { booking: { id: 'first' } },
  });
});

test('an answer after the timeout is reported late (RMF may have created the task)', async (t) => {
  const { clock, pending, settled, wait, flush } = setup();
  wait('a', 5000);
  clock.increment(5000);
  t.is(pending.onResponse(final('a')), 'late');
  await flush();
  t.is(settled.get('a')?.kind, 'timed_out');
});

test('unparseable JSON or a non-final type fails the request', async (t) => {
  const { pending, settled, wait, flush } = setup();
  wait('bad-json');
  wait('type-0');
  t.is(pending.onResponse({ type: 2, json_msg: '{"success":', request_id: 'bad-json' }), 'invalid');
  t.is(pending.onResponse({ type: 0, json_msg: '{}', request_id: 'type-0' }), 'invalid');
  await flush();
  t.regex((settled.get('bad-json') as { error: string }).error, /unparseable JSON/);
  t.regex((settled.get('type-0') as { error: string }).error, /type 0/);
});

test('waiting twice on one id fails the second wait and keeps the first', async (t) => {
  const { pending } = setup();
  const first = pending.wait('a', 5000);
  const second = await pending.wait('a', 5000);
  t.is(second.kind, 'failed');
  pending.onResponse(final('a'));
  t.is((await first).kind, 'responded');
});

test('a request id may be reused once its wait ended (a retry)', async (t) => {
  const { clock, pending } = setup();
  const first = pending.wait('a', 100);
  clock.increment(100);
  t.is((await first).kind, 'timed_out');
  const retry = pending.wait('a', 100);
  t.is(pending.onResponse(final('a')), 'final');
  t.is((await retry).kind, 'responded');
});

test('fail() ends one wait, closeAll() ends every wait, and timers are cleared', async (t) => {
  const { clock, pending } = setup();
  const a = pending.wait('a', 5000);
  const b = pending.wait('b', 5000);
  const c = pending.wait('c', 5000);
  t.true(pending.fail('a', 'publish failed'));
  t.false(pending.fail('zzz', 'nothing'));
  pending.closeAll('shutting down');
  t.is(pending.size, 0);
  t.deepEqual(await a, { kind: 'failed', error: 'publish failed' });
  t.deepEqual(await b, { kind: 'failed', error: 'shutting down' });
  t.deepEqual(await c, { kind: 'failed', error: 'shutting down' });
  clock.increment(10_000);
  t.is(pending.onResponse(final('b')), 'late');
});
