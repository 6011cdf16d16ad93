import test from 'ava';
import { createWallClock } from '../../src/runtime/wallClock.js';

/**
 * A fake machine: a monotonic time that drives Node-like timers, and a wall clock (the system
 * time the clock reads) that follows it plus an offset that a test can step (NTP, VM resume).
 * Like Node, a timer asked for more than 2^31−1 ms fires at once, and `earlyMs` makes timers
 * wake a little early.
 */
function fakeMachine(start = Date.parse('2026-03-01T00:00:00.000Z'), earlyMs = 0) {
  let mono = 0;
  let offset = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let maxArmed = 0;
  const machine = {
    wallNow: () => mono + offset,
    setTimer: (fn: () => void, ms: number) => {
      maxArmed = Math.max(maxArmed, ms);
      const delay = ms > 2 ** 31 - 1 ? 1 : Math.max(1, ms);
      const id = nextId++;
      timers.set(id, { at: mono + (delay > earlyMs ? delay - earlyMs : delay), fn });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers.delete(id as number);
    },
    /** Let `ms` of real (monotonic) time pass, waking timers on the way. */
    run(ms: number) {
      const end = mono + ms;
      for (;;) {
        let first: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (first === undefined || entry[1].at < first[1].at) first = entry;
        if (!first || first[1].at > end) break;
        timers.delete(first[0]);
        mono = Math.max(mono, first[1].at);
        first[1].fn();
      }
      mono = end;
    },
    step(ms: number) {
      offset += ms;
    },
    timers,
    maxArmed: () => maxArmed,
  };
  return machine;
}

const DAY = 86_400_000;

test('a wait of 40 days fires once, on time, never armed beyond the cap', (t) => {
  const m = fakeMachine();
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const due = m.wallNow() + 40 * DAY;
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(m.wallNow()), 40 * DAY);
  m.run(40 * DAY - 1);
  t.deepEqual(fired, []);
  m.run(5);
  t.deepEqual(fired, [due]);
  t.true(m.maxArmed() <= 1_000);
  t.is(clock.pending(), 0);
  t.is(m.timers.size, 0);
});

test('a Node timer that wakes early is re-armed: the callback never runs before its deadline', (t) => {
  const m = fakeMachine(Date.parse('2026-03-01T00:00:00.000Z'), 1);
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const due = m.wallNow() + 250;
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(m.wallNow()), 250);
  m.run(249);
  t.deepEqual(fired, []);
  m.run(1);
  t.deepEqual(fired, [due]);
});

test('the wall clock stepped back 2 h while waiting: the callback waits for the wall-clock deadline', (t) => {
  const m = fakeMachine();
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const due = m.wallNow() + 60_000;
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(m.wallNow()), 60_000);
  m.run(10_000);
  m.step(-2 * 3_600_000);
  m.run(60_000);
  t.deepEqual(fired, [], 'not fired after 60 s of real time: the wall clock is 2 h behind');
  m.run(2 * 3_600_000 - 10_000 - 1);
  t.deepEqual(fired, []);
  m.run(1_000);
  t.is(fired.length, 1);
  t.true((fired[0] as number) >= due);
  t.true((fired[0] as number) - due <= 1_000);
});

test('the wall clock stepped forward 2 h while waiting: the callback fires within the cap', (t) => {
  const m = fakeMachine();
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const due = m.wallNow() + 3_600_000;
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(m.wallNow()), 3_600_000);
  m.run(5_000);
  m.step(2 * 3_600_000);
  m.run(1_000);
  t.is(fired.length, 1);
  t.true((fired[0] as number) >= due);
});

test('deadlines run in order; a cleared one never runs; stop() clears the Node timer', (t) => {
  const m = fakeMachine();
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const order: string[] = [];
  clock.setTimeout(() => order.push('c'), 300);
  clock.setTimeout(() => order.push('a'), 100);
  const b = clock.setTimeout(() => order.push('b'), 200);
  clock.setTimeout(() => order.push('a2'), 100);
  clock.clearTimeout(b);
  m.run(1_000);
  t.deepEqual(order, ['a', 'a2', 'c']);
  clock.setTimeout(() => order.push('late'), 100);
  clock.stop();
  t.is(m.timers.size, 0);
  m.run(1_000);
  t.deepEqual(order, ['a', 'a2', 'c']);
});

test('a callback that schedules another due one runs it on the next wake, not in a loop', (t) => {
  const m = fakeMachine();
  const clock = createWallClock({ systemNow: m.wallNow, setTimer: m.setTimer, clearTimer: m.clearTimer });
  const fired: string[] = [];
  clock.setTimeout(() => {
    fired.push('first');
    clock.setTimeout(() => fired.push('second'), 0);
  }, 10);
  m.run(10);
  t.deepEqual(fired, ['first']);
  m.run(1);
  t.deepEqual(fired, ['first', 'second']);
});

test('with the real system clock, a short wait fires after its deadline', async (t) => {
  const clock = createWallClock();
  const start = clock.now();
  const at = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 30));
  clock.stop();
  t.true(at >= start + 30);
});
