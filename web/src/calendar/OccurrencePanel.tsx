/**
 * One occurrence: its rule, local and UTC time, DST note, state and the operator's reason; the
 * actions on it; and, once fired, its firing (RMF's task id, errors, the request sent).
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Occurrence } from '../api/client';
import { useSession } from '../auth/session';
import { ruleZone, taskCategory } from '../rules/useRules';
import { dstNote } from '../ui/dst';
import { ErrorText } from '../ui/ErrorText';
import { StateBadge } from '../ui/StateBadge';
import { isChangeable } from '../ui/states';
import { fromLocalInput, localTime, toLocalInput, utcTime } from '../ui/time';
import { FiringDetails } from '../firings/FiringDetails';
import { Field } from '../ui/Field';
import { useOccurrenceChange } from './useOccurrenceChange';

type Shown = Occurrence & { reason?: string | null; dst?: string | null; changed_by?: string | null };

function Actions({ occurrence, zone }: { occurrence: Shown; zone: string }) {
  const change = useOccurrenceChange(occurrence.id);
  const [reason, setReason] = useState('');
  const [moveTo, setMoveTo] = useState(toLocalInput(occurrence.at, zone));
  const at = fromLocalInput(moveTo, zone);
  return (
    <div className="actions-block">
      <Field label="Reason">
        {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="actions">
        {occurrence.state === 'disabled' ? (
          <button type="button" disabled={change.isPending} onClick={() => change.mutate({ kind: 'enable' })}>
            Enable this occurrence
          </button>
        ) : (
          <button
            type="button"
            disabled={change.isPending}
            onClick={() => change.mutate({ kind: 'disable', reason })}
          >
            Disable this occurrence
          </button>
        )}
        <button
          type="button"
          disabled={change.isPending}
          onClick={() => change.mutate({ kind: 'delete', reason })}
        >
          Delete this occurrence
        </button>
      </div>
      <div className="actions">
        <Field label={`New time (${zone})`}>
          {(id) => (
            <input id={id} type="datetime-local" value={moveTo} onChange={(e) => setMoveTo(e.target.value)} />
          )}
        </Field>
        <button
          type="button"
          disabled={change.isPending || at === null}
          onClick={() => at !== null && change.mutate({ kind: 'move', at })}
        >
          Move
        </button>
      </div>
      <ErrorText error={change.error} />
      {change.isSuccess ? <p role="status">Saved.</p> : null}
    </div>
  );
}

export function OccurrencePanel({ id, zone, onClose }: { id: string; zone: string; onClose: () => void }) {
  const { canWrite } = useSession();
  const occurrence = useQuery({
    queryKey: ['occurrence', id],
    queryFn: async () => unwrap(await api.GET('/occurrences/{id}', { params: { path: { id } } })) as Shown,
  });
  const ruleId = occurrence.data?.rule_id;
  const rule = useQuery({
    queryKey: ['rule', ruleId],
    queryFn: async () => unwrap(await api.GET('/rules/{id}', { params: { path: { id: ruleId as string } } })),
    enabled: ruleId !== undefined,
  });
  const o = occurrence.data;
  const note = o ? dstNote(o) : null;
  return (
    <aside role="dialog" aria-label="Occurrence" className="panel">
      <header>
        <h2>{o ? o.rule_name : 'Occurrence'}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <ErrorText error={occurrence.error} />
      {o ? (
        <>
          <dl>
            <dt>Rule</dt>
            <dd>
              <a href={`/console/rules/${o.rule_id}`}>{o.rule_name}</a>
              {rule.data ? ` · ${taskCategory(rule.data)} · zone ${ruleZone(rule.data, zone)}` : null}
            </dd>
            <dt>Local time</dt>
            <dd>{localTime(o.at, zone)}</dd>
            <dt>UTC</dt>
            <dd>{utcTime(o.at)}</dd>
            {o.original_at !== o.at ? (
              <>
                <dt>Originally</dt>
                <dd>{localTime(o.original_at, zone)}</dd>
              </>
            ) : null}
            {note ? (
              <>
                <dt>DST</dt>
                <dd>{note}</dd>
              </>
            ) : null}
            <dt>State</dt>
            <dd>
              <StateBadge state={o.state} />
            </dd>
            {o.reason ? (
              <>
                <dt>Reason</dt>
                <dd>
                  {o.reason}
                  {o.changed_by ? ` (${o.changed_by})` : null}
                </dd>
              </>
            ) : null}
          </dl>
          {canWrite && isChangeable(o.state) ? (
            <Actions key={`${o.state}${o.at}`} occurrence={o} zone={zone} />
          ) : null}
          {o.firing_id !== null ? <FiringDetails id={o.firing_id} zone={zone} /> : null}
        </>
      ) : null}
    </aside>
  );
}
