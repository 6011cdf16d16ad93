/**
 * Listing rules with their next due instants.
 *
 * Plain listings (filters on enabled / label / name, sorted by a column) page in SQL: one store
 * query, then the engine's in-memory nextDueAt for the page. Listings that filter or sort on the
 * next due instant cannot be done in SQL (the instant lives in the engine), so they scan the ids
 * of every rule in memory (an index loaded once from the store and kept in step with every change
 * this process makes or follows), keep the ids whose next due instant matches, and order them by
 * grouping on the instant (no full sort). With no other filter, only the page's rows are fetched;
 * with other filters, the smaller side is read: the rules SQL matches (paged), or the candidates
 * by id in chunks (filtered by SQL), and the result is sorted and paged in memory.
 */
import type { Rule } from '../rules/Rule.js';
import type { Engine } from './Engine.js';
import type { Page, RuleQuery, RuleRepository } from './ports.js';
import type { RuleActivity, RuleListQuery, RuleView } from './Scheduler.js';

const CHUNK = 500;
const PAGE = 1_000;

/** The ids of every rule, loaded lazily, then maintained by add/remove. */
export class RuleIdIndex {
  private ids: Set<string> | null = null;
  private loading: Promise<Set<string>> | null = null;
  private readonly pending: Array<[op: 'add' | 'remove', id: string]> = [];

  constructor(private readonly rules: RuleRepository) {}

  add(id: string): void {
    if (this.ids) this.ids.add(id);
    else if (this.loading) this.pending.push(['add', id]);
  }

  remove(id: string): void {
    if (this.ids) this.ids.delete(id);
    else if (this.loading) this.pending.push(['remove', id]);
  }

  async all(): Promise<string[]> {
    if (this.ids) return [...this.ids];
    this.loading ??= this.rules.loadSchedulingEntries().then((entries) => new Set(entries.map((e) => e.id)));
    try {
      const ids = await this.loading;
      for (const [op, id] of this.pending.splice(0)) {
        if (op === 'add') ids.add(id);
        else ids.delete(id);
      }
      this.ids = ids;
      return [...ids];
    } catch (error) {
      this.loading = null;
      throw error;
    }
  }
}

/** What a rule is doing, from whether it is enabled and its next due instant. */
export const activityOf = (enabled: boolean, nextDueAt: number | null): RuleActivity =>
  !enabled ? 'disabled' : nextDueAt === null ? 'finished' : 'active';

export const toView = (engine: Pick<Engine, 'nextDueAt'>, rule: Rule): RuleView => {
  const nextDueAt = engine.nextDueAt(rule.id);
  return { ...rule, nextDueAt, state: activityOf(rule.enabled, nextDueAt) };
};

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

function sorter(sort: RuleListQuery['sort'], due: (id: string) => number | null) {
  return (a: Rule, b: Rule): number => {
    switch (sort) {
      case 'next_due_at':
        return cmp(due(a.id) ?? Infinity, due(b.id) ?? Infinity) || cmp(a.id, b.id);
      case 'created_at':
        return cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
      case '-created_at':
        return cmp(b.createdAt, a.createdAt) || cmp(a.id, b.id);
      case 'updated_at':
        return cmp(a.updatedAt, b.updatedAt) || cmp(a.id, b.id);
      case '-updated_at':
        return cmp(b.updatedAt, a.updatedAt) || cmp(a.id, b.id);
      default:
        return cmp(a.name, b.name) || cmp(a.id, b.id);
    }
  };
}

