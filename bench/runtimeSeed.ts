/**
 * Seeding many rules for the runtime bench: one template rule is created through the store (so
 * the stored encoding is the store's own), then cloned in bulk with plain SQL (new id, name and
 * schedule), in one transaction per 500 rows. Creating 100k rules one by one through the
 * repository would take minutes and measure the store, not the runtime.
 */
import { randomUUID } from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { silentLogger } from '../src/log.js';
import type { Schedule } from '../src/rules/Schedule.js';
import { openStore } from '../src/store/openStore.js';
import { newRule } from '../test/runtime/support/fixtures.js';
import { nameKey } from '../src/rules/nameKey.js';

export interface SeedRule {
  schedule: Schedule;
  misfire?: { policy: 'fire_once' | 'skip'; graceMs: number };
}

export async function seedRules(dbFile: string, rules: SeedRule[], createdAt: number): Promise<void> {
  const store = await openStore({ dbUrl: `sqlite:${dbFile}`, logger: silentLogger });
  const template = await store.rules.create(newRule({ name: `template-${randomUUID()}` }));
  await store.close();
  const sequelize = new Sequelize(`sqlite:${dbFile}`, { logging: false });
  try {
    await sequelize.query('PRAGMA journal_mode = WAL');
    const [row] = (await sequelize.query('SELECT * FROM rules WHERE id = ?', {
      replacements: [template.id],
      type: QueryTypes.SELECT,
    })) as Array<Record<string, unknown>>;
    if (row === undefined) throw new Error('template rule not found');
    await sequelize.query('DELETE FROM rules WHERE id = ?', { replacements: [template.id] });
    const columns = Object.keys(row);
    for (let i = 0; i < rules.length; i += 500) {
      const chunk = rules.slice(i, i + 500);
      const values: unknown[] = [];
      for (const [k, rule] of chunk.entries()) {
        const clone: Record<string, unknown> = {
          ...row,
          id: randomUUID(),
          name: `bench rule ${i + k}`,
          name_key: nameKey(`bench rule ${i + k}`),
          schedule: JSON.stringify(rule.schedule),
          misfire_policy: rule.misfire?.policy ?? 'skip',
          misfire_grace_ms: rule.misfire?.graceMs ?? 0,
          created_at: createdAt,
          updated_at: createdAt,
        };
        for (const c of columns) values.push(clone[c]);
      }
      const tuple = `(${columns.map(() => '?').join(',')})`;
      await sequelize.transaction(async (transaction) => {
        await sequelize.query(
          `INSERT INTO rules (${columns.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`,
          { replacements: values, transaction },
        );
      });
    }
  } finally {
    await sequelize.close();
  }
}
