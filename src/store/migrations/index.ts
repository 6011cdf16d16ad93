/** Every migration, in order. The list is explicit so the compiled dist/ needs no file globbing. */
import { m0001CreateRules } from './0001-create-rules.js';
import { m0002CreateFirings } from './0002-create-firings.js';
import { m0003CreateRuleLabels } from './0003-create-rule-labels.js';
import { m0006CreateRuleHistory } from './0006-create-rule-history.js';
import { m0007RuleNameKey } from './0007-rule-name-key.js';
import { m0008FiringRuleName } from './0008-firing-rule-name.js';
import { m0010CreateReplicas } from './0010-create-replicas.js';
import { m0020FiringCancelAndDispatch } from './0020-firing-cancel-and-dispatch.js';
import { m0030CreateRmfWebTasks } from './0030-create-rmf-web-tasks.js';
import type { StoreMigration } from './StoreMigration.js';

export const migrations: readonly StoreMigration[] = [
  m0001CreateRules,
  m0002CreateFirings,
  m0003CreateRuleLabels,
  m0006CreateRuleHistory,
  m0007RuleNameKey,
  m0008FiringRuleName,
  m0010CreateReplicas,
  m0020FiringCancelAndDispatch,
  m0030CreateRmfWebTasks,
];
