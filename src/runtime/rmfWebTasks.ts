/**
 * rmf-web's scheduled tasks over the Scheduler facade: each task is one rule, named and labelled
 * after its integer id (store: rmf_web_tasks), so it shows in /rules, /occurrences, the console
 * and ROS like any other rule and fires through the same exactly-once pipeline.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError } from '../rules/errors.js';
import {
  memoFrom,
  rmfWebRuleInput,
  taskOfRule,
  type RmfWebTask,
  type RmfWebTaskInput,
} from '../rules/RmfWebTask.js';
import type { Rule } from '../rules/Rule.js';
import type { RuleInput } from '../rules/RuleInput.js';
import { scheduleToWire } from '../rules/schedules.js';
import type { Clock, FiringRepository, RmfWebTaskRepository, RuleRepository } from './ports.js';
import type { RmfWebTaskQuery, RmfWebTasks, Scheduler } from './Scheduler.js';

export interface RmfWebTasksDeps {
  scheduler: Pick<Scheduler, 'createRule' | 'getRule' | 'replaceRule' | 'updateRule' | 'deleteRule'>;
  ids: RmfWebTaskRepository;
  rules: Pick<RuleRepository, 'getMany'>;
  firings: Pick<FiringRepository, 'list'>;
  clock: Clock;
  /** The server zone (the configured `timezone`). */
  timezone: string;
}

/** Statuses of firings whose request was published to RMF. */
const PUBLISHED = ['dispatched', 'rejected', 'timed_out'] as const;

const notFound = (): DomainError => new DomainError('NOT_FOUND', 'Not Found');

export function createRmfWebTasks(deps: RmfWebTasksDeps): RmfWebTasks {
  const { scheduler, ids, clock, timezone } = deps;

  const ruleInput = (id: number, input: RmfWebTaskInput, createdAt: number, createdBy: string): RuleInput =>
    rmfWebRuleInput(id, input, timezone, createdAt, createdBy);

  /** The newest publish instant of the rule's firings, or null. */
  async function lastRan(ruleId: string): Promise<number | null> {
    const page = await deps.firings.list({
      ruleId,
      status: [...PUBLISHED],
      order: 'desc',
      limit: 1,
      offset: 0,
    });
    const firing = page.items[0];
    return firing === undefined ? null : (firing.publishedAt ?? firing.fireAt);
  }

  async function ruleOf(id: number): Promise<Rule> {
    const ruleId = await ids.ruleOf(id);
    if (ruleId === null) throw notFound();
    try {
      return await scheduler.getRule(ruleId);
    } catch (error) {
      if (isDomainError(error, 'RULE_NOT_FOUND')) throw notFound();
      throw error;
    }
  }

  async function answer(id: number, rule: Rule): Promise<RmfWebTask> {
    const out = taskOfRule(id, rule, timezone, await lastRan(rule.id));
    if ('problem' in out) throw new DomainError('INTERNAL', out.problem);
    return out.task;
  }

  return {
    async create(input, actor) {
      const ruleId = randomUUID();
      const id = await ids.assign(ruleId);
      const createdAt = clock.now();
      const base = { ...ruleInput(id, input, createdAt, actor ?? ''), id: ruleId };
      let rule: Rule;
      try {
        try {
          rule = await scheduler.createRule(base, actor);
        } catch (error) {
          // A rule someone named like this one: the id keeps the name unique.
          if (!isDomainError(error, 'ALREADY_EXISTS')) throw error;
          rule = await scheduler.createRule({ ...base, name: `${base.name} (${ruleId.slice(0, 8)})` }, actor);
        }
      } catch (error) {
        await ids.release(id);
        throw error;
      }
      return answer(id, rule);
    },

    async get(id) {
      const rule = await ruleOf(id);
      return taskOfRule(id, rule, timezone, await lastRan(rule.id));
    },

    async list(query: RmfWebTaskQuery) {
      const live = await ids.list();
      const rules = new Map((await deps.rules.getMany(live.map((l) => l.ruleId))).map((r) => [r.id, r]));
      const tasks: RmfWebTask[] = [];
      for (const { id, ruleId } of live) {
        const rule = rules.get(ruleId);
        if (rule === undefined) continue;
        const out = taskOfRule(id, rule, timezone, await lastRan(ruleId));
        if (!('task' in out)) continue;
        const t = out.task;
        if (t.startFrom !== null && t.startFrom > query.startBefore) continue;
        if (t.until !== null && t.until < query.untilAfter) continue;
        tasks.push(t);
      }
      tasks.sort((a, b) => compare(a, b, query.orderBy));
      return tasks.slice(query.offset, query.offset + query.limit);
    },

    async addExceptDate(id, date, actor) {
      const rule = await ruleOf(id);
      const wire = scheduleToWire(rule.schedule) as Record<string, unknown>;
      const dates = new Set([...(rule.schedule.exceptDates ?? []), date]);
      await scheduler.updateRule(
        rule.id,
        { schedule: { ...wire, except_dates: [...dates].sort() } },
        null,
        actor,
      );
    },

    async update(id, input, actor) {
      const rule = await ruleOf(id);
      const memo = memoFrom(rule.metadata);
      const createdBy = typeof memo?.created_by === 'string' ? memo.created_by : (rule.createdBy ?? '');
      // What the task was before (imported, rmf-web's last run) stays known.
      const kept = {
        ...(memo?.imported ? { imported: true } : {}),
        ...(memo?.last_ran ? { last_ran: memo.last_ran } : {}),
      };
      const fresh: RuleInput = rmfWebRuleInput(id, input, timezone, rule.createdAt, createdBy, kept);
      const labels = [...new Set([...rule.labels, ...(fresh.labels ?? [])])];
      const updated = await scheduler.replaceRule(
        rule.id,
        {
          ...fresh,
          name: rule.name,
          description: rule.description,
          enabled: true,
          labels,
          metadata: { ...rule.metadata, ...fresh.metadata },
          leadTimeMs: rule.leadTimeMs,
          misfire: rule.misfire,
          retry: rule.retry,
        },
        null,
        actor,
      );
      return answer(id, updated);
    },

    async delete(id, actor) {
      const rule = await ruleOf(id);
      await scheduler.deleteRule(rule.id, null, actor);
      await ids.release(id);
    },
  };
}

function compare(a: RmfWebTask, b: RmfWebTask, orderBy: RmfWebTaskQuery['orderBy']): number {
  for (const { field, desc } of orderBy) {
    const va = valueOf(a, field);
    const vb = valueOf(b, field);
    if (va === vb) continue;
    // Nulls last either way.
    if (va === null) return 1;
    if (vb === null) return -1;
    const order = va < vb ? -1 : 1;
    return desc ? -order : order;
  }
  return a.id - b.id;
}

function valueOf(t: RmfWebTask, field: RmfWebTaskQuery['orderBy'][number]['field']): number | string | null {
  switch (field) {
    case 'id':
      return t.id;
    case 'start_from':
      return t.startFrom;
    case 'until':
      return t.until;
    case 'last_ran':
      return t.lastRan;
    case 'created_by':
      return t.createdBy;
  }
}
