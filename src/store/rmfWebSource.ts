/**
 * An rmf-web API server's database, read by the importer: its `scheduledtask` and
 * `scheduledtaskschedule` tables (tortoise models, shared/rmf/RMF_WEB_SCHEDULED_TASKS.md
 * "Database") on SQLite, PostgreSQL or MySQL/MariaDB, in the current layout or the one before
 * rmf-web 0.1.0 (start_from/until on each schedule). Values come back as the driver gives them
 * (JSON as text or parsed, date-times as text or Date); rules/rmfWebImport.ts reads them.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../log.js';
import { DomainError } from '../rules/errors.js';
import type { RmfWebSourceSchedule, RmfWebSourceTask } from '../rules/rmfWebImport.js';
import {
  applySqlitePragmas,
  createSequelize,
  parseDbUrl,
  redactUrl,
  sqlLogging,
  type ParsedDbUrl,
} from './connect.js';
import { createDb, type Row } from './Db.js';
import { toDomainError } from './errors.js';
import { raw } from './sql.js';

export type RmfWebLayout = 'current' | 'before-0.1.0';

export interface RmfWebSource {
  readonly url: string;
  readonly dialect: string;
  /** Every scheduled task with its schedules, by id. */
  read(): Promise<{ layout: RmfWebLayout; tasks: RmfWebSourceTask[] }>;
  /** Deletes these tasks and their schedules in one transaction; returns how many tasks went. */
  deleteTasks(ids: readonly number[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * rmf-web's `db_url` (tortoise spelling): `sqlite://<path>` (relative unless it starts with `/`),
 * `postgres://…` (also `asyncpg://`, `psycopg://`), `mysql://…`, `mariadb://…`.
 */
export function parseRmfWebDbUrl(url: string, cwd: string): ParsedDbUrl {
  const sqlite = /^sqlite:\/\/(.+)$/i.exec(url);
  if (sqlite !== null && sqlite[1] !== ':memory:')
    return { dialect: 'sqlite', storage: resolve(cwd, sqlite[1]!) };
  const pg = /^(asyncpg|psycopg|postgresql|postgres):\/\//i.exec(url);
  if (pg !== null) return { dialect: 'postgres', url: url.replace(pg[0], 'postgres://') };
  return parseDbUrl(url);
}

const isEmpty = (v: unknown): boolean => v === null || v === undefined;

export async function openRmfWebSource(
  url: string,
  logger: Logger,
  cwd = process.cwd(),
): Promise<RmfWebSource> {
  const parsed = parseRmfWebDbUrl(url, cwd);
  const where = redactUrl(url);
  if (parsed.dialect === 'sqlite' && (parsed.storage === ':memory:' || !existsSync(parsed.storage ?? '')))
    throw DomainError.invalid({
      field: 'from',
      message: `rmf-web database ${where}: no such file ${parsed.storage}`,
    });
  const log = logger.child({ component: 'rmf-web source', dialect: parsed.dialect });
  const sequelize = createSequelize(parsed, log);
  try {
    if (parsed.dialect === 'sqlite') await applySqlitePragmas(sequelize, true);
    else await sequelize.authenticate();
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw toDomainError(err, `open rmf-web database ${where}`);
  }
  const db = createDb(sequelize, parsed.dialect, sqlLogging(log));
  const qi = sequelize.getQueryInterface();

  async function columnsOf(table: string): Promise<Set<string>> {
    try {
      return new Set(Object.keys(await qi.describeTable(table)));
    } catch (err) {
      throw DomainError.invalid(
        {
          field: 'from',
          message: `rmf-web database ${where} has no table ${table} (${(err as Error).message})`,
        },
        `rmf-web database ${where} has no table ${table}: is it rmf-web's API server database?`,
      );
    }
  }

  return {
    url: where,
    dialect: parsed.dialect,

    async read() {
      const taskColumns = await columnsOf('scheduledtask');
      const scheduleColumns = await columnsOf('scheduledtaskschedule');
      const layout: RmfWebLayout = scheduleColumns.has('start_from') ? 'before-0.1.0' : 'current';
      const [tasks, schedules] = await db.read('read rmf-web scheduled tasks', async (q) => [
        await q.rows<Row>(raw('SELECT * FROM scheduledtask ORDER BY id')),
        await q.rows<Row>(raw('SELECT * FROM scheduledtaskschedule ORDER BY id')),
      ]);
      const byTask = new Map<number, RmfWebSourceSchedule[]>();
      for (const s of schedules) {
        const owner = Number(s.scheduled_task_id);
        const list = byTask.get(owner) ?? [];
        list.push({
          id: Number(s.id),
          every: s.every as unknown,
          period: s.period as unknown,
          at: s.at as unknown,
          ...(layout === 'before-0.1.0'
            ? { startFrom: s.start_from as unknown, until: s.until as unknown }
            : {}),
        });
        byTask.set(owner, list);
      }
      return {
        layout,
        tasks: tasks.map((t) => ({
          id: Number(t.id),
          taskRequest: t.task_request as unknown,
          createdBy: t.created_by as unknown,
          lastRan: t.last_ran as unknown,
          startFrom: taskColumns.has('start_from') ? (t.start_from as unknown) : undefined,
          until: taskColumns.has('until') ? (t.until as unknown) : undefined,
          exceptDates: isEmpty(t.except_dates) ? null : (t.except_dates as unknown),
          schedules: byTask.get(Number(t.id)) ?? [],
        })),
      };
    },

    async deleteTasks(ids) {
      if (ids.length === 0) return 0;
      const list = ids.map((id) => Math.trunc(id));
      return db.tx('delete imported rmf-web scheduled tasks', async (q) => {
        const found = await q.rows<Row>(
          db.sql`SELECT COUNT(*) AS n FROM scheduledtask WHERE id IN (${list})`,
        );
        await q.run(db.sql`DELETE FROM scheduledtaskschedule WHERE scheduled_task_id IN (${list})`);
        await q.run(db.sql`DELETE FROM scheduledtask WHERE id IN (${list})`);
        return Number(found[0]?.n ?? 0);
      });
    },

    close: () => sequelize.close(),
  };
}
