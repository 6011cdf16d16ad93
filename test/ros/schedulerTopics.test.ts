import test from 'ava';
import { SimulatedClock } from 'xstate';
import { silentLogger } from '../../src/log.js';
import { DomainError } from '../../src/rules/errors.js';
import type { Firing } from '../../src/rules/Firing.js';
import type { Page } from '../../src/runtime/ports.js';
import type { RuleListQuery, RuleSummary, RuleView, SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { RULE_LIST_MAX_BYTES, ruleListBytes } from '../../src/ros/messages.js';
import { startSchedulerTopics, type TopicsScheduler } from '../../src/ros/schedulerTopics.js';
import { createFakeRos, echo, type FakeRos } from '../helpers/fakeRcl.js';

const RULE_ID = '6f0c2a1e-8b4d-4c3e-9a7f-1d2e3f4a5b6c';
const T0 = Date.parse('2026-03-08T07:29:00.000Z');

const firing = (over: Partial<Firing> = {}): Firing => ({
  id: 'f-1',
  ruleId: RULE_ID,
  dueAt: Date.parse('2026-03-08T07:30:00.000Z'),
  fireAt: Date.parse('2026-03-08T07:30:00.000Z'),
  trigger: 'schedule',
  status: 'dispatched',
  requestId: 'sched_patrol_1',
  request: {},
  response: {},
  rmfTaskId: 'patrol.dispatch-7',
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
  ...over,
});

const DISABLED_ID = 'd'.repeat(8);

class FakeFacade implements TopicsScheduler {
  summary: RuleSummary[] = [
    {
      id: RULE_ID,
      name: 'nightly patrol',
      enabled: true,
      state: 'active',
      nextDueAt: Date.parse('2026-03-09T07:30:00.000Z'),
      labels: ['night'],
    },
    { id: 'b'.repeat(8), name: 'ended', enabled: false, state: 'disabled', nextDueAt: null, labels: [] },
  ];
  summaryCalls = 0;
  listeners = new Set<(e: SchedulerEvent) => void>();
  calls: unknown[][] = [];

  /** The facade's listing, as far as ~/rules and ~/list_rules use it (next due first, then id). */
  async listRules(query: RuleListQuery): Promise<Page<RuleView>> {
    this.summaryCalls++;
    const due = (r: RuleSummary) => r.nextDueAt ?? Infinity;
    const activity = (r: RuleSummary) =>
      !r.enabled ? 'disabled' : r.nextDueAt === null ? 'finished' : 'active';
    const matching = this.summary
      .filter((r) => query.state === undefined || activity(r) === query.state)
      .filter((r) => query.label === undefined || r.labels.includes(query.label))
      .sort((a, b) => due(a) - due(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = matching.slice(query.offset, query.offset + query.limit) as RuleView[];
    return { items, total: matching.length, limit: query.limit, offset: query.offset };
  }
  onEvent(listener: (e: SchedulerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: SchedulerEvent): void {
    for (const l of this.listeners) l(e);
  }
  async triggerRule(
    id: string,
    actor: string | null,
    options?: { force?: boolean; reason?: string | null },
  ): Promise<Firing & { timezone: string }> {
    this.calls.push(['triggerRule', id, actor, options]);
    if (id === DISABLED_ID && options?.force !== true)
      throw new DomainError('RULE_DISABLED', `Rule ${id} is disabled (lift maintenance)`, {
        reason: 'lift maintenance',
      });
    if (id !== RULE_ID && id !== DISABLED_ID) throw new DomainError('RULE_NOT_FOUND', `no rule ${id}`);
    return { ...firing({ trigger: 'manual' }), timezone: 'UTC' };
  }
  async setRuleEnabled(
    id: string,
    enabled: boolean,
    reason: string | null,
    expectedVersion: number | null,
    actor: string | null,
  ): Promise<RuleView> {
    this.calls.push(['setRuleEnabled', id, enabled, reason, expectedVersion, actor]);
    if (id !== RULE_ID) throw new DomainError('RULE_NOT_FOUND', `no rule ${id}`);
    return { id, name: 'nightly patrol', enabled } as RuleView;
  }
}

async function start(ros: FakeRos, argv: string[] = [], facade = new FakeFacade()) {
  const rcl = ros.rclnodejs();
  await rcl.init(undefined, ['node', 'task_scheduler', ...argv]);
  const node = rcl.createNode('task_scheduler');
  const clock = new SimulatedClock();
  clock.set(T0);
  const topics = startSchedulerTopics({ rcl, node, scheduler: facade, clock, logger: silentLogger });
  node.spin();
  await ros.flush();
  return { rcl, node, clock, facade, topics };
}

test('the rule list is published at start on ~/rules and reaches a late transient-local subscriber', async (t) => {
  const ros = createFakeRos();
  const { topics } = await start(ros);
  t.deepEqual(topics.names, { events: '/task_scheduler/events', rules: '/task_scheduler/rules' });
  const late = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
    durability: 'transient_local',
  });
  await ros.flush();
  t.is(late.length, 1);
  t.deepEqual(late[0], {
    stamp: { sec: T0 / 1000, nanosec: 0 },
    total: 2,
    rules: [
      {
        id: RULE_ID,
        name: 'nightly patrol',
        enabled: true,
        state: 'active',
        has_next_due: true,
        next_due_at_ms: BigInt(Date.parse('2026-03-09T07:30:00.000Z')),
        next_due_at: '2026-03-09T07:30:00.000Z',
        labels: ['night'],
      },
      {
        id: 'bbbbbbbb',
        name: 'ended',
        enabled: false,
        state: 'disabled',
        has_next_due: false,
        next_due_at_ms: 0n,
        next_due_at: '',
        labels: [],
      },
    ],
  });
});

test('the node namespace and name apply to ~/ topics', async (t) => {
  const ros = createFakeRos();
  const { topics } = await start(ros, ['--ros-args', '-r', '__ns:=/site_a', '-r', '__node:=sched']);
  t.deepEqual(topics.names, { events: '/site_a/sched/events', rules: '/site_a/sched/rules' });
});

test('every recorded firing becomes a SchedulerEvent on ~/events', async (t) => {
  const ros = createFakeRos();
  const seen = await echo(ros, 'rmf_task_scheduler/msg/SchedulerEvent', '/task_scheduler/events');
  const { facade, clock } = await start(ros);
  clock.set(Date.parse('2026-03-08T07:30:00.250Z'));
  facade.emit({ type: 'firing.recorded', firing: firing(), ruleName: 'nightly patrol', latenessMs: 3 });
  facade.emit({
    type: 'firing.recorded',
    firing: firing({
      id: 'f-2',
      status: 'timed_out',
      rmfTaskId: null,
      error: 'RMF did not answer within 5000 ms',
    }),
    ruleName: 'nightly patrol',
    latenessMs: null,
  });
  await ros.flush();
  t.is(seen.length, 2);
  t.deepEqual(seen[0], {
    stamp: { sec: Math.floor(Date.parse('2026-03-08T07:30:00.250Z') / 1000), nanosec: 250_000_000 },
    firing_id: 'f-1',
    rule_id: RULE_ID,
    rule_name: 'nightly patrol',
    occurrence_at_ms: BigInt(Date.parse('2026-03-08T07:30:00.000Z')),
    occurrence_at: '2026-03-08T07:30:00.000Z',
    fire_at_ms: BigInt(Date.parse('2026-03-08T07:30:00.000Z')),
    fire_at: '2026-03-08T07:30:00.000Z',
    trigger: 'schedule',
    outcome: 'dispatched',
    request_id: 'sched_patrol_1',
    rmf_task_id: 'patrol.dispatch-7',
    has_lateness: true,
    lateness_ms: 3n,
    error: '',
    event: 'recorded',
    cancel_state: '',
    cancel_errors: [],
    dispatch_status: '',
    assigned_fleet: '',
    assigned_robot: '',
    dispatch_errors: [],
  });
  t.like(seen[1], {
    outcome: 'timed_out',
    rmf_task_id: '',
    has_lateness: false,
    error: 'RMF did not answer within 5000 ms',
  });
});

test('a firing that learns more (a cancellation, RMF’s dispatch state) is told again on ~/events', async (t) => {
  const ros = createFakeRos();
  const { facade } = await start(ros);
  const seen = await echo(ros, 'rmf_task_scheduler/msg/SchedulerEvent', '/task_scheduler/events');
  const at = Date.parse('2026-03-08T07:29:10.000Z');
  facade.emit({
    type: 'firing.updated',
    change: 'dispatch',
    ruleName: 'nightly patrol',
    firing: firing({
      dispatch: { status: 'failed_to_assign', fleet: null, robot: null, errors: ['code 10 rejection'], at },
    }),
  });
  facade.emit({
    type: 'firing.updated',
    change: 'cancel',
    ruleName: 'nightly patrol',
    firing: firing({
      cancel: {
        state: 'failed',
        at,
        errors: ['no fleet adapter answered'],
        reason: 'the occurrence was disabled',
        rmfTaskId: 'patrol.dispatch-7',
        by: null,
      },
      dispatch: { status: 'dispatched', fleet: 'tinyRobot', robot: 'tinyRobot1', errors: [], at },
    }),
  });
  await ros.flush();
  t.like(seen[0], {
    event: 'dispatch',
    outcome: 'dispatched',
    dispatch_status: 'failed_to_assign',
    dispatch_errors: ['code 10 rejection'],
    has_lateness: false,
  });
  t.like(seen[1], {
    event: 'cancel',
    cancel_state: 'failed',
    cancel_errors: ['no fleet adapter answered'],
    dispatch_status: 'dispatched',
    assigned_fleet: 'tinyRobot',
    assigned_robot: 'tinyRobot1',
  });
});

test('a burst of rule changes gives one rule list, at most one per 500 ms', async (t) => {
  const ros = createFakeRos();
  const { facade, clock } = await start(ros);
  const lists = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
    durability: 'transient_local',
  });
  await ros.flush();
  t.is(lists.length, 1); // the one from start
  for (let i = 0; i < 5; i++) facade.emit({ type: 'rules.changed', ruleIds: [RULE_ID] });
  await ros.flush();
  clock.increment(499);
  await ros.flush();
  t.is(lists.length, 1);
  facade.summary = [facade.summary[0]!];
  clock.increment(1);
  await ros.flush();
  t.is(lists.length, 2);
  t.is(lists[1]?.rules.length, 1);
  t.is(facade.summaryCalls, 2);
});

