/** The error mapping for failures the real stack cannot be made to produce on demand. */
import test from 'ava';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { createApp } from '../../src/http/app.js';
import { defaultConfig } from '../../src/loadConfig.js';
import { createMemoryLogger } from '../../src/log.js';
import { DomainError } from '../../src/rules/errors.js';
import type { Scheduler } from '../../src/runtime/Scheduler.js';

function appWith(failure: () => never) {
  const fail = async () => failure();
  const scheduler = new Proxy({} as Scheduler, { get: () => fail });
  const logger = createMemoryLogger();
  const app = createApp({
    scheduler,
    config: defaultConfig('/tmp'),
    logger,
    registry: new Registry(),
    now: () => 0,
  });
  return { http: supertest(app.callback()), logs: logger.lines };
}

test('an unexpected error is a 500 without details; the stack goes to the log', async (t) => {
  const { http, logs } = appWith(() => {
    throw new Error('socket exploded at /srv/secret/path.js:12');
  });
  const res = await http.get('/firings').expect(500);
  t.deepEqual(res.body, { error: { code: 'INTERNAL', message: 'internal error', details: {} } });
  t.false(JSON.stringify(res.body).includes('secret'));
  const line = logs.find((l) => l.msg === 'unexpected error');
  t.truthy(line);
  t.regex(JSON.stringify(line), /socket exploded/);
});

test('STORE_UNAVAILABLE is a 503 and RMF_UNAVAILABLE a 503', async (t) => {
  const store = appWith(() => {
    throw new DomainError('STORE_UNAVAILABLE', 'the database cannot be reached');
  });
  const res = await store.http.get('/rules').expect(503);
  t.is(res.body.error.code, 'STORE_UNAVAILABLE');
  const rmf = appWith(() => {
    throw new DomainError('RMF_UNAVAILABLE', 'no transport');
  });
  t.is(
    (await rmf.http.post('/rules/6f0c2a52-6a57-4a57-9b6f-2f1f3c9b2a10/trigger').expect(503)).body.error.code,
    'RMF_UNAVAILABLE',
  );
});

test('ALREADY_CLAIMED is a 409', async (t) => {
  const { http } = appWith(() => {
    throw new DomainError('ALREADY_CLAIMED', 'that occurrence was already fired');
  });
  const res = await http.post('/rules/6f0c2a52-6a57-4a57-9b6f-2f1f3c9b2a10/trigger').expect(409);
  t.is(res.body.error.code, 'ALREADY_CLAIMED');
});
