/**
 * What an actor costs, to choose how rules are held: N root actors of the real rule machine
 * (waiting, one clock timer each) versus N children spawned under one parent actor.
 */
import { assign, createActor, createMachine, enqueueActions, setup } from 'xstate';
import { createRuleMachine } from '../src/runtime/ruleMachine.js';
import { createWallClock } from '../src/runtime/wallClock.js';

const gc = () => (globalThis as { gc?: () => void }).gc?.();

export function rootActors(n: number): Record<string, unknown> {
  const clock = createWallClock({ unref: true });
  const machine = createRuleMachine({ clock, lateToleranceMs: 5_000, claimAheadMs: 1_000 });
  const due = clock.now() + 3_600_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const actors = [];
  for (let i = 0; i < n; i++) {
    actors.push(
      createActor(machine, {
        clock,
        input: {
          ruleId: `r${i}`,
          version: 1,
          dueAt: due,
          fireAt: due,
          dispatchAt: due,
          trigger: 'schedule',
          misfire: { policy: 'skip', graceMs: 0 },
        },
      }).start(),
    );
  }
  const ms = performance.now() - t0;
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  for (const a of actors) a.stop();
  clock.stop();
  return {
    workload: 'root actors',
    n,
    usPerActor: Math.round((ms * 1000) / n),
    heapPerActorBytes: Math.round(heap / n),
  };
}

export function spawnedChildren(n: number): Record<string, unknown> {
  const child = createMachine({ initial: 'idle', states: { idle: {} } });
  const parent = setup({
    actors: { child },
    types: { context: {} as { count: number }, events: {} as { type: 'add' } },
  }).createMachine({
    context: { count: 0 },
    on: {
      add: {
        actions: [
          enqueueActions(({ enqueue, context }) => enqueue.spawnChild('child', { id: `c${context.count}` })),
          assign({ count: ({ context }) => context.count + 1 }),
        ],
      },
    },
  });
  const actor = createActor(parent).start();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) actor.send({ type: 'add' });
  const ms = performance.now() - t0;
  actor.stop();
  return {
    workload: 'children of one parent',
    n,
    totalMs: Math.round(ms),
    usPerChild: Math.round((ms * 1000) / n),
  };
}

if (process.argv[2] === 'actors') {
  for (const n of [1_000, 10_000]) console.log(JSON.stringify(rootActors(n)));
  for (const n of [1_000, 2_000, 4_000]) console.log(JSON.stringify(spawnedChildren(n)));
  process.exit(0);
}
