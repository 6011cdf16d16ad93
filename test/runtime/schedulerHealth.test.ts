import test from 'ava';
import { dailyRule, openHarness } from './schedulerFixture.js';

test('health reports the store, the simulated transport, rule counts and engine stats', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  await h.scheduler.createRule(dailyRule('on', ['09:00']), null);
  await h.scheduler.createRule(dailyRule('off', ['09:00'], { enabled: false }), null);
  const report = await h.scheduler.health();
  t.is(report.status, 'ok');
  t.deepEqual(report.store, { ok: true, dialect: 'sqlite', pendingClaims: 0, unwrittenOutcomes: 0 });
  t.deepEqual(report.rmf, { transport: 'simulated', simulated: true });
  t.deepEqual(report.rules, { total: 2, enabled: 1, armed: 1 });
  t.is(report.version, '0.1.0-test');
  t.is(report.replicaId, 'a');
  t.is(report.now, h.clock.now());
});

test('with the store down, health is degraded and says why instead of throwing', async (t) => {
  const h = await openHarness();
  await h.scheduler.createRule(dailyRule('on', ['09:00']), null);
  await h.scheduler.health();
  await h.store.close();
  const report = await h.scheduler.health();
  t.is(report.status, 'degraded');
  t.false(report.store.ok);
  t.is(typeof report.store.error, 'string');
  t.true((report.store.error ?? '').length > 0);
  t.deepEqual(report.rules, { total: 1, enabled: 1, armed: 1 });
  await h.scheduler.stop();
});
