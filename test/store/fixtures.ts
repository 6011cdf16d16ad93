/** Domain values for store tests. */
import { randomUUID } from 'node:crypto';
import type { NewRule } from '../../src/rules/Rule.js';
import type { ClaimDecider, ClaimRequest } from '../../src/runtime/ports.js';

export const unique = (prefix: string): string => `${prefix}${randomUUID().slice(0, 8)}`;

export function newRule(overrides: Partial<NewRule> = {}): NewRule {
  return {
    name: unique('rule'),
    description: 'Clean the lobby',
    enabled: true,
    disabledReason: null,
    schedule: {
      kind: 'weekly',
      timezone: 'Europe/Berlin',
      start: '2026-01-05T00:00:00',
      end: null,
      count: null,
      times: ['07:30:00', '18:00:00'],
      days: ['mon', 'wed', 'fri'],
      every: 1,
    },
    task: {
      type: 'dispatch_task_request',
      request: {
        category: 'clean',
        description: { zone: 'lobby', type: 'clean', nested: { list: [1, 2.5, 'ü'], flag: true } },
        priority: { type: 'binary', value: 1 },
      },
    },
    metadata: { owner: 'facilities', floor: 2, tags: ['a', 'b'], quote: 'it\'s "quoted" \\ back' },
    labels: ['cleaning'],
    leadTimeMs: 60_000,
    misfire: { policy: 'fire_once', graceMs: 300_000 },
    retry: { maxAttempts: 3, backoffMs: 1_000 },
    createdBy: 'alice',
    ...overrides,
  };
}

export function claimRequest(
  ruleId: string,
  dueAt: number,
  overrides: Partial<ClaimRequest> = {},
): ClaimRequest {
  return {
    ruleId,
    dueAt,
    fireAt: dueAt,
    trigger: 'schedule',
    requestId: `task_scheduler-${randomUUID()}`,
    claimedAt: dueAt + 5,
    replicaId: 'replica-a',
    ...overrides,
  };
}

/** Claims everything whose rule exists and is enabled, and whose occurrence is not overridden. */
export const claimUnlessDisabled: ClaimDecider = (_claim, rule, override) => {
  if (rule === null) return { action: 'skip', reason: 'rule deleted' };
  if (!rule.enabled) return { action: 'skip', reason: 'rule disabled' };
  if (override !== null) return { action: 'skip', reason: `occurrence ${override.action}` };
  return { action: 'claim' };
};

export const T0 = Date.parse('2026-03-02T07:30:00.000Z');
