/**
 * UI state kept in the page's query string (view, date, filters), so that a reload or a shared
 * link shows the same thing. Setting a key to null removes it.
 */
import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};
const snapshot = () => window.location.search;

export function useUrlState(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const search = useSyncExternalStore(subscribe, snapshot);
  const set = useCallback((changes: Record<string, string | null>) => {
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const next = params.toString();
    if (`?${next}` === window.location.search || (next === '' && window.location.search === '')) return;
    window.history.replaceState(null, '', `${window.location.pathname}${next ? `?${next}` : ''}`);
    for (const listener of listeners) listener();
  }, []);
  return [new URLSearchParams(search), set];
}
