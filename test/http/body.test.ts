/** JSON bodies (raw-body): the limit holds for a declared length and for a chunked body alike. */
import { request } from 'node:http';
import test from 'ava';
import { createTestApp } from '../helpers/testApp.js';

function post(url: string, chunks: string[], headers: Record<string, string>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = request(`${url}/rules`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('a body over body_limit is a 413 naming the limit, declared or chunked; the service still answers', async (t) => {
  const app = await createTestApp({ dialect: 'sqlite-memory', config: { body_limit: 2000 } });
  t.teardown(() => app.close());
  const expected = {
    error: {
      code: 'PAYLOAD_TOO_LARGE',
      message: 'request body exceeds 2000 bytes',
      details: { limit: 2000 },
    },
  };
  const big = JSON.stringify({ name: 'x'.repeat(2400) });
  const declared = await post(app.url, [big], {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(big)),
  });
  t.deepEqual(declared, { status: 413, body: expected });
  const chunked = await post(app.url, [big.slice(0, 1200), big.slice(1200)], {
    'content-type': 'application/json',
  });
  t.deepEqual(chunked, { status: 413, body: expected });
  const malformed = await post(app.url, ['{"name":'], { 'content-type': 'application/json' });
  t.is(malformed.status, 400);
  t.like(malformed.body, { error: { code: 'MALFORMED_JSON' } });
  t.regex(
    (malformed.body as { error: { message: string } }).error.message,
    /^request body is not valid JSON: /,
  );
  await app.http.get('/health').expect(200);
});
