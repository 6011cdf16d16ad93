import test from 'ava';
import { isDomainError, type DomainError } from '../../src/rules/errors.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { dailyRule, iso, ms, openHarness, task } from './schedulerFixture.js';

const detailsOf = (e: unknown) => (e as DomainError).details as { field?: string; expected?: number };

test('a rule round-trips: created with defaults, read, listed, and the engine is told', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const events: SchedulerEvent[] = [];
  h.scheduler.onEvent((e) => events.push(e));

  const created = await h.scheduler.createRule(dailyRule('night patrol', ['09:00']), 'alice');
  t.is(created.version, 1);
  t.true(created.enabled);
  t.is(created.createdBy, 'alice');
  t.deepEqual(created.misfire, { policy: 'fire_once', graceMs: 60_000 });
  t.is(created.leadTimeMs, 0);
  t.is(created.retry, null);
  t.is(created.schedule.timezone, 'UTC');
  t.is(iso(created.nextDueAt), '2026-03-10T09:00:00.000Z');
  t.deepEqual(h.engine.refreshed, [created.id]);
  t.deepEqual(events, [{ type: 'rules.changed', ruleIds: [created.id] }]);

  const read = await h.scheduler.getRule(created.id);
  t.is(read.name, 'night patrol');
  t.is(iso(read.nextDueAt), '2026-03-10T09:00:00.000Z');
  const page = await h.scheduler.listRules({ limit: 10, offset: 0 });
  t.is(page.total, 1);
  t.is(page.items[0]?.id, created.id);
});

test('a schedule without a zone is read in the configured zone', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(
    { name: 'berlin', schedule: { kind: 'daily', times: ['09:00'], start: '2026-03-01' }, task },
    null,
  );
  t.is(rule.schedule.timezone, 'Europe/Berlin');
  t.is(iso(rule.nextDueAt), '2026-03-10T08:00:00.000Z');
});

test('replace and patch bump the version; a stale version is refused and changes nothing', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00'], { labels: ['a'] }), null);

  const replaced = await h.scheduler.replaceRule(rule.id, dailyRule('clean 2', ['10:00']), 1, 'bob');
  t.is(replaced.version, 2);
  t.is(replaced.name, 'clean 2');
  t.deepEqual(replaced.labels, []);
  t.is(iso(replaced.nextDueAt), '2026-03-10T10:00:00.000Z');

  const patched = await h.scheduler.updateRule(
    rule.id,
    { description: 'nightly', leadTimeMs: 60_000 },
    2,
    'bob',
  );
  t.is(patched.version, 3);
  t.is(patched.description, 'nightly');
  t.is(patched.leadTimeMs, 60_000);
  t.is(patched.schedule.kind, 'daily');

  const stale = await t.throwsAsync(h.scheduler.updateRule(rule.id, { name: 'lost update' }, 2, 'carol'));
  t.true(isDomainError(stale, 'VERSION_CONFLICT'));
  const staleReplace = await t.throwsAsync(
    h.scheduler.replaceRule(rule.id, dailyRule('x', ['11:00']), 1, null),
  );
  t.true(isDomainError(staleReplace, 'VERSION_CONFLICT'));
  const staleDelete = await t.throwsAsync(h.scheduler.deleteRule(rule.id, 1, null));
  t.true(isDomainError(staleDelete, 'VERSION_CONFLICT'));

  const after = await h.scheduler.getRule(rule.id);
  t.is(after.version, 3);
  t.is(after.name, 'clean 2');
});

test('a patch of misfire merges into the current policy', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('m', ['09:00'], { misfire: { policy: 'skip' } }), null);
  t.deepEqual(rule.misfire, { policy: 'skip', graceMs: 60_000 });
  const patched = await h.scheduler.updateRule(rule.id, { misfire: { graceMs: 5_000 } }, null, null);
  t.deepEqual(patched.misfire, { policy: 'skip', graceMs: 5_000 });
});

test('a rule that would never fire is refused, naming the schedule and why', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const past = await t.throwsAsync(
    h.scheduler.createRule(
      {
        name: 'past',
        schedule: { kind: 'once', at: '2026-03-01T09:00', timezone: 'UTC', start: '2026-02-01' },
        task,
      },
      null,
    ),
  );
  t.true(isDomainError(past, 'NEVER_FIRES'));
  t.is(detailsOf(past).field, 'schedule');
  t.regex((past as Error).message, /every occurrence is in the past/);

  const ended = await t.throwsAsync(
    h.scheduler.createRule(
      dailyRule('ended', ['09:00'], {
        schedule: {
          kind: 'daily',
          times: ['09:00'],
          timezone: 'UTC',
          start: '2026-01-01',
          end: '2026-02-01',
        },
      }),
      null,
    ),
  );
  t.true(isDomainError(ended, 'NEVER_FIRES'));

  const none = await t.throwsAsync(
    h.scheduler.createRule(
      dailyRule('none', ['09:00'], {
        schedule: { kind: 'once', at: '2026-05-01T09:00', timezone: 'UTC', start: '2026-06-01' },
      }),
      null,
    ),
  );
  t.true(isDomainError(none, 'NEVER_FIRES'));
  t.regex((none as Error).message, /no occurrence/);

  t.is((await h.scheduler.listRules({ limit: 10, offset: 0 })).total, 0);
  t.deepEqual(h.engine.refreshed, []);
});

