/**
 * The occurrences of a calendar window from GET /occurrences, every page of it: a window the API
 * cut (`truncated`, with `next_cursor`) is fetched to its end, up to a bound past which the page
 * says the window is cut rather than freeze the browser.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Occurrence } from '../api/client';

const LIMIT = 10_000;
const MAX_PAGES = 10;

export interface Window {
  from: string;
  to: string;
  label: string | null;
  ruleId: string | null;
}

export interface Occurrences {
  items: Occurrence[];
  /** The API cut the window and this page did not fetch the rest. */
  cut: boolean;
}

interface MaybeCut {
  truncated?: boolean;
  next_cursor?: string | null;
}

export async function fetchOccurrences(w: Window): Promise<Occurrences> {
  const items: Occurrence[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string | number> = { from: w.from, to: w.to, limit: LIMIT };
    if (w.label !== null) query.label = w.label;
    if (w.ruleId !== null) query.rule_id = w.ruleId;
    if (cursor !== null) query.cursor = cursor;
    const data = unwrap(await api.GET('/occurrences', { params: { query: query as { from: string } } }));
    items.push(...data.items);
    const more = data as MaybeCut;
    if (more.truncated === true && typeof more.next_cursor === 'string') {
      cursor = more.next_cursor;
      continue;
    }
    // An API that does not say whether it cut the window: a full page may be cut.
    return { items, cut: more.truncated ?? data.items.length >= LIMIT };
  }
  return { items, cut: true };
}

export function useOccurrences(w: Window | null) {
  return useQuery({
    queryKey: ['occurrences', w],
    queryFn: () => fetchOccurrences(w as Window),
    enabled: w !== null,
    placeholderData: (previous) => previous,
  });
}
