/** "Next occurrences" of the schedule being edited, as the server computes them. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { dstNote } from '../ui/dst';
import { ErrorText } from '../ui/ErrorText';
import { localTime } from '../ui/time';

const HORIZON_MS = 400 * 86_400_000;
const COUNT = 10;
const SETTLE_MS = 300;

type Item = string | { at: string; at_local?: string; dst?: string | null };

export function SchedulePreview({ schedule, zone }: { schedule: Record<string, unknown>; zone: string }) {
  const key = JSON.stringify(schedule);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);
  const preview = useQuery({
    queryKey: ['preview', settled],
    queryFn: async ({ signal }) => {
      const from = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      const body = {
        schedule: JSON.parse(settled) as never,
        from: from.toISOString(),
        to: new Date(from.getTime() + HORIZON_MS).toISOString(),
        limit: COUNT,
      };
      return unwrap(await api.POST('/schedules/preview', { body, signal }));
    },
    retry: false,
    placeholderData: (previous) => previous,
  });
  const items = (preview.data?.items ?? []) as Item[];
  return (
    <section className="preview">
      <h2 id="preview-title">Next occurrences</h2>
      <ErrorText error={preview.error} />
      <ol aria-labelledby="preview-title">
        {items.map((item) => {
          const at = typeof item === 'string' ? item : item.at;
          const note = typeof item === 'string' ? null : dstNote(item);
          return (
            <li key={at}>
              {localTime(at, zone)}
              {note ? ` — ${note}` : ''}
            </li>
          );
        })}
      </ol>
      {preview.data && items.length === 0 ? <p>Nothing in the next 400 days.</p> : null}
    </section>
  );
}