export async function listRuleViews(
  query: RuleListQuery,
  deps: { rules: RuleRepository; engine: Pick<Engine, 'nextDueAt'>; index: RuleIdIndex },
): Promise<Page<RuleView>> {
  const { rules, engine, index } = deps;
  const { limit, offset } = query;
  const filters: Omit<RuleQuery, 'limit' | 'offset'> = {};
  if (query.enabled !== undefined) filters.enabled = query.enabled;
  if (query.label !== undefined) filters.label = query.label;
  if (query.nameContains !== undefined) filters.nameContains = query.nameContains;
  // active and finished differ by whether there is a next due instant (the engine's)
  if (query.state !== undefined) {
    if (query.enabled === (query.state === 'disabled')) return { items: [], total: 0, limit, offset };
    filters.enabled = query.state !== 'disabled';
  }
  const hasNext = query.state === 'active' ? true : query.state === 'finished' ? false : undefined;
  const byDue =
    query.nextDueBefore !== undefined || query.nextDueAfter !== undefined || hasNext !== undefined;

  if (!byDue && query.sort !== 'next_due_at') {
    const page = await rules.list({ ...filters, ...(query.sort ? { sort: query.sort } : {}), limit, offset });
    return { ...page, items: page.items.map((r) => toView(engine, r)) };
  }

  // One engine lookup per rule, kept in parallel arrays (no per-rule map entries).
  const candidates: string[] = [];
  const candidateDue: number[] = [];
  for (const id of await index.all()) {
    const at = engine.nextDueAt(id);
    if (hasNext !== undefined && hasNext !== (at !== null)) continue;
    if (query.nextDueBefore !== undefined && (at === null || at >= query.nextDueBefore)) continue;
    if (query.nextDueAfter !== undefined && (at === null || at < query.nextDueAfter)) continue;
    candidates.push(id);
    candidateDue.push(at ?? Infinity);
  }

  if (Object.keys(filters).length === 0 && query.sort === 'next_due_at') {
    const pageIds = firstByDue(candidates, candidateDue, offset + limit).slice(offset);
    const byId = new Map((await rules.getMany(pageIds)).map((r) => [r.id, r]));
    const items = pageIds.flatMap((id) => {
      const rule = byId.get(id);
      return rule ? [toView(engine, rule)] : [];
    });
    return { items, total: candidates.length, limit, offset };
  }

  const dues = new Map<string, number | null>();
  candidates.forEach((id, i) => dues.set(id, candidateDue[i] === Infinity ? null : candidateDue[i]!));
  const due = (id: string): number | null => dues.get(id) ?? null;
  const matched = await matchingRules(rules, filters, candidates, dues);
  matched.sort(sorter(query.sort, due));
  return {
    items: matched.slice(offset, offset + limit).map((r) => toView(engine, r)),
    total: matched.length,
    limit,
    offset,
  };
}

/** The first `count` ids by (next due instant, id), nulls (Infinity) last, without sorting them all. */
function firstByDue(ids: string[], due: number[], count: number): string[] {
  const byAt = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const at = due[i]!;
    const group = byAt.get(at);
    if (group) group.push(i);
    else byAt.set(at, [i]);
  }
  const out: string[] = [];
  for (const at of Float64Array.from(byAt.keys()).sort()) {
    if (out.length >= count) break;
    const group = byAt.get(at)!.map((i) => ids[i]!);
    group.sort(cmp);
    for (const id of group) {
      if (out.length >= count) break;
      out.push(id);
    }
  }
  return out;
}

/**
 * The candidate rules that also match the SQL filters. Reads the smaller side: every rule the
 * filters match (paged) when they are selective, else the candidates by id, in chunks.
 */
async function matchingRules(
  rules: RuleRepository,
  filters: Omit<RuleQuery, 'limit' | 'offset'>,
  candidates: string[],
  dues: Map<string, number | null>,
): Promise<Rule[]> {
  const matched = new Map<string, Rule>();
  const sqlTotal =
    Object.keys(filters).length === 0
      ? Infinity
      : (await rules.list({ ...filters, limit: 1, offset: 0 })).total;
  if (sqlTotal <= candidates.length) {
    for (let offset = 0; offset < sqlTotal; offset += PAGE) {
      const page = await rules.list({ ...filters, sort: 'created_at', limit: PAGE, offset });
      for (const rule of page.items) if (dues.has(rule.id)) matched.set(rule.id, rule);
      if (page.items.length < PAGE) break;
    }
  } else {
    for (let i = 0; i < candidates.length; i += CHUNK) {
      const ids = candidates.slice(i, i + CHUNK);
      const page = await rules.list({ ...filters, ids, limit: ids.length, offset: 0 });
      for (const rule of page.items) matched.set(rule.id, rule);
    }
  }
  return [...matched.values()];
}
