/** runService, in process: transport auto without ROS 2 falls back to the simulated dispatcher, loudly. */
import { Writable } from 'node:stream';
import test from 'ava';
import { runService } from '../../src/main.js';

function captureLines(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

test('transport auto without ROS 2: simulated, said at start, on /health and on every firing; stop() ends it', async (t) => {
  const { stream, lines } = captureLines();
  const service = await runService({
    argv: ['--db-url', 'sqlite::memory:', '--port', '0', '--ros-args', '-r', '__node:=main_test'],
    env: {},
    cwd: process.cwd(),
    logDestination: stream,
  });
  t.teardown(() => service.stop());
  t.is(service.config.rmf.transport, 'auto');
  const warning = lines.find((l) => l.level === 40 && /SIMULATED/.test(String(l.msg)));
  t.truthy(warning);
  t.regex(String(warning?.msg), /ROS 2 unavailable/);

  const health = (await (await fetch(`${service.url}/health`)).json()) as {
    rmf: { simulated: boolean };
    warnings: string[];
  };
  t.true(health.rmf.simulated);
  t.regex(health.warnings[0] ?? '', /SIMULATED.*ROS 2 unavailable/);

  const created = await fetch(`${service.url}/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'main test',
      schedule: { kind: 'daily', times: ['03:00'] },
      task: {
        type: 'dispatch_task_request',
        request: { category: 'patrol', description: { places: ['a'], rounds: 1 } },
      },
    }),
  });
  t.is(created.status, 201);
  const rule = (await created.json()) as { id: string };
  const fired = await fetch(`${service.url}/rules/${rule.id}/trigger`, { method: 'POST' });
  t.is(fired.status, 201);
  const firingLines = lines.filter((l) => l.msg === 'firing recorded' && l.rule_id === rule.id);
  t.is(firingLines.length, 1, 'one log line per firing');
  const firingLine = firingLines[0];
  t.like(firingLine, { rule_name: 'main test', status: 'dispatched', trigger: 'manual', attempts: 1 });
  t.is(firingLine?.simulated, true);
  t.regex(String(firingLine?.warning), /SIMULATED/);

  await service.stop();
  t.true(lines.some((l) => l.msg === 'stopped'));
  await t.throwsAsync(fetch(`${service.url}/health`));
});
