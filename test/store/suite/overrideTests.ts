/** Single-occurrence overrides. */
import type { TestDialect } from '../../helpers/testDb.js';
import { newRule, T0 } from '../fixtures.js';
import { isCode, NOW, test } from './context.js';

export function overrideTests(_dialect: TestDialect): void {
  test('occurrence overrides: set, replace, window (original or moved instant), clear', async (t) => {
    const { store } = t.context;
    const rule = await store.rules.create(newRule());
    const H = 3_600_000;
    const moved = {
      ruleId: rule.id,
      occurrenceAt: T0,
      action: 'moved' as const,
      movedTo: T0 + 10 * H,
      reason: 'later',
      by: 'carol',
      updatedAt: NOW,
    };
    t.deepEqual(await store.overrides.set(moved), moved);
    t.deepEqual(await store.overrides.get(rule.id, T0), moved);
    const disabled = {
      ruleId: rule.id,
      occurrenceAt: T0 + 24 * H,
      action: 'disabled' as const,
      movedTo: 5,
      reason: null,
      by: null,
      updatedAt: NOW,
    };
    t.deepEqual(await store.overrides.set(disabled), { ...disabled, movedTo: null });
    const inWindow = async (from: number, to: number) =>
      (await store.overrides.listInWindow(from, to, [rule.id])).map((o) => o.occurrenceAt);
    t.deepEqual(await inWindow(T0, T0 + 1), [T0], 'by original instant');
    t.deepEqual(await inWindow(T0 + 9 * H, T0 + 11 * H), [T0], 'by moved instant');
    t.deepEqual(await inWindow(T0 + 11 * H, T0 + 25 * H), [T0 + 24 * H]);
    t.deepEqual(await inWindow(T0 + 1, T0 + 9 * H), []);
    t.deepEqual(await store.overrides.listInWindow(T0, T0 + 1, []), []);
    t.true((await store.overrides.listInWindow(T0, T0 + 1)).some((o) => o.ruleId === rule.id));
    t.deepEqual(
      (await store.overrides.listForRule(rule.id, T0 + 5 * H)).map((o) => o.occurrenceAt),
      [T0, T0 + 24 * H],
    );
    t.deepEqual(
      (await store.overrides.listForRule(rule.id, T0 + 20 * H)).map((o) => o.occurrenceAt),
      [T0 + 24 * H],
    );
    const both = await store.rules.getWithOverrides(rule.id, T0 + 5 * H);
    t.deepEqual(both.rule, await store.rules.get(rule.id), 'the rule, once, with its overrides');
    t.deepEqual(both.overrides, [moved, { ...disabled, movedTo: null }]);
    t.deepEqual((await store.rules.getWithOverrides(rule.id, T0 + 20 * H)).overrides, [
      { ...disabled, movedTo: null },
    ]);
    t.deepEqual(await store.rules.getWithOverrides(rule.id, T0 + 48 * H), { rule: both.rule, overrides: [] });
    const nobody = store.rules.getWithOverrides('bbbbbbbb-0000-4000-8000-000000000000', T0);
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(nobody)));
    await store.overrides.set({ ...moved, action: 'disabled', movedTo: null });
    t.is((await store.overrides.get(rule.id, T0))?.action, 'disabled');
    await store.overrides.clear(rule.id, T0);
    await store.overrides.clear(rule.id, T0);
    t.is(await store.overrides.get(rule.id, T0), null);
    const missing = { ...moved, ruleId: 'bbbbbbbb-0000-4000-8000-000000000000' };
    t.true(isCode('RULE_NOT_FOUND')(await t.throwsAsync(store.overrides.set(missing))));
  });
}
