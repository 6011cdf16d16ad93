import test from 'ava';
import { isDomainError, type DomainError } from '../../src/rules/errors.js';
import {
  createRuleBody,
  occurrencePatchBody,
  parseWire,
  patchRuleBody,
  previewBody,
  replaceRuleBody,
  toOccurrenceChange,
  toPreviewArgs,
  toRuleInput,
  toRulePatch,
} from '../../src/rules/ruleSchemas.js';

const body = {
  name: '  Night patrol  ',
  schedule: { kind: 'daily', times: ['02:30'], timezone: 'Europe/Berlin' },
  task: {
    type: 'dispatch_task_request',
    request: { category: 'patrol', description: { places: ['lobby'], rounds: 1 } },
  },
};

const issuesOf = (e: unknown) => ((e as DomainError).details as { issues: Array<{ field: string }> }).issues;
const fieldsOf = (e: unknown) => issuesOf(e).map((i) => i.field);

test('a full body converts to the camelCase RuleInput', (t) => {
  const parsed = parseWire(createRuleBody, {
    ...body,
    description: 'every night',
    enabled: false,
    metadata: { floor: 3 },
    labels: ['ward-a'],
    lead_time_ms: 60_000,
    misfire: { policy: 'skip', grace_ms: 1_000 },
    retry: { max_attempts: 3, backoff_ms: 500 },
  });
  t.deepEqual(toRuleInput(parsed), {
    name: 'Night patrol',
    description: 'every night',
    enabled: false,
    schedule: body.schedule,
    task: body.task,
    metadata: { floor: 3 },
    labels: ['ward-a'],
    leadTimeMs: 60_000,
    misfire: { policy: 'skip', graceMs: 1_000 },
    retry: { maxAttempts: 3, backoffMs: 500 },
  });
});

test('absent optional fields stay absent, so the facade applies its defaults', (t) => {
  t.deepEqual(Object.keys(toRuleInput(parseWire(createRuleBody, body))).sort(), ['name', 'schedule', 'task']);
  t.deepEqual(toRuleInput(parseWire(createRuleBody, { ...body, retry: null })).retry, null);
});

test('unknown fields are refused, naming each', (t) => {
  const err = t.throws(() => parseWire(createRuleBody, { ...body, colour: 'red', misfire: { when: 1 } }));
  t.true(isDomainError(err, 'INVALID_INPUT'));
  t.deepEqual(fieldsOf(err).sort(), ['colour', 'misfire.when']);
});

const refusals: Array<[string, Record<string, unknown>, string]> = [
  ['an empty name', { name: '   ' }, 'name'],
  ['a name too long', { name: 'x'.repeat(151) }, 'name'],
  ['a name with a control character', { name: 'a\u0007b' }, 'name'],
  ['a label with a comma', { labels: ['ok', 'a,b'] }, 'labels[1]'],
  ['too many labels', { labels: Array.from({ length: 51 }, (_, i) => `l${i}`) }, 'labels'],
  ['metadata that is a list', { metadata: [1, 2] }, 'metadata'],
  ['metadata over 64 KiB', { metadata: { blob: 'x'.repeat(70_000) } }, 'metadata'],
  ['a lead time over 7 days', { lead_time_ms: 7 * 86_400_000 + 1 }, 'lead_time_ms'],
  ['a negative grace', { misfire: { grace_ms: -1 } }, 'misfire.grace_ms'],
  ['one retry attempt', { retry: { max_attempts: 1, backoff_ms: 100 } }, 'retry.max_attempts'],
  ['a retry backoff over an hour', { retry: { max_attempts: 2, backoff_ms: 3_600_001 } }, 'retry.backoff_ms'],
  [
    'a bad time in the schedule',
    { schedule: { kind: 'daily', times: ['09:00', '9am'] } },
    'schedule.times[1]',
  ],
  ['a task without a request', { task: { type: 'dispatch_task_request' } }, 'task.request'],
];

for (const [what, change, field] of refusals) {
  test(`${what} is refused, naming ${field}`, (t) => {
    const err = t.throws(() => parseWire(createRuleBody, { ...body, ...change }));
    t.true(isDomainError(err, 'INVALID_INPUT'));
    t.true(fieldsOf(err).includes(field), `got ${fieldsOf(err).join(', ')}`);
  });
}

test('a missing schedule and name are both named; a prefix roots the paths', (t) => {
  const err = t.throws(() => parseWire(createRuleBody, { task: body.task }, 'body'));
  t.deepEqual(fieldsOf(err).sort(), ['body.name', 'body.schedule']);
});

test('replace takes an optional version; patch takes any subset', (t) => {
  t.is(parseWire(replaceRuleBody, { ...body, version: 3 }).version, 3);
  t.throws(() => parseWire(replaceRuleBody, { ...body, version: 0 }));
  t.deepEqual(
    toRulePatch(parseWire(patchRuleBody, { enabled: false, disabled_reason: 'lift broken', version: 2 })),
    {
      enabled: false,
      disabledReason: 'lift broken',
    },
  );
  t.deepEqual(toRulePatch(parseWire(patchRuleBody, { lead_time_ms: 0 })), { leadTimeMs: 0 });
  const err = t.throws(() => parseWire(patchRuleBody, { name: '' }));
  t.deepEqual(fieldsOf(err), ['name']);
});

test('an occurrence patch takes enabled, a UTC instant and a reason', (t) => {
  t.deepEqual(
    toOccurrenceChange(parseWire(occurrencePatchBody, { at: '2026-03-10T09:00:00.000Z', reason: 'r' })),
    {
      at: Date.parse('2026-03-10T09:00:00.000Z'),
      reason: 'r',
    },
  );
  t.deepEqual(toOccurrenceChange(parseWire(occurrencePatchBody, { enabled: false })), { enabled: false });
  t.deepEqual(fieldsOf(t.throws(() => parseWire(occurrencePatchBody, { at: '2026-03-10T09:00:00+01:00' }))), [
    'at',
  ]);
  t.deepEqual(fieldsOf(t.throws(() => parseWire(occurrencePatchBody, {}))), ['enabled']);
  t.deepEqual(
    fieldsOf(t.throws(() => parseWire(occurrencePatchBody, { enabled: false, at: '2026-03-10T09:00:00Z' }))),
    ['at'],
  );
});

test('a preview body takes a schedule, a window and a limit up to 10,000', (t) => {
  const ok = parseWire(previewBody, {
    schedule: body.schedule,
    from: '2026-03-01T00:00:00Z',
    to: '2026-04-01T00:00:00Z',
    limit: 10_000,
  });
  t.is(ok.limit, 10_000);
  t.deepEqual(toPreviewArgs({ ...ok, limit: undefined }), {
    schedule: body.schedule,
    from: Date.parse('2026-03-01T00:00:00Z'),
    to: Date.parse('2026-04-01T00:00:00Z'),
    limit: 1_000,
  });
  const err = t.throws(() =>
    parseWire(previewBody, {
      schedule: body.schedule,
      from: 'yesterday',
      to: '2026-04-01T00:00:00Z',
      limit: 10_001,
    }),
  );
  t.deepEqual(fieldsOf(err).sort(), ['from', 'limit']);
});