test('a disabled rule that would never fire may be saved, but not enabled', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const schedule = { kind: 'once', at: '2026-03-01T09:00', timezone: 'UTC', start: '2026-02-01' };
  const rule = await h.scheduler.createRule({ name: 'archived', schedule, task, enabled: false }, null);
  t.false(rule.enabled);
  t.is(rule.nextDueAt, null);
  const err = await t.throwsAsync(h.scheduler.setRuleEnabled(rule.id, true, null, null, null));
  t.true(isDomainError(err, 'NEVER_FIRES'));
  const err2 = await t.throwsAsync(h.scheduler.updateRule(rule.id, { enabled: true }, null, null));
  t.true(isDomainError(err2, 'NEVER_FIRES'));
  t.false((await h.scheduler.getRule(rule.id)).enabled);
});

test('a bad schedule or task is refused naming the field, and nothing is stored', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const badTime = await t.throwsAsync(h.scheduler.createRule(dailyRule('bad', ['09:00', '25:00']), null));
  t.true(isDomainError(badTime, 'INVALID_INPUT'));
  t.is(detailsOf(badTime).field, 'schedule.times[1]');
  const badTask = await t.throwsAsync(
    h.scheduler.createRule(
      { ...dailyRule('bad task', ['09:00']), task: { type: 'dispatch_task_request', request: {} } as never },
      null,
    ),
  );
  t.true(isDomainError(badTask, 'INVALID_INPUT'));
  t.regex(detailsOf(badTask).field ?? '', /^task\.request/);
  t.is((await h.scheduler.listRules({ limit: 10, offset: 0 })).total, 0);
});

test('disable records the reason; enable clears it; delete removes the rule from the engine', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('r', ['09:00']), null);
  const off = await h.scheduler.setRuleEnabled(rule.id, false, 'lift out of order', 1, 'ops');
  t.false(off.enabled);
  t.is(off.disabledReason, 'lift out of order');
  t.is(off.nextDueAt, null);
  const on = await h.scheduler.setRuleEnabled(rule.id, true, null, 2, 'ops');
  t.true(on.enabled);
  t.is(on.disabledReason, null);
  t.is(iso(on.nextDueAt), '2026-03-10T09:00:00.000Z');

  await h.scheduler.deleteRule(rule.id, 3, 'ops');
  t.deepEqual(h.engine.removed, [rule.id]);
  const gone = await t.throwsAsync(h.scheduler.getRule(rule.id));
  t.true(isDomainError(gone, 'RULE_NOT_FOUND'));
});

test('listing filters and sorts on the next due instant', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const late = await h.scheduler.createRule(dailyRule('late', ['20:00']), null);
  const early = await h.scheduler.createRule(dailyRule('early', ['13:00'], { labels: ['ward'] }), null);
  const mid = await h.scheduler.createRule(dailyRule('mid', ['15:00'], { labels: ['ward'] }), null);
  await h.scheduler.createRule(dailyRule('off', ['14:00'], { enabled: false }), null);

  const byDue = await h.scheduler.listRules({ sort: 'next_due_at', limit: 10, offset: 0 });
  t.deepEqual(
    byDue.items.map((r) => r.name),
    ['early', 'mid', 'late', 'off'],
  );
  const page2 = await h.scheduler.listRules({ sort: 'next_due_at', limit: 2, offset: 1 });
  t.deepEqual(
    page2.items.map((r) => r.name),
    ['mid', 'late'],
  );
  t.is(page2.total, 4);

  const before = await h.scheduler.listRules({
    nextDueBefore: ms('2026-03-09T16:00:00.000Z'),
    limit: 10,
    offset: 0,
  });
  t.deepEqual(
    before.items.map((r) => r.id),
    [early.id, mid.id],
  );
  const after = await h.scheduler.listRules({
    nextDueAfter: ms('2026-03-09T15:00:00.000Z'),
    sort: 'next_due_at',
    limit: 10,
    offset: 0,
  });
  t.deepEqual(
    after.items.map((r) => r.id),
    [mid.id, late.id],
  );
  const labelled = await h.scheduler.listRules({
    label: 'ward',
    nextDueAfter: ms('2026-03-09T14:00:00.000Z'),
    limit: 10,
    offset: 0,
  });
  t.deepEqual(
    labelled.items.map((r) => r.name),
    ['mid'],
  );
  const enabledSoon = await h.scheduler.listRules({
    enabled: true,
    nextDueBefore: ms('2026-03-09T14:00:00.000Z'),
    limit: 10,
    offset: 0,
  });
  t.deepEqual(
    enabledSoon.items.map((r) => r.name),
    ['early'],
  );
  const byName = await h.scheduler.listRules({ enabled: true, sort: 'name', limit: 10, offset: 0 });
  t.deepEqual(
    byName.items.map((r) => r.name),
    ['early', 'late', 'mid'],
  );
});

