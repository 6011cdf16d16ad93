import test from 'ava';
import { isDomainError, type DomainError } from '../../src/rules/errors.js';
import { occurrenceId } from '../../src/rules/ids.js';
import type { SchedulerEvent } from '../../src/runtime/Scheduler.js';
import { dailyRule, iso, ms, openHarness, recordFiring, task } from './schedulerFixture.js';

const fieldOf = (e: unknown) => ((e as DomainError).details as { field?: string }).field;
const WEEK = { from: ms('2026-03-08T00:00:00.000Z'), to: ms('2026-03-15T00:00:00.000Z') };

test('the calendar merges several rules with disabled, deleted and moved occurrences and past firings', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const clean = await h.scheduler.createRule(dailyRule('clean', ['09:00'], { labels: ['floor1'] }), null);
  const patrol = await h.scheduler.createRule(dailyRule('patrol', ['18:00']), null);

  // What happened before now (Monday 12:00): Sunday's and Monday's clean fired, Sunday's patrol was rejected.
  await recordFiring(h.store, clean.id, ms('2026-03-08T09:00:00.000Z'));
  await recordFiring(h.store, clean.id, ms('2026-03-09T09:00:00.000Z'));
  await recordFiring(h.store, patrol.id, ms('2026-03-08T18:00:00.000Z'), 'rejected');
  await recordFiring(h.store, patrol.id, ms('2026-03-09T10:15:00.000Z'), 'dispatched', 'manual');

  const disabled = occurrenceId(clean.id, ms('2026-03-10T09:00:00.000Z'));
  const deleted = occurrenceId(clean.id, ms('2026-03-11T09:00:00.000Z'));
  const movedIn = occurrenceId(clean.id, ms('2026-03-16T09:00:00.000Z')); // next week, moved into this one
  const movedOut = occurrenceId(patrol.id, ms('2026-03-13T18:00:00.000Z')); // moved out of the window
  await h.scheduler.updateOccurrence(disabled, { enabled: false, reason: 'floor wet' }, 'ops');
  await h.scheduler.deleteOccurrence(deleted, 'holiday', 'ops');
  await h.scheduler.updateOccurrence(movedIn, { at: ms('2026-03-14T07:00:00.000Z') }, 'ops');
  await h.scheduler.updateOccurrence(movedOut, { at: ms('2026-03-20T08:00:00.000Z') }, 'ops');

  const items = await h.scheduler.occurrences({ ...WEEK, limit: 100 });
  const rows = items.map((o) => [o.ruleName, iso(o.at), o.state, o.rmfTaskId]);
  t.deepEqual(rows, [
    ['clean', '2026-03-08T09:00:00.000Z', 'dispatched', 'task-2026-03-08T09:00:00.000Z'],
    ['patrol', '2026-03-08T18:00:00.000Z', 'rejected', null],
    ['clean', '2026-03-09T09:00:00.000Z', 'dispatched', 'task-2026-03-09T09:00:00.000Z'],
    ['patrol', '2026-03-09T10:15:00.000Z', 'dispatched', 'task-2026-03-09T10:15:00.000Z'],
    ['patrol', '2026-03-09T18:00:00.000Z', 'scheduled', null],
    ['clean', '2026-03-10T09:00:00.000Z', 'disabled', null],
    ['patrol', '2026-03-10T18:00:00.000Z', 'scheduled', null],
    ['clean', '2026-03-11T09:00:00.000Z', 'deleted', null],
    ['patrol', '2026-03-11T18:00:00.000Z', 'scheduled', null],
    ['clean', '2026-03-12T09:00:00.000Z', 'scheduled', null],
    ['patrol', '2026-03-12T18:00:00.000Z', 'scheduled', null],
    ['clean', '2026-03-13T09:00:00.000Z', 'scheduled', null],
    ['clean', '2026-03-14T07:00:00.000Z', 'moved', null],
    ['clean', '2026-03-14T09:00:00.000Z', 'scheduled', null],
    ['patrol', '2026-03-14T18:00:00.000Z', 'scheduled', null],
  ]);
  const moved = items.find((o) => o.state === 'moved');
  t.is(moved?.id, movedIn);
  t.is(iso(moved?.originalAt), '2026-03-16T09:00:00.000Z');

  const onlyClean = await h.scheduler.occurrences({ ...WEEK, ruleId: clean.id, limit: 3 });
  t.deepEqual(
    onlyClean.map((o) => [iso(o.at), o.state]),
    [
      ['2026-03-08T09:00:00.000Z', 'dispatched'],
      ['2026-03-09T09:00:00.000Z', 'dispatched'],
      ['2026-03-10T09:00:00.000Z', 'disabled'],
    ],
  );
  const byLabel = await h.scheduler.occurrences({ ...WEEK, label: 'floor1', limit: 100 });
  t.true(byLabel.length > 0 && byLabel.every((o) => o.ruleId === clean.id));
});