test('the rule list is republished every minute without changes', async (t) => {
  const ros = createFakeRos();
  const { clock } = await start(ros);
  const lists = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
    durability: 'transient_local',
  });
  clock.increment(60_000);
  await ros.flush();
  clock.increment(60_000);
  await ros.flush();
  t.deepEqual(
    lists.map((l) => l.stamp.sec),
    [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120],
  );
});

test('~/trigger_rule fires the rule through the facade and answers with the firing', async (t) => {
  const ros = createFakeRos();
  const { facade } = await start(ros);
  const answer = await ros.callService('/task_scheduler/trigger_rule', 'rmf_task_scheduler/srv/TriggerRule', {
    rule_id: RULE_ID,
  });
  t.deepEqual(answer, {
    success: true,
    message: 'dispatched',
    firing_id: 'f-1',
    outcome: 'dispatched',
    request_id: 'sched_patrol_1',
    rmf_task_id: 'patrol.dispatch-7',
  });
  t.deepEqual(facade.calls, [['triggerRule', RULE_ID, 'ros', { force: false, reason: null }]]);
});

test('~/trigger_rule refuses a disabled rule unless force is set, and passes the reason on', async (t) => {
  const ros = createFakeRos();
  const { facade } = await start(ros);
  const call = (request: { rule_id: string; force?: boolean; reason?: string }) =>
    ros.callService('/task_scheduler/trigger_rule', 'rmf_task_scheduler/srv/TriggerRule', request);
  const refused = await call({ rule_id: DISABLED_ID });
  t.false(refused.success);
  t.is(refused.message, `RULE_DISABLED: Rule ${DISABLED_ID} is disabled (lift maintenance)`);
  const forced = await call({ rule_id: DISABLED_ID, force: true, reason: 'fire drill' });
  t.true(forced.success);
  t.deepEqual(facade.calls.at(-1), [
    'triggerRule',
    DISABLED_ID,
    'ros',
    { force: true, reason: 'fire drill' },
  ]);
});

