/** Rules and the overrides of single occurrences. Instants are BIGINT epoch ms; JSON is TEXT. */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { jsonText, tableOptions } from './StoreMigration.js';

export const m0001CreateRules: StoreMigration = {
  name: '0001-create-rules',
  async up({ context: qi }) {
    await qi.createTable(
      'rules',
      {
        id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
        name: { type: DataTypes.STRING(150), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: false },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false },
        disabled_reason: { type: DataTypes.TEXT, allowNull: true },
        schedule: { type: jsonText(qi), allowNull: false },
        task: { type: jsonText(qi), allowNull: false },
        metadata: { type: jsonText(qi), allowNull: false },
        labels: { type: DataTypes.TEXT, allowNull: false },
        lead_time_ms: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
        misfire_policy: { type: DataTypes.STRING(16), allowNull: false },
        misfire_grace_ms: { type: DataTypes.BIGINT, allowNull: false },
        retry: { type: DataTypes.TEXT, allowNull: true },
        created_by: { type: DataTypes.STRING(255), allowNull: true },
        created_at: { type: DataTypes.BIGINT, allowNull: false },
        updated_at: { type: DataTypes.BIGINT, allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false },
      },
      tableOptions,
    );
    await qi.addIndex('rules', ['name'], { name: 'rules_name_unique', unique: true });
    await qi.addIndex('rules', ['created_at', 'id'], { name: 'rules_created_at' });
    await qi.addIndex('rules', ['updated_at', 'id'], { name: 'rules_updated_at' });

    await qi.createTable(
      'occurrence_overrides',
      {
        rule_id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
        occurrence_at: { type: DataTypes.BIGINT, primaryKey: true, allowNull: false },
        action: { type: DataTypes.STRING(16), allowNull: false },
        moved_to: { type: DataTypes.BIGINT, allowNull: true },
        reason: { type: DataTypes.TEXT, allowNull: true },
        updated_by: { type: DataTypes.STRING(255), allowNull: true },
        updated_at: { type: DataTypes.BIGINT, allowNull: false },
      },
      tableOptions,
    );
    await qi.addIndex('occurrence_overrides', ['occurrence_at'], { name: 'occurrence_overrides_at' });
    await qi.addIndex('occurrence_overrides', ['moved_to'], { name: 'occurrence_overrides_moved_to' });
  },
  async down({ context: qi }) {
    await qi.dropTable('occurrence_overrides');
    await qi.dropTable('rules');
  },
};