test('a rule created after a next-due listing is found by the next one', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const first = await h.scheduler.createRule(dailyRule('first', ['13:00']), null);
  t.is((await h.scheduler.listRules({ sort: 'next_due_at', limit: 10, offset: 0 })).total, 1);
  const second = await h.scheduler.createRule(dailyRule('second', ['12:30']), null);
  const page = await h.scheduler.listRules({ sort: 'next_due_at', limit: 10, offset: 0 });
  t.deepEqual(
    page.items.map((r) => r.id),
    [second.id, first.id],
  );
  await h.scheduler.deleteRule(second.id, null, null);
  const after = await h.scheduler.listRules({ sort: 'next_due_at', limit: 10, offset: 0 });
  t.deepEqual(
    after.items.map((r) => r.id),
    [first.id],
  );
});

test('trigger fires once now and returns the recorded firing; firings are listed', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const events: SchedulerEvent[] = [];
  h.scheduler.onEvent((e) => events.push(e));
  const rule = await h.scheduler.createRule(dailyRule('r', ['09:00']), null);
  const firing = await h.scheduler.triggerRule(rule.id, 'alice');
  t.is(firing.trigger, 'manual');
  t.is(firing.status, 'dispatched');
  t.deepEqual(h.engine.triggered, [{ ruleId: rule.id, actor: 'alice' }]);
  t.deepEqual((await h.scheduler.getFiring(firing.id)).id, firing.id);
  const page = await h.scheduler.listFirings({ ruleId: rule.id, order: 'desc', limit: 10, offset: 0 });
  t.is(page.total, 1);
  t.true(events.some((e) => e.type === 'firing.recorded' && e.ruleName === 'r' && e.firing.id === firing.id));

  const missing = await t.throwsAsync(h.scheduler.triggerRule('6f0c7a52-3b1e-4c8e-9d2a-0b7e5f1c2d3e', null));
  t.true(isDomainError(missing, 'RULE_NOT_FOUND'));
});

test('a firing the engine reports without a rule name is re-emitted with the name from the store', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('named', ['09:00']), null);
  const firing = await h.scheduler.triggerRule(rule.id, null);
  const seen = new Promise<SchedulerEvent>((resolve) => h.scheduler.onEvent(resolve));
  h.engine.emitFiring(firing, { latenessMs: 3 });
  t.like(await seen, { type: 'firing.recorded', ruleName: 'named', latenessMs: 3 });
});

test('the rules summary lists every rule with its next due instant', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const a = await h.scheduler.createRule(dailyRule('b rule', ['09:00'], { labels: ['x'] }), null);
  await h.scheduler.createRule(dailyRule('a rule', ['10:00'], { enabled: false }), null);
  const summary = await h.scheduler.rulesSummary();
  t.deepEqual(
    summary.map((s) => [s.name, s.enabled, iso(s.nextDueAt)]),
    [
      ['a rule', false, null],
      ['b rule', true, '2026-03-10T09:00:00.000Z'],
    ],
  );
  t.deepEqual(summary[1]?.labels, ['x']);
  t.is(summary[1]?.id, a.id);
});

test('rules listed by state: active (a next occurrence ahead), disabled, finished (enabled, none ahead)', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const active = await h.scheduler.createRule(dailyRule('daily', ['09:00'], { labels: ['w'] }), null);
  const disabled = await h.scheduler.createRule(dailyRule('off', ['10:00'], { enabled: false }), null);
  const once = await h.scheduler.createRule(
    {
      name: 'once',
      schedule: { kind: 'once', at: '2026-03-09T13:00', timezone: 'UTC' },
      task,
      labels: ['w'],
    },
    null,
  );
  h.clock.increment(2 * 3_600_000);
  await h.scheduler.updateRule(once.id, { description: 'done' }, null, null);
  const ids = async (state: 'active' | 'disabled' | 'finished', label?: string) =>
    (
      await h.scheduler.listRules({
        state,
        sort: 'next_due_at',
        limit: 10,
        offset: 0,
        ...(label ? { label } : {}),
      })
    ).items.map((r) => r.id);
  t.deepEqual(await ids('active'), [active.id]);
  t.deepEqual(await ids('disabled'), [disabled.id]);
  t.deepEqual(await ids('finished'), [once.id]);
  t.deepEqual(await ids('finished', 'w'), [once.id]);
  t.deepEqual(await ids('disabled', 'w'), []);
  const none = await h.scheduler.listRules({ state: 'disabled', enabled: true, limit: 10, offset: 0 });
  t.is(none.total, 0, 'a state and an enabled filter that contradict it match nothing');
});

test('stop stops the engine', async (t) => {
  const h = await openHarness();
  await h.scheduler.stop();
  t.true(h.engine.stopped);
  await h.store.close();
});