test('calendar instants follow DST: 02:30 Berlin before, across and after the spring-forward gap', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  await h.scheduler.createRule(
    {
      name: 'night clean',
      schedule: { kind: 'daily', times: ['02:30'], timezone: 'Europe/Berlin', start: '2026-03-01' },
      task,
    },
    null,
  );
  const items = await h.scheduler.occurrences({
    from: ms('2026-03-28T00:00:00.000Z'),
    to: ms('2026-03-31T00:00:00.000Z'),
    limit: 10,
  });
  t.deepEqual(
    items.map((o) => iso(o.at)),
    ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z'],
  );
});

test('a calendar window wider than 366 days or reversed is refused naming "to"', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const tooWide = await t.throwsAsync(
    h.scheduler.occurrences({
      from: ms('2026-01-01T00:00:00.000Z'),
      to: ms('2027-01-03T00:00:00.000Z'),
      limit: 10,
    }),
  );
  t.true(isDomainError(tooWide, 'INVALID_INPUT'));
  t.is(fieldOf(tooWide), 'to');
  const reversed = await t.throwsAsync(h.scheduler.occurrences({ from: WEEK.to, to: WEEK.from, limit: 10 }));
  t.is(fieldOf(reversed), 'to');
});

test('upcoming lists the next occurrences of one rule, with moves and disables applied', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00']), null);
  await h.scheduler.updateOccurrence(
    occurrenceId(rule.id, ms('2026-03-10T09:00:00.000Z')),
    { at: ms('2026-03-12T12:00:00.000Z') },
    null,
  );
  await h.scheduler.updateOccurrence(
    occurrenceId(rule.id, ms('2026-03-11T09:00:00.000Z')),
    { enabled: false },
    null,
  );
  const next = await h.scheduler.upcoming(rule.id, 3);
  t.deepEqual(
    next.map((o) => [iso(o.at), o.state]),
    [
      ['2026-03-11T09:00:00.000Z', 'disabled'],
      ['2026-03-12T09:00:00.000Z', 'scheduled'],
      ['2026-03-12T12:00:00.000Z', 'moved'],
    ],
  );
  const both = await h.scheduler.getRuleWithUpcoming(rule.id, 3);
  t.deepEqual(both, { rule: await h.scheduler.getRule(rule.id), upcoming: next });
  t.deepEqual(await h.scheduler.getRuleWithUpcoming(rule.id, 0), { rule: both.rule, upcoming: [] });
});

test('an occurrence can be read, disabled, enabled again, moved and deleted; the engine hears of each', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00']), null);
  const events: SchedulerEvent[] = [];
  h.scheduler.onEvent((e) => events.push(e));
  const id = occurrenceId(rule.id, ms('2026-03-10T09:00:00.000Z'));
  h.engine.refreshed.length = 0;

  t.like(await h.scheduler.getOccurrence(id), { id, ruleId: rule.id, ruleName: 'clean', state: 'scheduled' });
  t.like(await h.scheduler.updateOccurrence(id, { enabled: false, reason: 'wet floor' }, 'ops'), {
    state: 'disabled',
  });
  t.like(await h.scheduler.getOccurrence(id), { state: 'disabled' });
  const override = await h.store.overrides.get(rule.id, ms('2026-03-10T09:00:00.000Z'));
  t.like(override, { action: 'disabled', reason: 'wet floor', by: 'ops' });

  t.like(await h.scheduler.updateOccurrence(id, { enabled: true }, 'ops'), { state: 'scheduled' });
  t.is(await h.store.overrides.get(rule.id, ms('2026-03-10T09:00:00.000Z')), null);

  const moved = await h.scheduler.updateOccurrence(id, { at: ms('2026-03-10T11:30:00.000Z') }, 'ops');
  t.is(moved.state, 'moved');
  t.is(iso(moved.at), '2026-03-10T11:30:00.000Z');
  t.like(await h.scheduler.getOccurrence(id), { state: 'moved', at: ms('2026-03-10T11:30:00.000Z') });

  await h.scheduler.deleteOccurrence(id, 'no need', 'ops');
  t.like(await h.scheduler.getOccurrence(id), { state: 'deleted' });

  t.deepEqual(h.engine.refreshed, [rule.id, rule.id, rule.id, rule.id]);
  t.is(events.filter((e) => e.type === 'rules.changed').length, 4);
});

