import test from 'ava';
import type { OccurrenceOverride } from '../../src/rules/Occurrence.js';
import type { Rule } from '../../src/rules/Rule.js';
import { decideClaim, reasonToCancel } from '../../src/runtime/claimDecider.js';
import type { ClaimRequest } from '../../src/runtime/ports.js';
import { at, daily, newRule } from './support/fixtures.js';

const NINE = at('2026-01-05T09:00:00Z');
const rule: Rule = {
  ...newRule({ schedule: daily(['09:00:00']) }),
  id: 'r1',
  version: 3,
  createdAt: 0,
  updatedAt: 0,
};
const claim: ClaimRequest = {
  ruleId: 'r1',
  dueAt: NINE,
  fireAt: NINE,
  trigger: 'schedule',
  requestId: 'q',
  claimedAt: NINE,
  replicaId: 'a',
};
const override = (o: Partial<OccurrenceOverride>): OccurrenceOverride => ({
  ruleId: 'r1',
  occurrenceAt: NINE,
  action: 'disabled',
  movedTo: null,
  reason: null,
  by: null,
  updatedAt: 0,
  ...o,
});

test('an enabled rule with this occurrence is claimed', (t) => {
  t.deepEqual(decideClaim(claim, rule, null, { version: 3 }), { action: 'claim' });
});

test('skips say why: deleted, disabled, occurrence disabled or deleted, moved elsewhere', (t) => {
  const reason = (r: Rule | null, o: OccurrenceOverride | null) => {
    const d = decideClaim(claim, r, o, { version: 3 });
    return d.action === 'skip' ? d.reason : 'claim';
  };
  t.regex(reason(null, null), /deleted/);
  t.regex(reason({ ...rule, enabled: false, disabledReason: 'vacation' }, null), /disabled: vacation/);
  t.regex(reason(rule, override({ reason: 'holiday' })), /occurrence was disabled: holiday/);
  t.regex(reason(rule, override({ action: 'deleted' })), /occurrence was deleted/);
  t.regex(
    reason(rule, override({ action: 'moved', movedTo: NINE + 3_600_000 })),
    /moved to 2026-01-05T10:00/,
  );
});

test('a rule changed since it was armed: claimed if the new schedule still has the occurrence', (t) => {
  t.deepEqual(decideClaim(claim, { ...rule, version: 4 }, null, { version: 3 }), { action: 'claim' });
  const moved = { ...rule, version: 4, schedule: daily(['10:00:00']) };
  const d = decideClaim(claim, moved, null, { version: 3 });
  t.is(d.action, 'skip');
  t.regex(d.action === 'skip' ? d.reason : '', /version 3 → 4.*no longer has an occurrence/);
});

test('an ended schedule is skipped; a manual trigger of an existing rule is always claimed', (t) => {
  const ended = { ...rule, schedule: { ...daily(['09:00:00']), end: '2026-01-04T23:59:59' } };
  t.is(decideClaim(claim, ended, null, undefined).action, 'skip');
  t.deepEqual(
    decideClaim(
      { ...claim, trigger: 'manual', dueAt: NINE + 7 },
      { ...rule, enabled: false },
      null,
      undefined,
    ),
    {
      action: 'claim',
    },
  );
});

test('the skip reasons are whole sentences: nothing appended when the operator gave no reason', (t) => {
  const reason = (r: Rule | null, o: OccurrenceOverride | null, expected = { version: 3 }) => {
    const d = decideClaim(claim, r, o, expected);
    return d.action === 'skip' ? d.reason : 'claim';
  };
  t.is(reason({ ...rule, enabled: false, disabledReason: null }, null), 'the rule is disabled');
  t.is(reason(rule, override({ action: 'disabled', reason: null })), 'the occurrence was disabled');
  t.is(reason(rule, override({ action: 'deleted', reason: 'closed' })), 'the occurrence was deleted: closed');
  const ended = { ...rule, schedule: { ...daily(['09:00:00']), end: '2026-01-04T23:59:59' } };
  t.is(
    reason(ended, null),
    'the schedule has no occurrence at 2026-01-05T09:00:00.000Z (ended or changed)',
    'the same version: not said to have changed',
  );
  t.deepEqual(decideClaim(claim, ended, null, undefined), {
    action: 'skip',
    reason: 'the schedule has no occurrence at 2026-01-05T09:00:00.000Z (ended or changed)',
  });
});

test('a moved occurrence is claimed at its new instant; a move override without a new instant does not stop it', (t) => {
  const movedClaim = { ...claim, fireAt: NINE + 3_600_000 };
  t.deepEqual(
    decideClaim(movedClaim, rule, override({ action: 'moved', movedTo: NINE + 3_600_000 }), { version: 3 }),
    { action: 'claim' },
  );
  t.deepEqual(decideClaim(claim, rule, override({ action: 'moved', movedTo: null }), { version: 3 }), {
    action: 'claim',
  });
});

test('a manual trigger of a deleted rule is skipped; of a disabled one, claimed only when forced', (t) => {
  const manual = { ...claim, trigger: 'manual' as const };
  const forced = { ...manual, manual: { by: 'nurse.joy', forced: true, reason: null } };
  const unforced = { ...manual, manual: { by: 'nurse.joy', forced: false, reason: null } };
  const disabled = { ...rule, enabled: false, disabledReason: 'lift maintenance' };
  t.deepEqual(decideClaim(manual, null, null, undefined), { action: 'skip', reason: 'the rule was deleted' });
  t.deepEqual(decideClaim(forced, disabled, override({ action: 'deleted' }), undefined), { action: 'claim' });
  t.deepEqual(decideClaim(unforced, disabled, null, undefined), {
    action: 'skip',
    reason: 'the rule is disabled: lift maintenance',
  });
  t.deepEqual(decideClaim(unforced, rule, override({ action: 'deleted' }), undefined), { action: 'claim' });
});

test('taking back a claimed firing: why it must not be sent, or null while it still goes', (t) => {
  const claimed = { dueAt: NINE, fireAt: NINE, trigger: 'schedule' as const };
  t.is(reasonToCancel(rule, null, claimed), null);
  t.is(
    reasonToCancel({ ...rule, enabled: false, disabledReason: 'ward closed' }, null, claimed),
    'the rule is disabled: ward closed',
  );
  t.is(
    reasonToCancel(rule, override({ action: 'disabled', reason: 'holiday' }), claimed),
    'the occurrence was disabled: holiday',
  );
  t.is(
    reasonToCancel(rule, override({ action: 'moved', movedTo: NINE + 60_000 }), claimed),
    'the occurrence was moved to 2026-01-05T09:01:00.000Z',
  );
  t.is(
    reasonToCancel({ ...rule, version: 9, schedule: daily(['10:00:00']) }, null, claimed),
    'the schedule has no occurrence at 2026-01-05T09:00:00.000Z (ended or changed)',
  );
  t.is(
    reasonToCancel({ ...rule, enabled: false }, null, { ...claimed, trigger: 'manual' }),
    null,
    'a manual trigger is not taken back by a change of the rule',
  );
});
