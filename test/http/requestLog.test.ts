/**
 * Request logs: one debug line per request with method, path, status, ms and actor,
 * and nothing of the headers or the query, so never a token.
 */
import { Writable } from 'node:stream';
import test from 'ava';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { Registry } from 'prom-client';
import supertest from 'supertest';
import { createApp } from '../../src/http/app.js';
import { applyOverrides, defaultConfig } from '../../src/loadConfig.js';
import { createLogger } from '../../src/log.js';
import type { Scheduler } from '../../src/runtime/Scheduler.js';
import { createTestApp } from '../helpers/testApp.js';
import { ruleBody } from './fixtures.js';

const ISS = 'https://id.hospital.example/realms/rmf';

test('one request line per request with method, path, status, ms and the actor; no token, no query', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const app = await createTestApp({
    dialect: 'sqlite-memory',
    config: { iss: ISS, jwt_public_key: await exportSPKI(publicKey), log_level: 'debug' },
  });
  t.teardown(() => app.close());
  const jwt = await new SignJWT({ preferred_username: 'night.nurse' })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('0f6c1e2a')
    .setIssuer(ISS)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  const auth = { Authorization: `Bearer ${jwt}` };
  await app.http.post('/rules').set(auth).send(ruleBody()).expect(201);
  await app.http.get('/rules?limit=5&label=secret-in-query').set(auth).expect(200);
  await app.http.post('/rules').set(auth).set('content-type', 'application/json').send('{').expect(400);
  await app.http.get('/rules').set('Authorization', 'Bearer not-a-token').expect(401);

  const lines = app.logs.filter((l) => l.msg === 'request');
  t.deepEqual(
    lines.map((l) => [l.method, l.path, l.status]),
    [
      ['POST', '/rules', 201],
      ['GET', '/rules', 200],
      ['POST', '/rules', 400],
      ['GET', '/rules', 401],
    ],
  );
  for (const line of lines) {
    t.deepEqual(Object.keys(line).sort(), ['actor', 'level', 'method', 'ms', 'msg', 'path', 'status']);
    t.is(line.level, 'debug');
    t.true(typeof line.ms === 'number' && line.ms >= 0);
  }
  t.is(lines[0]?.actor, 'night.nurse');
  t.is(lines[3]?.actor, null);
  const all = JSON.stringify(app.logs);
  t.false(all.includes(jwt), 'the token is never logged');
  t.false(all.includes('not-a-token'));
  t.false(JSON.stringify(lines).includes('secret-in-query'), 'nor the query');
});

test('on the production logger (pino JSON lines) the request line carries the same fields', async (t) => {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const config = applyOverrides(defaultConfig(process.cwd()), { db_url: 'sqlite::memory:' }, 'test');
  const app = createApp({
    scheduler: {} as Scheduler,
    config: { ...config, log_level: 'debug' },
    logger: createLogger('debug', sink),
    registry: new Registry(),
    now: () => Date.now(),
  });
  const server = app.listen(0, '127.0.0.1');
  t.teardown(() => server.close());
  await supertest(server).get('/openapi.json?x=1').set('Authorization', 'Bearer abc.def.ghi').expect(200);
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const request = lines.filter((l) => l.msg === 'request');
  t.is(request.length, 1);
  t.like(request[0], {
    level: 20,
    name: 'task_scheduler',
    method: 'GET',
    path: '/openapi.json',
    status: 200,
    actor: null,
  });
  t.is(typeof request[0]?.ms, 'number');
  t.false(out.includes('abc.def.ghi'));
  t.false(out.includes('x=1'));
});
