import test from 'ava';
import { createLaunchPad } from '../../src/runtime/launchPad.js';
import { createSimulatedClock } from '../helpers/simulatedClock.js';

const T = Date.parse('2026-03-29T01:00:00.000Z');

function pad(options: { ready?: (a: string) => boolean; failOn?: string } = {}) {
  const clock = createSimulatedClock(T - 5_000);
  const events: string[] = [];
  const launchPad = createLaunchPad<string, string>({
    clock,
    ready: options.ready ?? (() => true),
    launch: (a) => {
      if (a === options.failOn) throw new Error(`cannot launch ${a}`);
      events.push(`publish ${a} at ${clock.now() - T}`);
      return Promise.resolve(`answer ${a}`);
    },
    notify: (a) => events.push(`notify ${a}`),
    onError: (a, e) => events.push(`error ${a}: ${(e as Error).message}`),
  });
  return { clock, events, launchPad };
}

test('every request due at an instant is published before any actor is told, never early', async (t) => {
  const { clock, events, launchPad } = pad();
  launchPad.add('b', T);
  launchPad.add('c', T + 1_000);
  launchPad.add('a', T);
  await clock.advanceTo(T - 1);
  t.deepEqual(events, [], 'nothing before the instant');
  await clock.advanceTo(T);
  t.deepEqual(events, ['publish b at 0', 'publish a at 0', 'notify b', 'notify a']);
  t.is(launchPad.size, 1);
  await clock.advanceTo(T + 1_000);
  t.deepEqual(events.slice(4), ['publish c at 1000', 'notify c']);
  t.is(await launchPad.take('a'), 'answer a');
  t.is(launchPad.take('a'), undefined, 'taken once');
});

test('an earlier launch added later re-arms the timer; a past instant launches at once', async (t) => {
  const { clock, events, launchPad } = pad();
  launchPad.add('late', T + 60_000);
  launchPad.add('early', T);
  launchPad.add('overdue', T - 10_000);
  await clock.advanceTo(T - 4_999);
  t.deepEqual(events, ['publish overdue at -5000', 'notify overdue']);
  await clock.advanceTo(T);
  t.deepEqual(events.slice(2), ['publish early at 0', 'notify early']);
});

test('an actor no longer ready (cancelled) is not published; a failing launch is reported, the rest go', async (t) => {
  const { clock, events, launchPad } = pad({ ready: (a) => a !== 'cancelled', failOn: 'broken' });
  for (const a of ['one', 'cancelled', 'broken', 'two']) launchPad.add(a, T);
  await clock.advanceTo(T);
  t.deepEqual(events, [
    'publish one at 0',
    'error broken: cannot launch broken',
    'publish two at 0',
    'notify one',
    'notify two',
  ]);
  t.is(launchPad.take('cancelled'), undefined);
});

test('stop forgets waiting launches and never fires', async (t) => {
  const { clock, events, launchPad } = pad();
  launchPad.add('a', T);
  launchPad.stop();
  await clock.advanceTo(T + 10_000);
  t.deepEqual(events, []);
  t.is(launchPad.size, 0);
});
