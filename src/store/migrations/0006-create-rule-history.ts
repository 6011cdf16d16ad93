/**
 * The history of each rule: who changed, disabled, triggered or deleted what, when and why. Rows
 * outlive their rule (no foreign key), so a deleted rule's story stays readable. `seq` orders the
 * entries (newest first is seq descending); `changes` holds `{field: {before, after}}` of an
 * edit, `details` what else the entry needs (the occurrence, a forced trigger, …), both JSON.
 *
 * Existing rules get their `created` entry from their row (created_at, created_by).
 */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { jsonText, tableOptions } from './StoreMigration.js';

export const m0006CreateRuleHistory: StoreMigration = {
  name: '0006-create-rule-history',
  async up({ context: qi }) {
    await qi.createTable(
      'rule_history',
      {
        seq: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        rule_id: { type: DataTypes.STRING(36), allowNull: false },
        at: { type: DataTypes.BIGINT, allowNull: false },
        actor: { type: DataTypes.STRING(255), allowNull: true },
        action: { type: DataTypes.STRING(32), allowNull: false },
        reason: { type: DataTypes.TEXT, allowNull: true },
        changes: { type: jsonText(qi), allowNull: true },
        details: { type: jsonText(qi), allowNull: true },
      },
      tableOptions,
    );
    await qi.addIndex('rule_history', ['rule_id', 'seq'], { name: 'rule_history_rule_seq' });
    await qi.sequelize.query(
      `INSERT INTO rule_history (rule_id, at, actor, action) SELECT id, created_at, created_by, 'created' FROM rules`,
    );
  },
  async down({ context: qi }) {
    await qi.dropTable('rule_history');
  },
};
