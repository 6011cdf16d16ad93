/**
 * Drills on the simulated dispatcher, through the running service's REST API: it plays the RMF
 * site of its config (categories, fleets, robots) and goes the way RMF goes (RMF_INTERFACE.md §5):
 * a category no fleet supports is queued, then fails to assign (error code 10); a robot task of
 * such a category is refused (error code 4); a robot or fleet that does not exist never answers;
 * labels make it silent or slow.
 */
import test from 'ava';
import { runService, type RunningService } from '../../src/main.js';

const DISPATCH_TIMEOUT_MS = 1_500;
const SLOW_MS = 400;

let service: RunningService;

test.before(async () => {
  service = await runService({
    argv: [
      '--db-url',
      'sqlite::memory:',
      '--port',
      '0',
      '--rmf.transport',
      'sim',
      '--log-level',
      'silent',
      `--rmf.dispatch-timeout-ms=${DISPATCH_TIMEOUT_MS}`,
      '--rmf.sim-categories=patrol,delivery,clean,compose',
      '--rmf.sim-robots=tinyRobot/tinyRobot1,deliveryRobot/deliveryRobot1',
      '--rmf.sim-silent-labels=drill=silent',
      '--rmf.sim-slow-labels=drill=slow',
      `--rmf.sim-slow-ms=${SLOW_MS}`,
    ],
    env: {},
    cwd: process.cwd(),
  });
});
test.after.always(() => service?.stop());

interface FiringBody {
  id: string;
  status: string;
  rmf_task_id: string | null;
  error: string | null;
  published_at: string | null;
  responded_at: string | null;
  response: { success: boolean; errors?: Array<{ code: number; category: string }> } | null;
  task_state: { status: string; dispatch: { status: string; errors: Array<{ code: number }> } } | null;
  dispatch: { status: string; fleet: string | null; robot: string | null; errors: string[] } | null;
}

let names = 0;
async function fire(task: object, labels: string[] = []): Promise<FiringBody> {
  const created = await fetch(`${service.url}/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `drill ${++names}`,
      labels,
      schedule: { kind: 'daily', times: ['03:00'] },
      task,
    }),
  });
  if (created.status !== 201) throw new Error(`${created.status} ${await created.text()}`);
  const rule = (await created.json()) as { id: string };
  const fired = await fetch(`${service.url}/rules/${rule.id}/trigger`, { method: 'POST' });
  if (fired.status !== 201) throw new Error(`${fired.status} ${await fired.text()}`);
  return (await fired.json()) as FiringBody;
}

/** The firing once what RMF did after accepting it (bidding, 2 s) is recorded. */
async function afterBidding(id: string): Promise<FiringBody> {
  for (;;) {
    const firing = (await (await fetch(`${service.url}/firings/${id}`)).json()) as FiringBody;
    if (firing.dispatch !== null) return firing;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const patrol = { category: 'patrol', description: { places: ['pantry', 'lounge'], rounds: 1 } };
const teleport = { category: 'teleport', description: { to: 'mars' } };

test('a category its fleets accept is queued, then assigned to a fleet and robot of the config', async (t) => {
  const firing = await fire({ type: 'dispatch_task_request', request: patrol });
  t.is(firing.status, 'dispatched');
  t.regex(firing.rmf_task_id ?? '', /^patrol\.dispatch-\d+$/);
  const assigned = await afterBidding(firing.id);
  t.is(assigned.dispatch?.status, 'dispatched');
  t.true(['tinyRobot', 'deliveryRobot'].includes(assigned.dispatch?.fleet ?? ''));
  t.truthy(assigned.dispatch?.robot);
});

test('a category no fleet supports is queued (success), then fails to assign with error code 10', async (t) => {
  const firing = await fire({ type: 'dispatch_task_request', request: teleport });
  t.is(firing.status, 'dispatched', 'the dispatcher accepts any well-formed request for bidding');
  t.is(firing.response?.success, true);
  const failed = await afterBidding(firing.id);
  t.is(failed.dispatch?.status, 'failed_to_assign');
  t.is(failed.dispatch?.fleet, null);
  t.regex(failed.dispatch?.errors[0] ?? '', /"code":10/);
  t.is(failed.task_state?.status, 'failed');
  t.is(failed.task_state?.dispatch.status, 'failed_to_assign');
  t.is(failed.task_state?.dispatch.errors[0]?.code, 10);
});

test('a dispatch naming a fleet that does not exist fails to assign', async (t) => {
  const firing = await fire({ type: 'dispatch_task_request', request: { ...patrol, fleet_name: 'nofleet' } });
  t.is(firing.status, 'dispatched');
  t.is((await afterBidding(firing.id)).dispatch?.status, 'failed_to_assign');
});

test('a robot task of a category the fleet does not support is refused with error code 4', async (t) => {
  const firing = await fire({
    type: 'robot_task_request',
    fleet: 'tinyRobot',
    robot: 'tinyRobot1',
    request: teleport,
  });
  t.is(firing.status, 'rejected');
  t.is(firing.response?.success, false);
  t.is(firing.response?.errors?.[0]?.code, 4);
  t.is(firing.rmf_task_id, null);
});

test('a robot task for a robot of the config is accepted, with the request id as task id', async (t) => {
  const firing = await fire({
    type: 'robot_task_request',
    fleet: 'deliveryRobot',
    robot: 'deliveryRobot1',
    request: patrol,
  });
  t.is(firing.status, 'dispatched');
  t.not(firing.rmf_task_id, null);
});

for (const [what, fleet, robot] of [
  ['a fleet', 'nofleet', 'tinyRobot1'],
  ['a robot', 'tinyRobot', 'tinyRobot9'],
] as const) {
  test(`a robot task for ${what} that does not exist gets no answer: timed out`, async (t) => {
    const firing = await fire({ type: 'robot_task_request', fleet, robot, request: patrol });
    t.is(firing.status, 'timed_out');
    t.is(firing.response, null);
    t.not(firing.published_at, null);
  });
}

test('a rule with the silent label gets no answer (timed out); with the slow label a late one', async (t) => {
  const [silent, slow, plain] = await Promise.all([
    fire({ type: 'dispatch_task_request', request: patrol }, ['drill=silent']),
    fire({ type: 'dispatch_task_request', request: patrol }, ['drill=slow']),
    fire({ type: 'dispatch_task_request', request: patrol }),
  ]);
  t.is(silent.status, 'timed_out');
  t.is(slow.status, 'dispatched');
  const waited = (f: FiringBody) => Date.parse(f.responded_at ?? '') - Date.parse(f.published_at ?? '');
  t.true(waited(slow) >= SLOW_MS, `answered after ${waited(slow)} ms`);
  t.is(plain.status, 'dispatched', 'a rule without the labels is answered as usual');
});

test('the simulated site is configuration, checked like any key', async (t) => {
  await t.throwsAsync(
    runService({
      argv: ['--db-url', 'sqlite::memory:', '--port', '0', '--rmf.sim-robots=tinyRobot'],
      env: {},
      cwd: process.cwd(),
    }),
    { message: /rmf\.sim_robots.*fleet\/robot/ },
  );
});
