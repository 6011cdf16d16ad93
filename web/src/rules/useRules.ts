/** Every rule (all pages of GET /rules), for names, categories and labels beside the calendar. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Rule } from '../api/client';

const PAGE = 500;

export async function fetchAllRules(): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = unwrap(
      await api.GET('/rules', {
        params: { query: { limit: String(PAGE), offset: String(offset), sort: 'name' } },
      }),
    );
    rules.push(...page.items);
    if (page.items.length < PAGE) return rules;
  }
}

export function useRules() {
  return useQuery({ queryKey: ['rules', 'all'], queryFn: fetchAllRules });
}

/** The RMF task category of a rule's task (patrol, delivery, clean, compose…). */
export function taskCategory(rule: Pick<Rule, 'task'> | undefined): string {
  const task = rule?.task as { request?: { category?: unknown } } | undefined;
  const category = task?.request?.category;
  return typeof category === 'string' ? category : 'task';
}

/** The zone a rule's schedule is read in (the service's when it names none). */
export function ruleZone(rule: Pick<Rule, 'schedule'>, serviceZone: string): string {
  const zone = (rule.schedule as { timezone?: unknown }).timezone;
  return typeof zone === 'string' ? zone : serviceZone;
}
