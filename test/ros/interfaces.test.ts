import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Firing } from '../../src/rules/Firing.js';
import { DomainError } from '../../src/rules/errors.js';
import type { RuleView } from '../../src/runtime/Scheduler.js';
import {
  OUTCOMES,
  TRIGGERS,
  setRuleEnabledFailure,
  setRuleEnabledResponse,
  listRulesFailure,
  listRulesResponse,
  toRuleListMsg,
  toSchedulerEventMsg,
  triggerRuleFailure,
  triggerRuleResponse,
} from '../../src/ros/messages.js';
import { loadInterfaceRegistry, sharedRmfDir, type InterfaceRegistry } from '../helpers/fakeRclInterfaces.js';
import {
  nestedTypeName,
  parseMessage,
  parseService,
  RosInterfaceError,
  type RosMessageDef,
} from '../helpers/rosInterfaceParser.js';

const registry = loadInterfaceRegistry();

// ---------------------------------------------------------------------------------------------
// The parser

const valid = test.macro((t, text: string, check: (def: RosMessageDef) => void) => {
  check(parseMessage(text, 'my_pkg', 'Thing'));
  t.pass();
});

test(
  'fields, arrays, bounded strings and nested types',
  valid,
  'string<=10 name\nint32[5] a\nfloat64[<=3] b\nstring[] c\ngeometry_msgs/Pose p\nThing2 q\nstring<=8[<=2] tags\n',
  (def) => {
    const [name, a, b, c, p, q, tags] = def.fields;
    if (!name || !a || !b || !c || !p || !q || !tags) throw new Error('missing fields');
    if (name.type.stringBound !== 10) throw new Error('bound');
    if (a.type.array?.kind !== 'fixed') throw new Error('fixed');
    if (b.type.array?.kind !== 'bounded') throw new Error('bounded');
    if (c.type.array?.kind !== 'dynamic' || c.type.base !== 'string') throw new Error('dynamic');
    if (nestedTypeName(p.type) !== 'geometry_msgs/msg/Pose') throw new Error('nested');
    if (nestedTypeName(q.type) !== 'my_pkg/msg/Thing2') throw new Error('same package');
    if (tags.type.stringBound !== 8 || tags.type.array?.kind !== 'bounded')
      throw new Error('bounded string array');
  },
);

test('constants, defaults and comments (a # inside a string constant is not a comment)', (t) => {
  const def = parseMessage(
    '# a comment\nuint8 MAX=255  # trailing\nstring GREETING="hi # there"\nbool ON=true\nint64 BIG=-9223372036854775808\nint32 a 5\nstring s "x"\nbool[] flags [true, false]\n',
    'my_pkg',
    'Thing',
  );
  t.deepEqual(
    def.constants.map((c) => [c.name, c.type, c.value]),
    [
      ['MAX', 'uint8', 255],
      ['GREETING', 'string', 'hi # there'],
      ['ON', 'bool', true],
      ['BIG', 'int64', -9223372036854775808n],
    ],
  );
  t.deepEqual(
    def.fields.map((f) => [f.name, f.defaultText]),
    [
      ['a', '5'],
      ['s', '"x"'],
      ['flags', '[true, false]'],
    ],
  );
});

const invalid = test.macro((t, text: string, pattern: RegExp) => {
  const error = t.throws(() => parseMessage(text, 'my_pkg', 'Thing'), { instanceOf: RosInterfaceError });
  t.regex(error?.message ?? '', pattern);
});

test('a field name must be lower_snake_case', invalid, 'string ruleId\n', /:1: field name "ruleId"/);
test('double underscores are not allowed', invalid, 'string a__b\n', /double underscore/);
test('an unknown primitive is an error', invalid, 'int\n', /expected "<type> <name>"/);
test('a misspelt type is an error', invalid, 'strng name\n', /unknown type "strng"/);
test('duplicate names are an error', invalid, 'string a\nint32 a\n', /:2: duplicate name "a"/);
test('a constant cannot be an array', invalid, 'int32[] A=1\n', /non-array/);
test('a constant must fit its type', invalid, 'uint8 A=256\n', /out of range for uint8/);
test('a constant name must be UPPER_CASE', invalid, 'uint8 low=1\n', /UPPER_CASE/);
test('a default must fit a bounded string', invalid, 'string<=2 s "abc"\n', /exceeds the bound 2/);
test('a nested type cannot have a default', invalid, 'geometry_msgs/Pose p 1\n', /only primitive fields/);
test('an array bound must be positive', invalid, 'int32[0] a\n', /positive/);

