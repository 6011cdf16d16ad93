/**
 * Rule names become unique ignoring case, the same on every dialect: each rule gets `name_key`
 * (rules/nameKey.ts, computed here, not by the database, whose case folding differs), indexed
 * unique in place of the unique index on `name`.
 *
 * Rules whose names differ only by case cannot both keep theirs: the migration then stops before
 * changing anything, naming them, so that they can be renamed first.
 */
import { DataTypes, QueryTypes } from 'sequelize';
import { nameKey } from '../../rules/nameKey.js';
import type { StoreMigration } from './StoreMigration.js';

/** Lower-casing may lengthen a name (150 characters at most): room for that. */
const KEY_LENGTH = 450;
const CHUNK = 500;

export const m0007RuleNameKey: StoreMigration = {
  name: '0007-rule-name-key',
  async up({ context: qi }) {
    const rules = (await qi.sequelize.query('SELECT id, name FROM rules ORDER BY name, id', {
      type: QueryTypes.SELECT,
      raw: true,
    })) as Array<{ id: string; name: string }>;
    const byKey = new Map<string, Array<{ id: string; name: string }>>();
    for (const rule of rules) {
      const key = nameKey(rule.name);
      byKey.set(key, [...(byKey.get(key) ?? []), rule]);
    }
    const clashes = [...byKey.values()].filter((group) => group.length > 1);
    if (clashes.length > 0) {
      const list = clashes.map((group) => group.map((r) => `"${r.name}" (${r.id})`).join(' and ')).join('; ');
      throw new Error(
        `Rule names are now unique ignoring case, and these rules have the same name but for case: ${list}. ` +
          'Rename all but one rule of each group (the previous version of the service can), then migrate again; nothing was changed.',
      );
    }

    await qi.addColumn('rules', 'name_key', {
      type: DataTypes.STRING(KEY_LENGTH),
      allowNull: false,
      defaultValue: '',
    });
    const escape = (v: string) => qi.sequelize.escape(v);
    for (let i = 0; i < rules.length; i += CHUNK) {
      const chunk = rules.slice(i, i + CHUNK);
      const cases = chunk.map((r) => `WHEN ${escape(r.id)} THEN ${escape(nameKey(r.name))}`).join(' ');
      await qi.sequelize.query(
        `UPDATE rules SET name_key = CASE id ${cases} END WHERE id IN (${chunk.map((r) => escape(r.id)).join(', ')})`,
      );
    }
    await qi.removeIndex('rules', 'rules_name_unique');
    await qi.addIndex('rules', ['name'], { name: 'rules_name' });
    await qi.addIndex('rules', ['name_key'], { name: 'rules_name_key_unique', unique: true });
  },
  async down({ context: qi }) {
    await qi.removeIndex('rules', 'rules_name_key_unique');
    await qi.removeIndex('rules', 'rules_name');
    await qi.removeColumn('rules', 'name_key');
    await qi.addIndex('rules', ['name'], { name: 'rules_name_unique', unique: true });
  },
};
