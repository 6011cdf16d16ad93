/**
 * The integer ids of rmf-web's `/scheduled_tasks` (the drop-in and the importer): each id names
 * one rule. A deleted task keeps its row with no rule, so an id is never given twice (as rmf-web's
 * own auto-increment never does).
 */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { tableOptions } from './StoreMigration.js';

export const m0030CreateRmfWebTasks: StoreMigration = {
  name: '0030-create-rmf-web-tasks',
  async up({ context: qi }) {
    await qi.createTable(
      'rmf_web_tasks',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
        rule_id: { type: DataTypes.STRING(36), allowNull: true, unique: true },
        created_at: { type: DataTypes.BIGINT, allowNull: false },
      },
      tableOptions,
    );
  },
  async down({ context: qi }) {
    await qi.dropTable('rmf_web_tasks');
  },
};
