/**
 * What saving this edit would do to the rule's changed occurrences (disabled, moved, deleted), before
 * it is saved: the edit sent with `?dry_run=true`, which saves nothing. Each change is carried to
 * the new schedule's occurrence at the same place on its local date, or removed for good.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import { localTime } from '../ui/time';

const SETTLE_MS = 400;

interface Carried {
  from: string;
  to: string;
}
interface Removed {
  occurrence_id: string;
  state: string;
  reason?: string | null;
}
interface Impact {
  overrides_carried: Carried[];
  overrides_removed: Removed[];
}

/** The instant of an occurrence id (`<rule id>@<instant>`). */
const instantOf = (occurrenceId: string): string => occurrenceId.slice(occurrenceId.lastIndexOf('@') + 1);

export function EditImpact({
  ruleId,
  version,
  body,
  zone,
}: {
  ruleId: string;
  version: number;
  body: Record<string, unknown>;
  zone: string;
}) {
  const key = JSON.stringify(body);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const impact = useQuery({
    queryKey: ['edit-impact', ruleId, version, settled],
    queryFn: async ({ signal }): Promise<Impact | null> => {
      const result = await api.PUT('/rules/{id}', {
        params: {
          path: { id: ruleId },
          query: { dry_run: 'true' } as never,
          header: { 'If-Match': `"${version}"` } as never,
        },
        body: JSON.parse(settled) as never,
        signal,
      });
      // A draft the API refuses says so on its fields when saved; there is nothing to tell yet.
      if (result.error !== undefined) return null;
      return result.data as unknown as Impact;
    },
    retry: false,
    placeholderData: (previous) => previous,
  });
  const data = impact.data;
  if (impact.error instanceof ApiError || !data) return null;
  const { overrides_carried: carried, overrides_removed: removed } = data;
  return (
    <section className="edit-impact" aria-label="What this edit does to changed occurrences">
      <h2>Changed occurrences</h2>
      {carried.length === 0 && removed.length === 0 ? (
        <p>No disabled, moved or deleted occurrence is affected.</p>
      ) : null}
      {carried.length > 0 ? (
        <>
          <p>Carried to the new schedule (same date, same place in the day):</p>
          <ul>
            {carried.map((c) => (
              <li key={c.from}>
                {localTime(instantOf(c.from), zone)} → {localTime(instantOf(c.to), zone)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {removed.length > 0 ? (
        <>
          <p>Removed for good (the new schedule has no occurrence there):</p>
          <ul>
            {removed.map((r) => (
              <li key={r.occurrence_id}>
                {localTime(instantOf(r.occurrence_id), zone)} — {r.state}
                {r.reason ? ` (“${r.reason}”)` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
