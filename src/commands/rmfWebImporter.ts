/**
 * Imports rmf-web's scheduled tasks into the store: each row of its `scheduledtask` table becomes
 * the rule the `/scheduled_tasks` drop-in would have made, keeping its integer id (so the
 * dashboard's links keep working). A second run imports nothing (rules it imported are known by
 * their id and mark); rows that cannot be converted are reported with the reason; with
 * `disableSource`, the imported rows are deleted from rmf-web's tables in one transaction there,
 * after every rule is committed here.
 */
import { randomUUID } from 'node:crypto';
import { isDomainError } from '../rules/errors.js';
import { convertRmfWebTask } from '../rules/rmfWebImport.js';
import { memoFrom, rmfWebRuleInput } from '../rules/RmfWebTask.js';
import type { Misfire } from '../rules/Rule.js';
import type { Store } from '../runtime/ports.js';
import { newRuleFrom } from '../runtime/ruleInput.js';
import type { RmfWebLayout, RmfWebSource } from '../store/rmfWebSource.js';

export interface ImportOptions {
  source: Pick<RmfWebSource, 'read' | 'deleteTasks'>;
  store: Pick<Store, 'rules' | 'rmfWebTasks'>;
  /** rmf-web's server zone (its `timezone` setting): the scheduler's configured zone. */
  timezone: string;
  misfire: Misfire;
  now: number;
  dryRun: boolean;
  disableSource: boolean;
}

export interface ImportReport {
  layout: RmfWebLayout;
  found: number;
  /** Imported now (or, in a dry run, that would be): id and rule name. */
  imported: Array<{ id: number; name: string }>;
  /** Imported by an earlier run. */
  already: number[];
  /** Rows not imported, and why. */
  failed: Array<{ id: number; reason: string }>;
  /** Tasks deleted from rmf-web's tables (disableSource), or null when nothing was asked. */
  deleted: number | null;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function importRmfWeb(options: ImportOptions): Promise<ImportReport> {
  const { source, store, timezone, now, dryRun } = options;
  const ids = store.rmfWebTasks;
  if (ids === undefined) throw new Error('this store keeps no rmf-web task ids');
  const { layout, tasks } = await source.read();
  const report: ImportReport = {
    layout,
    found: tasks.length,
    imported: [],
    already: [],
    failed: [],
    deleted: null,
  };
  const ctx = {
    timezone,
    misfirePolicy: options.misfire.policy,
    misfireGraceMs: options.misfire.graceMs,
    now,
  };

  for (const row of tasks) {
    const fail = (reason: string): void => void report.failed.push({ id: row.id, reason });
    const existing = await ids.ruleOf(row.id);
    if (existing !== null) {
      const rule = await store.rules.find(existing);
      if (rule !== null && memoFrom(rule.metadata)?.imported === true) report.already.push(row.id);
      else fail(`id ${row.id} is another scheduled task here${rule ? ` (rule "${rule.name}")` : ''}`);
      continue;
    }
    const converted = convertRmfWebTask(row, now);
    if (!converted.ok) {
      fail(converted.reason);
      continue;
    }
    const input = rmfWebRuleInput(row.id, converted.input, timezone, now, converted.createdBy, {
      imported: true,
      last_ran: converted.lastRan,
    });
    let newRule;
    try {
      newRule = newRuleFrom({ ...input, id: randomUUID() }, converted.createdBy || null, ctx);
    } catch (err) {
      fail(message(err));
      continue;
    }
    if (dryRun) {
      report.imported.push({ id: row.id, name: newRule.name });
      continue;
    }
    let rule;
    try {
      rule = await store.rules.create(newRule);
    } catch (err) {
      if (!isDomainError(err, 'ALREADY_EXISTS')) throw err;
      rule = await store.rules.create({ ...newRule, name: `${newRule.name} (${newRule.id?.slice(0, 8)})` });
    }
    try {
      await ids.assign(rule.id, row.id);
    } catch (err) {
      await store.rules.delete(rule.id, null);
      if (!isDomainError(err, 'ALREADY_EXISTS')) throw err;
      fail(`id ${row.id} was given here before, to a scheduled task since deleted`);
      continue;
    }
    report.imported.push({ id: row.id, name: rule.name });
  }

  if (options.disableSource && !dryRun) {
    const done = [...report.imported.map((i) => i.id), ...report.already];
    report.deleted = await source.deleteTasks(done);
  }
  return report;
}

/** The report as the command prints it. */
export function formatImportReport(
  report: ImportReport,
  options: { from: string; dryRun: boolean; disableSource: boolean },
): string {
  const lines: string[] = [];
  const layout = report.layout === 'current' ? "rmf-web's current layout" : 'the layout before rmf-web 0.1.0';
  lines.push(`rmf-web database ${options.from} (${layout}): ${report.found} scheduled task(s)`);
  const verb = options.dryRun ? 'would import' : 'imported';
  for (const i of report.imported) lines.push(`  ${verb} ${i.id} as "${i.name}"`);
  if (report.already.length > 0) lines.push(`  already imported: ${report.already.join(', ')}`);
  for (const f of report.failed) lines.push(`  NOT imported ${f.id}: ${f.reason}`);
  if (report.imported.length === 0)
    lines.push(
      report.already.length > 0 && report.failed.length === 0
        ? `nothing to import: every task was imported before`
        : 'nothing to import',
    );
  else
    lines.push(
      `${verb} ${report.imported.length} task(s)${options.dryRun ? ' (dry run: nothing written)' : ''}`,
    );
  if (report.failed.length > 0)
    lines.push(`${report.failed.length} task(s) could not be imported (see above)`);
  const held = report.imported.length + report.already.length;
  if (report.deleted === 0) {
    lines.push("nothing deleted from rmf-web's database: no task imported here is still there.");
  } else if (report.deleted !== null) {
    lines.push(
      `deleted ${report.deleted} imported task(s) and their schedules from rmf-web's database (one transaction).`,
      "Restart rmf-web's API server now: it keeps running the jobs it loaded at its start until it restarts.",
    );
  } else if (held > 0) {
    lines.push(
      '',
      `WARNING: rmf-web's API server still has ${held === 1 ? 'this task' : `these ${held} tasks`} in its tables and runs them itself:`,
      'every occurrence would be sent to RMF twice. To stop it, run this command again with --disable-source',
      "(it deletes the imported rows from rmf-web's database, after the import is committed here) or delete",
      "them there yourself, then restart rmf-web's API server (it keeps its jobs in memory until it restarts).",
      "Do not set a past `until` instead: rmf-web's start-up fails on one. Then route the dashboard's",
      '/scheduled_tasks to the scheduler (README: "rmf-web\'s dashboard").',
    );
  }
  return `${lines.join('\n')}\n`;
}