test('a service needs exactly one ---', (t) => {
  t.throws(() => parseService('string a\n', 'my_pkg', 'Do'), { message: /exactly one "---"/ });
  t.throws(() => parseService('string a\n---\nbool b\n---\n', 'my_pkg', 'Do'), {
    message: /exactly one "---"/,
  });
  const ok = parseService('string a\n---\nbool b\n', 'my_pkg', 'Do');
  t.deepEqual([ok.request.fields.map((f) => f.name), ok.response.fields.map((f) => f.name)], [['a'], ['b']]);
});

// ---------------------------------------------------------------------------------------------
// The files

test("RMF's interface files (shared copies) parse", (t) => {
  const dir = join(sharedRmfDir(), 'msg');
  const files = readdirSync(dir).filter((f) => f.endsWith('.msg') || f.endsWith('.srv'));
  t.true(files.length >= 5);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const name = f.replace(/\.(msg|srv)$/, '');
    if (f.endsWith('.srv')) t.notThrows(() => parseService(text, 'rmf_task_msgs', name));
    else t.notThrows(() => parseMessage(text, 'rmf_task_msgs', name));
  }
  t.deepEqual(
    registry.messages.get('rmf_task_msgs/msg/ApiResponse')?.fields.map((f) => `${f.type.base} ${f.name}`),
    ['uint8 type', 'string json_msg', 'string request_id'],
  );
});

test('our interface files are valid, and every nested type they use is known', (t) => {
  const ours = [...registry.messages.values()].filter((d) => d.package === 'rmf_task_scheduler');
  t.deepEqual(ours.map((d) => d.name).sort(), ['RuleList', 'RuleSummary', 'SchedulerEvent']);
  t.deepEqual([...registry.services.keys()].filter((k) => k.startsWith('rmf_task_scheduler/')).sort(), [
    'rmf_task_scheduler/srv/ListRules',
    'rmf_task_scheduler/srv/SetRuleEnabled',
    'rmf_task_scheduler/srv/TriggerRule',
  ]);
  const defs = [...ours, ...[...registry.services.values()].flatMap((s) => [s.request, s.response])];
  for (const def of defs) {
    for (const f of def.fields) {
      if (!f.type.isPrimitive) t.true(registry.messages.has(nestedTypeName(f.type)), `${def.name}.${f.name}`);
    }
  }
});

test("SchedulerEvent's constants are the outcomes and triggers the code uses", (t) => {
  const def = registry.messages.get('rmf_task_scheduler/msg/SchedulerEvent');
  const values = (prefix: string) =>
    def?.constants.filter((c) => c.name.startsWith(prefix)).map((c) => c.value) ?? [];
  t.deepEqual(values('OUTCOME_'), [...OUTCOMES]);
  t.deepEqual(values('TRIGGER_'), [...TRIGGERS]);
});

// ---------------------------------------------------------------------------------------------
// The TypeScript messages match the files field by field

/** Every field present with the JavaScript type rclnodejs uses for it, and nothing else. */
function exactly(reg: InterfaceRegistry, typeName: string, value: unknown, path = typeName): string[] {
  const def = typeName.includes('/srv/')
    ? (() => {
        const m = /^(.+)\/srv\/(.+)_(Request|Response)$/.exec(typeName);
        const srv = reg.services.get(`${m?.[1]}/srv/${m?.[2]}`);
        return m?.[3] === 'Request' ? srv?.request : srv?.response;
      })()
    : reg.messages.get(typeName);
  if (!def) return [`${path}: unknown type ${typeName}`];
  const given = value as Record<string, unknown>;
  const problems: string[] = [];
  const names = def.fields.map((f) => f.name);
  const keys = Object.keys(given);
  for (const k of keys) if (!names.includes(k)) problems.push(`${path}.${k}: not in the .msg`);
  for (const f of def.fields) {
    const v = given[f.name];
    const p = `${path}.${f.name}`;
    if (v === undefined) {
      problems.push(`${p}: missing`);
      continue;
    }
    const one = (x: unknown, q: string) => {
      if (!f.type.isPrimitive) problems.push(...exactly(reg, nestedTypeName(f.type), x, q));
      else {
        const want =
          f.type.base === 'bool'
            ? 'boolean'
            : f.type.base === 'string'
              ? 'string'
              : f.type.base === 'int64' || f.type.base === 'uint64'
                ? 'bigint'
                : 'number';
        if (typeof x !== want) problems.push(`${q}: ${typeof x}, the .msg says ${f.type.base}`);
      }
    };
    if (f.type.array) {
      if (!Array.isArray(v)) problems.push(`${p}: not an array`);
      else v.forEach((x, i) => one(x, `${p}[${i}]`));
    } else one(v, p);
  }
  return problems;
}

