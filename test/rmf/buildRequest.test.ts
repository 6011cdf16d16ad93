import test from 'ava';
import fc from 'fast-check';
import type { Rule } from '../../src/rules/Rule.js';
import type { TaskSpec } from '../../src/rules/Task.js';
import { buildApiRequest, newRequestId, requestLabels } from '../../src/rmf/buildRequest.js';
import { rmfSchemas } from '../helpers/rmfSchemas.js';
import { asDispatchTask, asRobotTask, specFromExample } from './taskSpecs.js';

const RULE_ID = '6f0c7a52-3b1e-4c8e-9d2a-0b7e5f1c2d3e';
const DUE = Date.parse('2026-01-01T10:00:00.000Z');
const NOW = DUE - 60_000;

const rule = (task: TaskSpec, labels: string[] = []): Pick<Rule, 'id' | 'name' | 'task' | 'labels'> => ({
  id: RULE_ID,
  name: 'nightly patrol',
  task,
  labels,
});

const build = (task: TaskSpec, over: Partial<Parameters<typeof buildApiRequest>[0]> = {}) =>
  buildApiRequest({
    rule: rule(task),
    dueAt: DUE,
    fireAt: DUE,
    trigger: 'schedule',
    now: NOW,
    requestId: 'sched_6f0c7a52_req',
    requester: 'rmf_task_scheduler',
    ...over,
  });

const EXAMPLES: Array<[string, string]> = [
  ['patrol', 'dispatch_task_request__patrol.json'],
  ['delivery', 'dispatch_task_request__delivery.json'],
  ['clean', 'dispatch_task_request__clean.json'],
  ['compose: clean via perform_action', 'dispatch_task_request__compose_clean.json'],
  ['compose: multi-delivery sequence', 'dispatch_task_request__compose_multi_delivery.json'],
  ['compose: go_to_place one_of', 'dispatch_task_request__compose_go_to_place.json'],
];

for (const [what, file] of EXAMPLES) {
  for (const variant of ['dispatch', 'robot'] as const) {
    test(`a ${what} rule sent as a ${variant} request is valid for RMF's official schemas`, (t) => {
      const base = specFromExample(file);
      const task = variant === 'robot' ? asRobotTask(base) : asDispatchTask(base);
      const { msg, payload } = build(task);
      t.deepEqual(JSON.parse(msg.json_msg), payload);
      t.deepEqual(rmfSchemas().validateTaskRequestMessage(JSON.parse(msg.json_msg)), []);
    });
  }
}

test('the request carries the publish time, the occurrence instant as earliest start, and the request id', (t) => {
  const lead = 5 * 60_000;
  const { msg, payload } = build(specFromExample('dispatch_task_request__patrol.json'), {
    now: DUE - lead - 20,
    fireAt: DUE,
  });
  const request = (payload as { request: Record<string, unknown> }).request;
  t.is(msg.request_id, 'sched_6f0c7a52_req');
  t.is(request.unix_millis_request_time, DUE - lead - 20);
  t.is(request.unix_millis_earliest_start_time, DUE);
});

test('a moved occurrence starts at its new instant but is traced by its original one', (t) => {
  const moved = DUE + 3_600_000;
  const { payload } = build(specFromExample('dispatch_task_request__patrol.json'), { fireAt: moved });
  const request = (payload as { request: { unix_millis_earliest_start_time: number; labels: string[] } })
    .request;
  t.is(request.unix_millis_earliest_start_time, moved);
  t.true(request.labels.includes('occurrence=2026-01-01T10:00:00.000Z'));
});

test('labels: the task’s own, then the rule’s, then the tracing labels, without duplicates', (t) => {
  const task: TaskSpec = {
    type: 'dispatch_task_request',
    request: {
      category: 'patrol',
      description: { places: ['a'] },
      labels: ['scheduler', 'site=north', 'night'],
    },
  };
  const { payload } = buildApiRequest({
    rule: { ...rule(task, ['night', 'team=ops']), name: 'nightly patrol' },
    dueAt: DUE,
    fireAt: DUE,
    trigger: 'manual',
    now: NOW,
    requestId: 'r1',
    requester: 'rmf_task_scheduler',
  });
  t.deepEqual((payload as { request: { labels: string[] } }).request.labels, [
    'site=north',
    'night',
    'team=ops',
    'scheduler',
    `rule_id=${RULE_ID}`,
    'rule=nightly patrol',
    'occurrence=2026-01-01T10:00:00.000Z',
    'trigger=manual',
  ]);
});

