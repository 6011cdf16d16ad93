/**
 * RmfWebTaskRepository: the integer ids of rmf-web's scheduled tasks, each naming one rule. A new
 * id is one more than the largest ever given (a deleted task's row stays, without its rule), so
 * an id is never reused; two replicas allocating at once collide on the primary key and retry.
 */
import { DomainError, isDomainError } from '../rules/errors.js';
import type { RmfWebTaskRepository } from '../runtime/ports.js';
import type { Row } from './Db.js';
import type { RepositoryDeps } from './ruleRepository.js';

const ATTEMPTS = 5;

export function createRmfWebTaskRepository({ db, now }: RepositoryDeps): RmfWebTaskRepository {
  const { sql } = db;

  async function insert(id: number, ruleId: string): Promise<void> {
    await db.write('assign a scheduled task id', (q) =>
      q.run(sql`INSERT INTO rmf_web_tasks (id, rule_id, created_at) VALUES (${id}, ${ruleId}, ${now()})`),
    );
  }

  return {
    async assign(ruleId: string, id?: number): Promise<number> {
      if (id !== undefined) {
        if (!Number.isSafeInteger(id) || id < 1)
          throw DomainError.invalid({ field: 'id', message: 'must be a positive integer' });
        await insert(id, ruleId);
        return id;
      }
      for (let attempt = 1; ; attempt++) {
        const rows = await db.read('next scheduled task id', (q) =>
          q.rows<Row>(sql`SELECT MAX(id) AS top FROM rmf_web_tasks`),
        );
        const next = Number(rows[0]?.top ?? 0) + 1;
        try {
          await insert(next, ruleId);
          return next;
        } catch (err) {
          if (!(isDomainError(err) && err.code === 'ALREADY_EXISTS') || attempt >= ATTEMPTS) throw err;
        }
      }
    },

    async ruleOf(id: number): Promise<string | null> {
      const rows = await db.read('read a scheduled task id', (q) =>
        q.rows<Row>(sql`SELECT rule_id FROM rmf_web_tasks WHERE id = ${id}`),
      );
      const ruleId = rows[0]?.rule_id;
      return typeof ruleId === 'string' ? ruleId : null;
    },

    async list(): Promise<Array<{ id: number; ruleId: string }>> {
      const rows = await db.read('list scheduled task ids', (q) =>
        q.rows<Row>(sql`SELECT id, rule_id FROM rmf_web_tasks WHERE rule_id IS NOT NULL ORDER BY id`),
      );
      return rows.map((r) => ({ id: Number(r.id), ruleId: String(r.rule_id) }));
    },

    async release(id: number): Promise<void> {
      await db.write('release a scheduled task id', (q) =>
        q.run(sql`UPDATE rmf_web_tasks SET rule_id = NULL WHERE id = ${id}`),
      );
    },
  };
}
