import test from 'ava';
import { at, daily, monthly } from './support/fixtures.js';
import { createHarness } from './support/harness.js';

const payloadOf = (json: string) => JSON.parse(json) as { request: Record<string, unknown> };

test('a daily rule fires once at its instant: one request, one dispatched row, a log line', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-05T09:00:00.000Z'));

  await h.advance(3_600_000 - 1_000);
  t.is(h.dispatcher.received.length, 0, 'nothing before the instant');
  await h.advance(2_000, 100);
  await h.until(() => h.firings.length === 1, 'the firing is recorded');

  t.is(h.dispatcher.received.length, 1);
  const firing = h.firings[0]!;
  t.is(firing.status, 'dispatched');
  t.is(firing.dueAt, at('2026-01-05T09:00:00.000Z'));
  t.is(firing.publishedAt, at('2026-01-05T09:00:00.000Z'));
  t.truthy(firing.rmfTaskId);
  const stored = await h.store.firings.find(rule.id, firing.dueAt, 'schedule');
  t.is(stored?.status, 'dispatched');
  t.is(stored?.requestId, h.dispatcher.received[0]!.request_id);
  const line = h.logger.lines.find((l) => l.msg === 'firing recorded');
  t.like(line, { rule_id: rule.id, status: 'dispatched', transport: 'simulated', lateness_ms: 0 });
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'));
});

test('a monthly rule 40 days out fires on time, not before', async (t) => {
  const h = await createHarness({ start: at('2026-01-20T12:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({ schedule: monthly(1, ['10:00:00']), misfire: { policy: 'skip', graceMs: 0 } });
  await h.engine.start();
  // Feb 1 is 12 days away; skip February by disabling nothing: advance through it and on to Mar 1.
  await h.clock.advanceTo(at('2026-02-01T09:59:59.999Z'));
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-02-01T10:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'February fires');
  await h.clock.advanceTo(at('2026-03-01T09:59:59.999Z'));
  t.is(h.dispatcher.received.length, 1);
  await h.clock.advanceTo(at('2026-03-01T10:00:00.000Z'));
  await h.until(() => h.firings.length === 2, 'March fires');
  t.deepEqual(
    h.firings.map((f) => [f.status, new Date(f.publishedAt!).toISOString()]),
    [
      ['dispatched', '2026-02-01T10:00:00.000Z'],
      ['dispatched', '2026-03-01T10:00:00.000Z'],
    ],
  );
});

test('a rule first due 40 days after start fires on time', async (t) => {
  const h = await createHarness({ start: at('2026-01-20T12:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({
    schedule: monthly(1, ['10:00:00'], 'UTC', '2026-03-01T00:00:00'),
    misfire: { policy: 'skip', graceMs: 0 },
  });
  await h.engine.start();
  t.is(h.engine.stats().active, 0, 'a rule far from its occurrence has no actor');
  await h.clock.advanceTo(at('2026-03-01T09:59:59.999Z'));
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-03-01T10:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  t.is(h.firings[0]!.publishedAt, at('2026-03-01T10:00:00.000Z'));
});

test('daily 02:30 Europe/Berlin on the spring-forward day fires once, at 03:30 local', async (t) => {
  const h = await createHarness({ start: at('2026-03-28T12:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({ schedule: daily(['02:30:00'], 'Europe/Berlin') });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-03-29T01:29:59.999Z'));
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-03-29T01:30:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  await h.clock.advanceTo(at('2026-03-29T12:00:00.000Z'));
  t.is(h.dispatcher.received.length, 1, 'once');
  t.is(h.firings[0]!.fireAt, at('2026-03-29T01:30:00.000Z'), '03:30 CEST');
});

test('lead time: dispatched early, with the occurrence as earliest start', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({ schedule: daily(['09:00:00']), leadTimeMs: 15 * 60_000 });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T08:44:59.999Z'));
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-01-05T08:45:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  const request = payloadOf(h.dispatcher.received[0]!.json_msg).request;
  t.is(request.unix_millis_earliest_start_time, at('2026-01-05T09:00:00.000Z'));
  t.is(request.unix_millis_request_time, at('2026-01-05T08:45:00.000Z'));
  t.is(h.firings[0]!.fireAt, at('2026-01-05T09:00:00.000Z'));
  t.is(h.firings[0]!.publishedAt, at('2026-01-05T08:45:00.000Z'));
});

test('a request built when its claim commits carries its publish time, and is the one stored', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T09:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  const sent = h.dispatcher.received[0]!;
  const request = payloadOf(sent.json_msg).request;
  t.is(request.unix_millis_request_time, h.firings[0]!.publishedAt);
  t.true((request.labels as string[]).includes(`rule_id=${rule.id}`));
  const stored = await h.store.firings.find(rule.id, at('2026-01-05T09:00:00.000Z'), 'schedule');
  t.deepEqual(stored?.request, JSON.parse(sent.json_msg));
});

test('the wall clock stepped back 2 h while waiting: nothing early; it fires when the wall clock gets there', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({ schedule: daily(['09:00:00']) });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T08:30:00.000Z'));
  h.clock.jump(-2 * 3_600_000); // now 06:30
  await h.advance(3_600_000, 60_000); // 07:30: the old monotonic deadline has passed
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-01-05T08:59:59.999Z'));
  t.is(h.dispatcher.received.length, 0);
  await h.clock.advanceTo(at('2026-01-05T09:00:00.000Z'));
  await h.until(() => h.firings.length === 1, 'it fires');
  t.is(h.firings[0]!.publishedAt, at('2026-01-05T09:00:00.000Z'));
});

test('the wall clock stepped forward 2 h past the instant: it fires at once, late (within the misfire grace)', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  await h.addRule({
    schedule: daily(['09:00:00']),
    misfire: { policy: 'fire_once', graceMs: 3 * 3_600_000 },
  });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T08:30:00.000Z'));
  h.clock.jump(2 * 3_600_000); // now 10:30
  await h.clock.advance(0);
  await h.until(() => h.firings.length === 1, 'it fires');
  t.is(h.firings[0]!.dueAt, at('2026-01-05T09:00:00.000Z'));
  t.is(h.firings[0]!.publishedAt, at('2026-01-05T10:30:00.000Z'));
  t.is(h.dispatcher.received.length, 1);
});

