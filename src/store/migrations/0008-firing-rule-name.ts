/**
 * Firings say which rule they were for and who asked: `rule_name` (the rule's name when it fired,
 * kept after the rule is renamed or deleted) and `triggered_by` (the user of a manual trigger;
 * null for scheduled firings). Existing firings take their rule's current name (null when the
 * rule is gone).
 */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';

export const m0008FiringRuleName: StoreMigration = {
  name: '0008-firing-rule-name',
  async up({ context: qi }) {
    await qi.addColumn('firings', 'rule_name', { type: DataTypes.STRING(150), allowNull: true });
    await qi.addColumn('firings', 'triggered_by', { type: DataTypes.STRING(255), allowNull: true });
    await qi.sequelize.query(
      'UPDATE firings SET rule_name = (SELECT rules.name FROM rules WHERE rules.id = firings.rule_id)',
    );
    await qi.addIndex('firings', ['rule_name', 'due_at'], { name: 'firings_rule_name' });
  },
  async down({ context: qi }) {
    await qi.removeIndex('firings', 'firings_rule_name');
    await qi.removeColumn('firings', 'triggered_by');
    await qi.removeColumn('firings', 'rule_name');
  },
};
