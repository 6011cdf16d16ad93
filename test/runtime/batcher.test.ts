import test from 'ava';
import { createBatcher } from '../../src/runtime/batcher.js';

test('requests of one tick go in one call; while it is in flight the next batch accumulates', async (t) => {
  const calls: number[][] = [];
  let release: () => void = () => {};
  const batcher = createBatcher<number, number>(async (list) => {
    calls.push(list);
    if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
    return list.map((n) => n * 10);
  });
  const first = [1, 2, 3].map((n) => batcher.submit(n));
  await new Promise((resolve) => setImmediate(resolve));
  const second = [4, 5].map((n) => batcher.submit(n));
  await new Promise((resolve) => setImmediate(resolve));
  const third = batcher.submit(6);
  t.deepEqual(calls, [[1, 2, 3]]);
  t.is(batcher.pending(), 6);
  release();
  t.deepEqual(await Promise.all(first), [10, 20, 30]);
  t.deepEqual(await Promise.all([...second, third]), [40, 50, 60]);
  t.deepEqual(calls, [
    [1, 2, 3],
    [4, 5, 6],
  ]);
});

test('a failed flush rejects every request of its batch, and later batches still run', async (t) => {
  let fail = true;
  const batcher = createBatcher<number, number>(async (list) => {
    if (fail) throw new Error('store down');
    return list;
  });
  const failed = [batcher.submit(1), batcher.submit(2)];
  for (const p of failed) await t.throwsAsync(p, { message: 'store down' });
  fail = false;
  t.is(await batcher.submit(3), 3);
});