test('~/trigger_rule on an unknown rule answers success=false with the error code', async (t) => {
  const ros = createFakeRos();
  await start(ros);
  const answer = await ros.callService('/task_scheduler/trigger_rule', 'rmf_task_scheduler/srv/TriggerRule', {
    rule_id: 'nope',
  });
  t.false(answer.success);
  t.is(answer.message, 'RULE_NOT_FOUND: no rule nope');
});

test('~/set_rule_enabled passes the reason (empty = none) and answers with the new state', async (t) => {
  const ros = createFakeRos();
  const { facade } = await start(ros);
  const off = await ros.callService(
    '/task_scheduler/set_rule_enabled',
    'rmf_task_scheduler/srv/SetRuleEnabled',
    {
      rule_id: RULE_ID,
      enabled: false,
      reason: 'lift under maintenance',
    },
  );
  const on = await ros.callService(
    '/task_scheduler/set_rule_enabled',
    'rmf_task_scheduler/srv/SetRuleEnabled',
    {
      rule_id: RULE_ID,
      enabled: true,
      reason: '',
    },
  );
  const missing = await ros.callService(
    '/task_scheduler/set_rule_enabled',
    'rmf_task_scheduler/srv/SetRuleEnabled',
    { rule_id: 'nope', enabled: true, reason: '' },
  );
  t.like(off, { success: true, enabled: false });
  t.like(on, { success: true, enabled: true });
  t.like(missing, { success: false, message: 'RULE_NOT_FOUND: no rule nope' });
  t.deepEqual(facade.calls.slice(0, 2), [
    ['setRuleEnabled', RULE_ID, false, 'lift under maintenance', null, 'ros'],
    ['setRuleEnabled', RULE_ID, true, null, null, 'ros'],
  ]);
});