test('a rule label cannot fake the tracing labels', (t) => {
  const labels = requestLabels(
    ['rule_id=someone-else', 'occurrence=yesterday'],
    { id: RULE_ID, name: 'n', labels: ['trigger=manual'] },
    { dueAt: DUE, trigger: 'schedule' },
  );
  t.deepEqual(
    labels.filter((l) => /^(rule_id|occurrence|trigger)=/.test(l)),
    [`rule_id=${RULE_ID}`, 'occurrence=2026-01-01T10:00:00.000Z', 'trigger=schedule'],
  );
});

test('the configured requester is used unless the task names its own', (t) => {
  const plain = build(
    asDispatchTask({
      type: 'dispatch_task_request',
      request: { category: 'clean', description: { zone: 'z' } },
    }),
  );
  t.is((plain.payload as { request: { requester: string } }).request.requester, 'rmf_task_scheduler');
  const own = build({
    type: 'dispatch_task_request',
    request: { category: 'clean', description: { zone: 'z' }, requester: 'front-desk' },
  });
  t.is((own.payload as { request: { requester: string } }).request.requester, 'front-desk');
});

test('a robot request names the robot and fleet, and restricts bidding to that fleet', (t) => {
  const { payload } = build(
    asRobotTask(specFromExample('dispatch_task_request__patrol.json'), 'tinyRobot2', 'tinyRobot'),
  );
  const p = payload as { type: string; robot: string; fleet: string; request: { fleet_name: string } };
  t.is(p.type, 'robot_task_request');
  t.is(p.robot, 'tinyRobot2');
  t.is(p.fleet, 'tinyRobot');
  t.is(p.request.fleet_name, 'tinyRobot');
});

test("a dispatch request keeps the task's fleet_name and priority, and adds no fleet_name of its own", (t) => {
  const withFleet = build(specFromExample('dispatch_task_request__clean.json')).payload as {
    request: Record<string, unknown>;
  };
  t.is(withFleet.request.fleet_name, 'cleanerBotA');
  t.deepEqual(withFleet.request.priority, { type: 'binary', value: 0 });
  const without = build(specFromExample('dispatch_task_request__patrol.json')).payload as {
    request: Record<string, unknown>;
  };
  t.false('fleet_name' in without.request);
});

test("building a request never changes the rule's task", (t) => {
  const task = specFromExample('dispatch_task_request__compose_multi_delivery.json');
  const before = structuredClone(task);
  const { payload } = build(task);
  (
    (payload as { request: { description: { phases: unknown[] } } }).request.description.phases as unknown[]
  ).push('x');
  t.deepEqual(task, before);
});

test('request ids are readable and carry the rule prefix and the uuid', (t) => {
  const uuid = '0b6f5f0e-2f43-4c55-8a8e-5d0d3f0b6a10';
  t.is(newRequestId(RULE_ID, uuid), `sched_6f0c7a52_${uuid}`);
  t.not(newRequestId(RULE_ID, crypto.randomUUID()), newRequestId(RULE_ID, crypto.randomUUID()));
});

test('whatever the rule’s name, labels and instants, the request is valid for RMF and traceable', (t) => {
  const schemas = rmfSchemas();
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 150 }),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.integer({ min: 0, max: 86_400_000 }),
      fc.constantFrom('schedule' as const, 'manual' as const),
      fc.boolean(),
      (name, labels, dueAt, lead, trigger, robot) => {
        const base = specFromExample('dispatch_task_request__compose_multi_delivery.json');
        const { payload } = buildApiRequest({
          rule: { id: RULE_ID, name, task: robot ? asRobotTask(base) : base, labels },
          dueAt,
          fireAt: dueAt,
          trigger,
          now: Math.max(0, dueAt - lead),
          requestId: newRequestId(RULE_ID, '0b6f5f0e-2f43-4c55-8a8e-5d0d3f0b6a10'),
          requester: 'rmf_task_scheduler',
        });
        const out = (payload as { request: { labels: string[] } }).request.labels;
        return (
          schemas.validateTaskRequestMessage(payload).length === 0 &&
          new Set(out).size === out.length &&
          out.includes(`rule_id=${RULE_ID}`) &&
          out.includes(`rule=${name}`) &&
          out.includes(`trigger=${trigger}`)
        );
      },
    ),
  );
  t.pass();
});
