/**
 * Live updates: reads GET /events with fetch streaming (the browser's EventSource cannot send a
 * token) and refetches what an event changed. Reconnects with Last-Event-ID after a drop, then
 * refetches everything (firing events are not replayed). Returns what to tell the operator while
 * the stream is down, or null.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { useEffect, useState } from 'react';
import { currentToken } from '../api/client';

const BATCH_MS = 250;
const DEFAULT_RETRY_MS = 2_000;

type Key = readonly unknown[];

function keysOf(event: EventSourceMessage): Key[] {
  const data = JSON.parse(event.data) as { id?: string; rule_id?: string };
  switch (event.event) {
    case 'rule.changed':
    case 'rule.deleted':
      return [['rules'], ['rule', data.id], ['occurrences'], ['occurrence'], ['history', data.id]];
    case 'occurrences.changed':
      return [['occurrences'], ['occurrence'], ['rule', data.rule_id]];
    case 'firing.recorded':
    case 'firing.updated':
      return [
        ['occurrences'],
        ['occurrence'],
        ['firings'],
        ['firing', data.id],
        ['rule', data.rule_id],
        ['rules'],
      ];
    default:
      return [];
  }
}

/** Invalidations gathered for a moment, so that a burst of events costs one refetch per query. */
function batcher(client: QueryClient) {
  const pending = new Map<string, Key>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return (keys: Key[]) => {
    for (const key of keys) pending.set(JSON.stringify(key), key);
    timer ??= setTimeout(() => {
      timer = null;
      const batch = [...pending.values()];
      pending.clear();
      for (const queryKey of batch) void client.invalidateQueries({ queryKey });
    }, BATCH_MS);
  };
}

export function useLiveEvents(): string | null {
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    const invalidate = batcher(client);
    let lastId: string | null = null;
    let retryMs = DEFAULT_RETRY_MS;
    let dropped = false;

    const parser = createParser({
      onEvent(event) {
        if (event.id !== undefined) lastId = event.id;
        try {
          invalidate(keysOf(event));
        } catch {
          // A payload this console cannot read: refetch everything rather than show stale data.
          void client.invalidateQueries();
        }
      },
      onRetry(ms) {
        retryMs = ms;
      },
    });

    async function connect(): Promise<void> {
      const token = await currentToken();
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const response = await fetch(new URL('/events', window.location.origin), {
        headers,
        signal: stop.signal,
      });
      if (!response.ok || response.body === null) throw new Error(`the service answered ${response.status}`);
      if (dropped) void client.invalidateQueries();
      dropped = false;
      setProblem(null);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        parser.feed(value);
      }
    }

    void (async () => {
      while (!stop.signal.aborted) {
        try {
          await connect();
        } catch {
          // dropped or refused: said below, then tried again
        }
        if (stop.signal.aborted) return;
        dropped = true;
        parser.reset();
        setProblem('Live updates are disconnected: reconnecting… (what you see may be out of date)');
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    })();
    return () => stop.abort();
  }, [client]);

  return problem;
}