test('the wall clock stepped forward past the instant with misfire skip: a missed row, nothing sent', async (t) => {
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({ schedule: daily(['09:00:00']), misfire: { policy: 'skip', graceMs: 0 } });
  await h.engine.start();
  h.clock.jump(2 * 3_600_000);
  await h.clock.advance(0);
  await h.until(
    () => h.engine.nextDueAt(rule.id) === at('2026-01-06T09:00:00.000Z'),
    'the next day is armed',
  );
  const row = await h.store.firings.find(rule.id, at('2026-01-05T09:00:00.000Z'), 'schedule');
  t.is(row?.status, 'missed');
  t.is(h.dispatcher.received.length, 0);
});

test('the wall clock stepped forward 2 h past the instant with misfire skip and a 3 h grace: missed, nothing sent late', async (t) => {
  // The grace belongs to fire_once: a skip rule never fires late, whatever grace it carries.
  const h = await createHarness({ start: at('2026-01-05T08:00:00.000Z') });
  t.teardown(() => h.close());
  const rule = await h.addRule({
    schedule: daily(['09:00:00']),
    misfire: { policy: 'skip', graceMs: 3 * 3_600_000 },
  });
  await h.engine.start();
  await h.clock.advanceTo(at('2026-01-05T08:30:00.000Z'));
  h.clock.jump(2 * 3_600_000); // now 10:30
  await h.advance(60_000, 1_000);
  t.is(h.dispatcher.received.length, 0, 'nothing sent late');
  const row = await h.store.firings.find(rule.id, at('2026-01-05T09:00:00.000Z'), 'schedule');
  t.is(row?.status, 'missed');
  t.is(h.engine.nextDueAt(rule.id), at('2026-01-06T09:00:00.000Z'));
});
