import test from 'ava';
import { isDomainError, type FieldIssue } from '../../src/rules/errors.js';
import { parseTaskSpec } from '../../src/rmf/taskSpecSchema.js';
import { rmfSchemas } from '../helpers/rmfSchemas.js';
import { requestExamples, specFromExample } from './taskSpecs.js';

function refusal(input: unknown): { field: string; issues: FieldIssue[]; message: string } {
  try {
    parseTaskSpec(input);
  } catch (e) {
    if (!isDomainError(e, 'INVALID_INPUT')) throw e;
    const details = e.details as { field: string; issues: FieldIssue[] };
    return { field: details.field, issues: details.issues, message: e.message };
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

const patrol = (description: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'dispatch_task_request',
  request: { category: 'patrol', description, ...extra },
});
const compose = (phases: unknown) => ({
  type: 'dispatch_task_request',
  request: { category: 'compose', description: { phases } },
});

for (const name of requestExamples()) {
  test(`the RMF example ${name} (minus its timestamps) is a valid task, kept as is`, (t) => {
    const spec = specFromExample(name);
    t.deepEqual(parseTaskSpec(spec), spec);
  });
}

/**
 * Bad tasks: [what, task, field named, does RMF's own schema refuse it too?]. Where RMF's schema
 * cannot say it (an empty list where it wrote "minimum" for "minItems", the binary priority's type
 * name), only ours refuses.
 */
const BAD: Array<[string, unknown, string, boolean]> = [
  [
    'a request without category',
    { type: 'dispatch_task_request', request: { description: {} } },
    'task.request.category',
    true,
  ],
  [
    'a request without description',
    { type: 'dispatch_task_request', request: { category: 'patrol' } },
    'task.request.description',
    true,
  ],
  [
    'a numeric category',
    { type: 'dispatch_task_request', request: { category: 7, description: {} } },
    'task.request.category',
    true,
  ],
  [
    'a patrol of 0 rounds',
    patrol({ places: ['pantry'], rounds: 0 }),
    'task.request.description.rounds',
    true,
  ],
  [
    'a patrol of 1.5 rounds',
    patrol({ places: ['pantry'], rounds: 1.5 }),
    'task.request.description.rounds',
    true,
  ],
  ['a patrol without places', patrol({ rounds: 1 }), 'task.request.description.places', true],
  ['a patrol of no places', patrol({ places: [], rounds: 1 }), 'task.request.description.places', false],
  ['a negative waypoint index', patrol({ places: [-1] }), 'task.request.description.places[0]', true],
  [
    'a place object without waypoint',
    patrol({ places: ['pantry', { orientation: 1 }] }),
    'task.request.description.places[1]',
    true,
  ],
  [
    'priority value 2',
    patrol({ places: ['a'] }, { priority: { type: 'binary', value: 2 } }),
    'task.request.priority.value',
    true,
  ],
  [
    'priority without value',
    patrol({ places: ['a'] }, { priority: { type: 'binary' } }),
    'task.request.priority.value',
    true,
  ],
  [
    'a priority that is not binary',
    patrol({ places: ['a'] }, { priority: { type: 'urgent', value: 1 } }),
    'task.request.priority.type',
    false,
  ],
  ['a priority that is a number', patrol({ places: ['a'] }, { priority: 1 }), 'task.request.priority', true],
  [
    'a label that is not a string',
    patrol({ places: ['a'] }, { labels: ['ok', 3] }),
    'task.request.labels[1]',
    true,
  ],
  ['labels that are not a list', patrol({ places: ['a'] }, { labels: 'night' }), 'task.request.labels', true],
  ['a numeric requester', patrol({ places: ['a'] }, { requester: 5 }), 'task.request.requester', true],
  ['a numeric fleet_name', patrol({ places: ['a'] }, { fleet_name: 5 }), 'task.request.fleet_name', true],
  [
    'a delivery without dropoff',
    {
      type: 'dispatch_task_request',
      request: { category: 'delivery', description: { pickup: { place: 'pantry', payload: [] } } },
    },
    'task.request.description.dropoff',
    true,
  ],
  [
    'a delivery of -1 items',
    {
      type: 'dispatch_task_request',
      request: {
        category: 'delivery',
        description: {
          pickup: { place: 'pantry', payload: { sku: 'coke', quantity: -1 } },
          dropoff: { place: 'lounge', payload: { sku: 'coke', quantity: 1 } },
        },
      },
    },
    'task.request.description.pickup.payload.quantity',
    true,
  ],
  [
    'a clean without zone',
    { type: 'dispatch_task_request', request: { category: 'clean', description: { type: 'vacuum' } } },
    'task.request.description.zone',
    true,
  ],
  [
    'a compose phase without activity',
    compose([{ on_cancel: [] }]),
    'task.request.description.phases[0].activity',
    true,
  ],
  ['a compose task of no phases', compose([]), 'task.request.description.phases', false],
  [
    'a pickup without payload inside a sequence',
    compose([
      {
        activity: {
          category: 'sequence',
          description: { activities: [{ category: 'pickup', description: { place: 'pantry' } }] },
        },
      },
    ]),
    'task.request.description.phases[0].activity.description.activities[0].description.payload',
    true,
  ],
  [
    'a go_to_place among no places',
    compose([{ activity: { category: 'go_to_place', description: { one_of: [] } } }]),
    'task.request.description.phases[0].activity.description.one_of',
    true,
  ],
  [
    'a perform_action without description',
    compose([{ activity: { category: 'perform_action', description: { category: 'clean' } } }]),
    'task.request.description.phases[0].activity.description.description',
    true,
  ],
  [
    'a go_to_place in a nested sequence with a bad place',
    compose([
      {
        activity: {
          category: 'sequence',
          description: [
            { category: 'sequence', description: [{ category: 'go_to_place', description: { place: 2.5 } }] },
          ],
        },
      },
    ]),
    'task.request.description.phases[0].activity.description[0].description[0].description.place',
    true,
  ],
  [
    'an on_cancel go_to_place without a place',
    compose([
      {
        activity: { category: 'clean', description: { zone: 'z' } },
        on_cancel: [{ category: 'go_to_place', description: { followed_by: [] } }],
      },
    ]),
    'task.request.description.phases[0].on_cancel[0].description',
    true,
  ],
  [
    'an unknown request type',
    { type: 'cancel_task_request', request: { category: 'patrol', description: { places: ['a'] } } },
    'task.type',
    true,
  ],
  [
    'a robot task without robot',
    {
      type: 'robot_task_request',
      fleet: 'tinyRobot',
      request: { category: 'patrol', description: { places: ['a'] } },
    },
    'task.robot',
    true,
  ],
];

for (const [what, spec, field, rmfRefusesToo] of BAD) {
  test(`${what} is refused, naming ${field}`, (t) => {
    const { issues } = refusal(spec);
    t.true(
      issues.some((i) => i.field === field),
      `fields: ${issues.map((i) => `${i.field} (${i.message})`).join(', ')}`,
    );
    const official = rmfSchemas().validateTaskRequestMessage(spec);
    if (rmfRefusesToo) t.not(official.length, 0, "RMF's schema accepts it");
    else t.deepEqual(official, [], "RMF's schema cannot say this, and accepts it");
  });
}

for (const field of ['unix_millis_earliest_start_time', 'unix_millis_request_time']) {
  test(`a task that sets ${field} is refused: the scheduler sets it at each firing`, (t) => {
    const { field: named, message } = refusal(patrol({ places: ['a'] }, { [field]: 1767261600000 }));
    t.is(named, `task.request.${field}`);
    t.regex(message, /set by the scheduler/);
  });
}

test('messages say what is wrong in words', (t) => {
  t.is(
    refusal(patrol({ places: [], rounds: 0 })).message,
    'task.request.description.places: must list at least one place; task.request.description.rounds: must be ≥ 1',
  );
  t.is(
    refusal(patrol({ places: ['a'] }, { priority: { type: 'binary', value: 3 } })).message,
    'task.request.priority.value: must be 0 (normal) or 1 (high)',
  );
  t.is(
    refusal({ type: 'dispatch_task_request', request: { description: {} } }).message,
    'task.request.category: is required',
  );
});

test('every bad field is reported at once, including description errors next to other errors', (t) => {
  const { issues } = refusal(patrol({ places: [-1] }, { labels: [1], requester: 2 }));
  t.deepEqual(issues.map((i) => i.field).sort(), [
    'task.request.description.places[0]',
    'task.request.labels[0]',
    'task.request.requester',
  ]);
});

test('the field path starts where the caller says the task is', (t) => {
  const error = t.throws(() => parseTaskSpec(patrol({ places: [] }), 'rules[3].task'));
  t.is(
    (error as { details?: { field?: string } }).details?.field,
    'rules[3].task.request.description.places',
  );
});

test('unknown fields inside the RMF request are kept; unknown fields around it are refused', (t) => {
  const spec = patrol({ places: ['a'], speed: 'slow' }, { future_field: { x: 1 } });
  t.deepEqual(parseTaskSpec(spec), spec);
  t.is(refusal({ ...spec, fleet: 'tinyRobot' }).field, 'task.fleet');
});

test('a custom category takes any description', (t) => {
  const spec = {
    type: 'dispatch_task_request',
    request: { category: 'disinfect', description: ['ward_a', 3] },
  };
  t.deepEqual(parseTaskSpec(spec), spec);
});

test("a robot task's fleet_name, when given, must be the robot's fleet", (t) => {
  const ok = {
    type: 'robot_task_request',
    robot: 'r1',
    fleet: 'tinyRobot',
    request: { category: 'patrol', description: { places: ['a'] }, fleet_name: 'tinyRobot' },
  };
  t.deepEqual(parseTaskSpec(ok), ok);
  t.is(refusal({ ...ok, request: { ...ok.request, fleet_name: 'other' } }).field, 'task.request.fleet_name');
});

test('a task that is not an object is refused as a whole', (t) => {
  for (const bad of [null, 'patrol', 3, []]) t.is(refusal(bad).field, 'task');
});

test('places may be names, indexes or {waypoint, orientation}', (t) => {
  const spec = patrol({
    places: ['pantry', 0, 12, { waypoint: 'lounge', orientation: 1.57 }, { waypoint: 4 }],
    rounds: 3,
  });
  t.deepEqual(parseTaskSpec(spec), spec);
  t.deepEqual(rmfSchemas().validateTaskRequestMessage(spec), []);
});

test('a missing description is reported once', (t) => {
  t.deepEqual(refusal({ type: 'dispatch_task_request', request: { category: 'patrol' } }).issues, [
    { field: 'task.request.description', message: 'is required' },
  ]);
  t.deepEqual(refusal(compose([{ activity: { category: 'clean' } }])).issues, [
    { field: 'task.request.description.phases[0].activity.description', message: 'is required' },
  ]);
});

test('categories named like object properties are custom categories, not a crash', (t) => {
  for (const category of ['constructor', '__proto__', 'toString']) {
    const spec = { type: 'dispatch_task_request', request: { category, description: 1 } };
    t.deepEqual(parseTaskSpec(spec).request.category, category);
    const activity = compose([{ activity: { category, description: 1 } }]);
    t.notThrows(() => parseTaskSpec(activity));
  }
});