test('after stop() nothing more is published', async (t) => {
  const ros = createFakeRos();
  const { facade, clock, topics } = await start(ros);
  const events = await echo(ros, 'rmf_task_scheduler/msg/SchedulerEvent', '/task_scheduler/events');
  topics.stop();
  facade.emit({ type: 'firing.recorded', firing: firing(), ruleName: 'x', latenessMs: 0 });
  clock.increment(120_000);
  await ros.flush();
  t.deepEqual(events, []);
  t.is(facade.summaryCalls, 1);
  t.is(facade.listeners.size, 0);
});

/** `count` rules as a big site has them: long names, a few labels, next due instants spread over a week. */
function manyRules(count: number): RuleSummary[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${String(i).padStart(8, '0')}-8b4d-4c3e-9a7f-1d2e3f4a5b6c`,
    name: `ward ${i % 40} ${['cleaning round', 'linen delivery', 'night patrol'][i % 3]} number ${i}`,
    enabled: i % 10 !== 9,
    state: i % 10 === 9 ? ('disabled' as const) : i % 17 === 0 ? ('finished' as const) : ('active' as const),
    // a pseudo-random spread, every 17th enabled rule finished
    nextDueAt: i % 10 === 9 || i % 17 === 0 ? null : T0 + ((i * 7919) % 604_800) * 1000,
    labels: [`ward=${i % 40}`, `building=${i % 3}`, 'scheduler'],
  }));
}

test('~/rules at 20,000 rules: at most about 1 MB, the soonest due first, with the total count', async (t) => {
  const ros = createFakeRos();
  const facade = new FakeFacade();
  facade.summary = manyRules(20_000);
  await start(ros, [], facade);
  const lists = await echo(ros, 'rmf_task_scheduler/msg/RuleList', '/task_scheduler/rules', {
    durability: 'transient_local',
  });
  await ros.flush();
  const list = lists[0];
  if (!list) return t.fail('no rule list');
  t.is(list.total, 20_000);
  t.true(list.rules.length > 1_000 && list.rules.length < 20_000, `${list.rules.length} rules`);
  const bytes = ruleListBytes(list);
  t.true(bytes <= RULE_LIST_MAX_BYTES && bytes > RULE_LIST_MAX_BYTES - 1_000, `${bytes} bytes`);
  const dues = list.rules.map((r) => (r.has_next_due ? Number(r.next_due_at_ms) : Infinity));
  t.deepEqual(
    dues,
    [...dues].sort((a, b) => a - b),
    'soonest due first',
  );
  const lastIn = dues.at(-1) ?? 0;
  const included = new Set(list.rules.map((r) => r.id));
  const leftOut = facade.summary.filter((r) => !included.has(r.id));
  t.true(
    leftOut.every((r) => (r.nextDueAt ?? Infinity) >= lastIn),
    'nothing left out is due sooner',
  );
});

test('~/list_rules pages through every rule with state and label filters; bad queries are refused', async (t) => {
  const ros = createFakeRos();
  const facade = new FakeFacade();
  facade.summary = manyRules(3_000);
  await start(ros, [], facade);
  const call = (req: Partial<{ offset: number; limit: number; state: string; label: string }>) =>
    ros.callService('/task_scheduler/list_rules', 'rmf_task_scheduler/srv/ListRules', {
      offset: 0,
      limit: 0,
      state: '',
      label: '',
      ...req,
    });
  const first = await call({});
  t.like(first, { success: true, total: 3_000 });
  t.is(first.rules.length, 100, 'limit 0 means 100');
  const all = [];
  for (let offset = 0; offset < 3_000; offset += 1_000)
    all.push(...(await call({ offset, limit: 1_000 })).rules);
  t.is(new Set(all.map((r) => r.id)).size, 3_000, 'every rule, each once');
  t.deepEqual(all.slice(0, 100), first.rules);

  const disabled = await call({ state: 'disabled', limit: 1_000 });
  t.is(disabled.total, 300);
  t.true(disabled.rules.every((r) => !r.enabled));
  const finished = await call({ state: 'finished', limit: 1_000 });
  t.true(finished.total > 0);
  t.true(finished.rules.every((r) => r.enabled && !r.has_next_due));
  const active = await call({ state: 'active', limit: 1_000 });
  t.is(active.total + finished.total + disabled.total, 3_000);
  t.true(active.rules.every((r) => r.enabled && r.has_next_due));
  const ward = await call({ label: 'ward=7', limit: 1_000 });
  t.is(ward.total, 75);
  t.true(ward.rules.every((r) => r.labels.includes('ward=7')));

  t.like(await call({ state: 'paused' }), { success: false, total: 0 });
  t.regex((await call({ state: 'paused' })).message, /state must be/);
  t.regex((await call({ limit: 1_001 })).message, /limit must be at most 1000/);
});
