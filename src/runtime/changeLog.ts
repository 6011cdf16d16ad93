/** The one info log line each recorded change writes: what, which rule, who and why. */
import type { Logger } from '../log.js';
import type { Actor } from '../rules/Rule.js';
import type { RuleHistoryAction } from '../rules/RuleHistory.js';

export function logChange(
  logger: Logger,
  action: RuleHistoryAction,
  ruleId: string,
  actor: Actor,
  reason: string | null,
  extra: Record<string, unknown> = {},
): void {
  logger.info(`rule ${action.replace('_', ' ')}`, { rule_id: ruleId, action, actor, reason, ...extra });
}
