/**
 * What an operator sees while the database cannot be reached: /health says 503 with the claims
 * waiting for it (`store.pending_claims`), /metrics has the same in rmf_scheduler_pending_claims;
 * once it is back the occurrence is claimed and sent, and both read 0 again.
 */
import test from 'ava';
import { createTestApp } from '../helpers/testApp.js';
import { portOf, startTcpProxy, throughProxy } from '../helpers/tcpProxy.js';
import { ruleBody } from './fixtures.js';

const until = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not seen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const gauge = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

test('postgres: a claim waiting for the store shows in /health and /metrics, and fires once it is back', async (t) => {
  const proxy = await startTcpProxy(portOf(process.env.TEST_PG_URL ?? 'postgres://127.0.0.1:5432'));
  t.teardown(() => proxy.stop());
  const live = await createTestApp({ dialect: 'postgres', storeUrl: (url) => throughProxy(url, proxy) });
  t.teardown(() => live.close());

  const at = new Date(Math.ceil((Date.now() + 3_000) / 1_000) * 1_000);
  const rule = (
    await live.http
      .post('/rules')
      .send(ruleBody({ schedule: { kind: 'once', at: at.toISOString().slice(0, 19) } }))
      .expect(201)
  ).body as { id: string };
  await proxy.stop();

  await until('the claim waiting for the store', async () => {
    const res = await live.http.get('/health');
    return (
      res.status === 503 && (res.body as { store: { pending_claims: number } }).store.pending_claims === 1
    );
  });
  const health = (await live.http.get('/health').expect(503)).body as {
    status: string;
    store: { ok: boolean; pending_claims: number; unwritten_outcomes: number };
  };
  t.like(health, { status: 'degraded', store: { ok: false, pending_claims: 1, unwritten_outcomes: 0 } });
  const down = (await live.http.get('/metrics').expect(200)).text;
  t.is(gauge(down, 'rmf_scheduler_pending_claims'), 1);
  t.is(gauge(down, 'rmf_scheduler_store_up'), 0);
  t.is(live.dispatcher.received.length, 0, 'nothing is published without a durable claim');

  await proxy.start();
  await until('the occurrence dispatched', async () => {
    const res = await live.http.get(`/rules/${rule.id}/firings`);
    const items = (res.body as { items?: Array<{ status: string }> }).items ?? [];
    return res.status === 200 && items.length === 1 && items[0]?.status === 'dispatched';
  });
  t.is(live.dispatcher.received.length, 1);
  const back = (await live.http.get('/health').expect(200)).body as {
    status: string;
    store: { pending_claims: number; unwritten_outcomes: number };
  };
  t.like(back, { status: 'ok', store: { pending_claims: 0, unwritten_outcomes: 0 } });
  t.is(gauge((await live.http.get('/metrics').expect(200)).text, 'rmf_scheduler_pending_claims'), 0);
});
