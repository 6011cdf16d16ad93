/**
 * Labels get a side table so "rules with label X" is an indexed exact match on every dialect.
 * Existing rules are backfilled from their JSON `labels` column (which stays the source of the
 * labels' order).
 */
import { DataTypes, QueryTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { tableOptions } from './StoreMigration.js';

const CHUNK = 500;

export const m0003CreateRuleLabels: StoreMigration = {
  name: '0003-create-rule-labels',
  async up({ context: qi }) {
    await qi.createTable(
      'rule_labels',
      {
        rule_id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
        label: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
      },
      tableOptions,
    );
    await qi.addIndex('rule_labels', ['label'], { name: 'rule_labels_label' });

    const rules = (await qi.sequelize.query('SELECT id, labels FROM rules', {
      type: QueryTypes.SELECT,
      raw: true,
    })) as Array<{ id: string; labels: string }>;
    const rows: Array<{ rule_id: string; label: string }> = [];
    for (const rule of rules) {
      let labels: unknown;
      try {
        labels = JSON.parse(rule.labels);
      } catch {
        throw new Error(`rules row ${rule.id}: column labels is not JSON`);
      }
      const unique = new Set(Array.isArray(labels) ? labels.filter((l) => typeof l === 'string') : []);
      for (const label of unique) rows.push({ rule_id: rule.id, label });
    }
    for (let i = 0; i < rows.length; i += CHUNK) await qi.bulkInsert('rule_labels', rows.slice(i, i + CHUNK));
  },
  async down({ context: qi }) {
    await qi.dropTable('rule_labels');
  },
};