test('moving an occurrence into the past or onto another occurrence is refused, naming "at"', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00']), null);
  const id = occurrenceId(rule.id, ms('2026-03-10T09:00:00.000Z'));

  const past = await t.throwsAsync(
    h.scheduler.updateOccurrence(id, { at: ms('2026-03-09T11:00:00.000Z') }, null),
  );
  t.true(isDomainError(past, 'INVALID_INPUT'));
  t.is(fieldOf(past), 'at');

  const onto = await t.throwsAsync(
    h.scheduler.updateOccurrence(id, { at: ms('2026-03-11T09:00:00.000Z') }, null),
  );
  t.is(fieldOf(onto), 'at');

  const other = occurrenceId(rule.id, ms('2026-03-12T09:00:00.000Z'));
  await h.scheduler.updateOccurrence(other, { at: ms('2026-03-10T15:00:00.000Z') }, null);
  const ontoMoved = await t.throwsAsync(
    h.scheduler.updateOccurrence(id, { at: ms('2026-03-10T15:00:00.000Z') }, null),
  );
  t.is(fieldOf(ontoMoved), 'at');

  t.like(await h.scheduler.getOccurrence(id), { state: 'scheduled' });
});

test('an occurrence that is not in the schedule, or of an unknown rule, is not found', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00']), null);
  const offSchedule = occurrenceId(rule.id, ms('2026-03-10T09:30:00.000Z'));
  const e1 = await t.throwsAsync(h.scheduler.getOccurrence(offSchedule));
  t.true(isDomainError(e1, 'OCCURRENCE_NOT_FOUND'));
  const e2 = await t.throwsAsync(h.scheduler.updateOccurrence(offSchedule, { enabled: false }, null));
  t.true(isDomainError(e2, 'OCCURRENCE_NOT_FOUND'));
  const e3 = await t.throwsAsync(h.scheduler.deleteOccurrence(offSchedule, null, null));
  t.true(isDomainError(e3, 'OCCURRENCE_NOT_FOUND'));
  const e4 = await t.throwsAsync(
    h.scheduler.getOccurrence(
      occurrenceId('6f0c7a52-3b1e-4c8e-9d2a-0b7e5f1c2d3e', ms('2026-03-10T09:00:00.000Z')),
    ),
  );
  t.true(isDomainError(e4, 'OCCURRENCE_NOT_FOUND'));
  const e5 = await t.throwsAsync(h.scheduler.getOccurrence('nonsense'));
  t.true(isDomainError(e5, 'INVALID_INPUT'));
  t.is(await h.store.overrides.get(rule.id, ms('2026-03-10T09:30:00.000Z')), null);
});

test('an occurrence that already fired can no longer be changed', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const rule = await h.scheduler.createRule(dailyRule('clean', ['09:00']), null);
  const at = ms('2026-03-09T09:00:00.000Z');
  await recordFiring(h.store, rule.id, at);
  const id = occurrenceId(rule.id, at);
  t.like(await h.scheduler.getOccurrence(id), {
    state: 'dispatched',
    rmfTaskId: 'task-2026-03-09T09:00:00.000Z',
  });
  const err = await t.throwsAsync(
    h.scheduler.updateOccurrence(id, { at: ms('2026-03-10T10:00:00.000Z') }, null),
  );
  t.is(fieldOf(err), 'id');
});

test('preview lists the instants of a wire schedule without storing anything', async (t) => {
  const h = await openHarness();
  t.teardown(() => h.close());
  const { instants } = h.scheduler.preview(
    {
      kind: 'weekly',
      days: ['mon', 'fri'],
      times: ['08:00'],
      timezone: 'America/New_York',
      start: '2026-03-01',
    },
    ms('2026-03-06T00:00:00.000Z'),
    ms('2026-03-17T00:00:00.000Z'),
    3,
  );
  // New York springs forward on 2026-03-08: 08:00 is 13:00Z before, 12:00Z after.
  t.deepEqual(instants.map(iso), [
    '2026-03-06T13:00:00.000Z',
    '2026-03-09T12:00:00.000Z',
    '2026-03-13T12:00:00.000Z',
  ]);
  const bad = t.throws(() => h.scheduler.preview({ kind: 'weekly', times: ['08:00'] }, 0, 1, 10));
  t.true(isDomainError(bad, 'INVALID_INPUT'));
  t.is(fieldOf(bad), 'schedule.days');
  const tooMany = t.throws(() => h.scheduler.preview({ kind: 'daily', times: ['08:00'] }, 0, 1, 10_001));
  t.is(fieldOf(tooMany), 'limit');
  t.is((await h.scheduler.listRules({ limit: 1, offset: 0 })).total, 0);
});