const firing: Firing = {
  id: 'f-1',
  ruleId: 'r-1',
  dueAt: 1_767_261_600_000,
  fireAt: 1_767_261_600_000,
  trigger: 'schedule',
  status: 'dispatched',
  requestId: 'sched_1',
  request: {},
  response: {},
  rmfTaskId: 'patrol.dispatch-0',
  error: null,
  attempts: 1,
  claimedAt: null,
  publishedAt: null,
  respondedAt: null,
  replicaId: null,
  taskState: null,
  cancel: null,
  dispatch: null,
  ruleName: null,
  triggeredBy: null,
};

test('messages.ts builds every field of every message, with the types rclnodejs uses', (t) => {
  const samples: Array<[string, unknown]> = [
    [
      'rmf_task_scheduler/msg/SchedulerEvent',
      toSchedulerEventMsg(
        { type: 'firing.recorded', firing, ruleName: 'x', latenessMs: 4 },
        1_767_261_600_123,
      ),
    ],
    [
      'rmf_task_scheduler/msg/RuleList',
      toRuleListMsg(
        [
          {
            id: 'r-1',
            name: 'a',
            enabled: true,
            state: 'active',
            nextDueAt: 1_767_261_600_000,
            labels: ['x', 'y'],
          },
          { id: 'r-2', name: 'b', enabled: false, state: 'disabled', nextDueAt: null, labels: [] },
        ],
        1_767_261_600_000,
      ),
    ],
    ['rmf_task_scheduler/srv/TriggerRule_Response', triggerRuleResponse(firing)],
    [
      'rmf_task_scheduler/srv/TriggerRule_Response',
      triggerRuleFailure(new DomainError('RULE_NOT_FOUND', 'no')),
    ],
    [
      'rmf_task_scheduler/srv/SetRuleEnabled_Response',
      setRuleEnabledResponse({ name: 'a', enabled: true } as RuleView),
    ],
    ['rmf_task_scheduler/srv/SetRuleEnabled_Response', setRuleEnabledFailure(new Error('boom'))],
    ['rmf_task_scheduler/srv/TriggerRule_Request', { rule_id: 'r-1', force: true, reason: 'drill' }],
    ['rmf_task_scheduler/srv/SetRuleEnabled_Request', { rule_id: 'r-1', enabled: true, reason: '' }],
    [
      'rmf_task_scheduler/srv/ListRules_Response',
      listRulesResponse({
        items: [
          {
            id: 'r-1',
            name: 'a',
            enabled: true,
            state: 'active',
            nextDueAt: 1_767_261_600_000,
            labels: ['x'],
          },
        ],
        total: 7,
        limit: 1,
        offset: 0,
      }),
    ],
    ['rmf_task_scheduler/srv/ListRules_Response', listRulesFailure('INVALID_INPUT: no')],
    ['rmf_task_scheduler/srv/ListRules_Request', { offset: 0, limit: 10, state: 'active', label: '' }],
    ['rmf_task_msgs/msg/ApiRequest', { json_msg: '{}', request_id: 'x' }],
    ['rmf_task_msgs/msg/ApiResponse', { type: 2, json_msg: '{}', request_id: 'x' }],
  ];
  for (const [type, value] of samples) t.deepEqual(exactly(registry, type, value), [], type);
});

test('a message missing a field or with a wrong type is caught', (t) => {
  t.deepEqual(
    exactly(registry, 'rmf_task_scheduler/msg/RuleSummary', {
      id: 'a',
      name: 'b',
      enabled: 'yes',
      labels: [1],
    }),
    [
      'rmf_task_scheduler/msg/RuleSummary.enabled: string, the .msg says bool',
      'rmf_task_scheduler/msg/RuleSummary.state: missing',
      'rmf_task_scheduler/msg/RuleSummary.has_next_due: missing',
      'rmf_task_scheduler/msg/RuleSummary.next_due_at_ms: missing',
      'rmf_task_scheduler/msg/RuleSummary.next_due_at: missing',
      'rmf_task_scheduler/msg/RuleSummary.labels[0]: number, the .msg says string',
    ],
  );
});
