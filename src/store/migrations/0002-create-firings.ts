/**
 * Firing history (the exactly-once claim is its unique key) and the change feed replicas poll.
 * `rule_changes.seq` is assigned from the one-row `rule_change_counter` inside each mutation's
 * transaction: the counter's row lock orders the writers, so seq order is commit order and a
 * replica reading "seq > cursor" never skips a change that commits late.
 */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { jsonText, tableOptions } from './StoreMigration.js';

export const m0002CreateFirings: StoreMigration = {
  name: '0002-create-firings',
  async up({ context: qi }) {
    await qi.createTable(
      'firings',
      {
        id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
        rule_id: { type: DataTypes.STRING(36), allowNull: false },
        due_at: { type: DataTypes.BIGINT, allowNull: false },
        fire_at: { type: DataTypes.BIGINT, allowNull: false },
        trigger_kind: { type: DataTypes.STRING(16), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false },
        request_id: { type: DataTypes.STRING(255), allowNull: true },
        request: { type: jsonText(qi), allowNull: true },
        response: { type: jsonText(qi), allowNull: true },
        rmf_task_id: { type: DataTypes.STRING(255), allowNull: true },
        error: { type: DataTypes.TEXT, allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        claimed_at: { type: DataTypes.BIGINT, allowNull: true },
        published_at: { type: DataTypes.BIGINT, allowNull: true },
        responded_at: { type: DataTypes.BIGINT, allowNull: true },
        replica_id: { type: DataTypes.STRING(255), allowNull: true },
        task_state: { type: jsonText(qi), allowNull: true },
      },
      tableOptions,
    );
    // The claim: one row per (rule, trigger, occurrence). Column order serves MAX(due_at) per rule.
    await qi.addIndex('firings', ['rule_id', 'trigger_kind', 'due_at'], {
      name: 'firings_claim_key',
      unique: true,
    });
    await qi.addIndex('firings', ['rule_id', 'due_at'], { name: 'firings_rule_due_at' });
    await qi.addIndex('firings', ['due_at'], { name: 'firings_due_at' });
    await qi.addIndex('firings', ['status'], { name: 'firings_status' });
    await qi.addIndex('firings', ['rmf_task_id'], { name: 'firings_rmf_task_id' });

    await qi.createTable(
      'rule_changes',
      {
        seq: { type: DataTypes.BIGINT, primaryKey: true, allowNull: false },
        rule_id: { type: DataTypes.STRING(36), allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        at: { type: DataTypes.BIGINT, allowNull: false },
      },
      tableOptions,
    );
    await qi.createTable(
      'rule_change_counter',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
        seq: { type: DataTypes.BIGINT, allowNull: false },
      },
      tableOptions,
    );
    await qi.bulkInsert('rule_change_counter', [{ id: 1, seq: 0 }]);
  },
  async down({ context: qi }) {
    await qi.dropTable('rule_change_counter');
    await qi.dropTable('rule_changes');
    await qi.dropTable('firings');
  },
};
