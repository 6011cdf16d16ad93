/**
 * One rule: what it is, its upcoming occurrences and firings, and the actions on it
 * (edit, disable with a reason, enable, fire now, delete), each asking first where it cannot be
 * undone.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap, type RuleDetail } from '../api/client';
import { useSession } from '../auth/session';
import { dstNote } from '../ui/dst';
import { ErrorText } from '../ui/ErrorText';
import { Field } from '../ui/Field';
import { StateBadge } from '../ui/StateBadge';
import { localTime } from '../ui/time';
import { ruleZone, taskCategory } from './useRules';
import { useRuleAction } from './useRuleAction';

type Confirming = null | 'fire' | 'fire-disabled' | 'delete';

function Actions({ rule }: { rule: RuleDetail }) {
  const action = useRuleAction(rule.id);
  const [, navigate] = useLocation();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [fired, setFired] = useState(false);
  const fire = (force: boolean) =>
    action.mutate(
      { kind: 'fire', force },
      {
        onSuccess: () => setFired(true),
        onSettled: () => setConfirming(null),
      },
    );
  return (
    <div className="actions-block">
      <div className="actions">
        <Link href={`/rules/${rule.id}/edit`} className="button">
          Edit rule
        </Link>
        {rule.enabled ? (
          <>
            <Field label="Reason">
              {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <button
              type="button"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: 'disable', reason })}
            >
              Disable rule
            </button>
          </>
        ) : (
          <button type="button" disabled={action.isPending} onClick={() => action.mutate({ kind: 'enable' })}>
            Enable rule
          </button>
        )}
        <button type="button" disabled={action.isPending} onClick={() => setConfirming('fire')}>
          Fire now
        </button>
        <button type="button" disabled={action.isPending} onClick={() => setConfirming('delete')}>
          Delete rule
        </button>
      </div>
      {confirming === 'fire' ? (
        <div role="dialog" aria-label="Fire now?" className="dialog">
          <p>Send “{rule.name}” to RMF now, once? Its schedule does not change.</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => (rule.enabled ? fire(false) : setConfirming('fire-disabled'))}
            >
              Fire
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {confirming === 'fire-disabled' ? (
        <div role="dialog" aria-label="Fire a disabled rule?" className="dialog">
          <p>
            “{rule.name}” is disabled{rule.disabled_reason ? ` (${rule.disabled_reason})` : ''}. Fire it
            anyway?
          </p>
          <div className="actions">
            <button type="button" onClick={() => fire(true)}>
              Fire anyway
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {confirming === 'delete' ? (
        <div role="dialog" aria-label="Delete this rule?" className="dialog">
          <p>Delete “{rule.name}” and all its upcoming occurrences? Its firings stay in the history.</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => action.mutate({ kind: 'delete' }, { onSuccess: () => navigate('/rules') })}
            >
              Delete
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {fired ? <p role="status">Fired: see its firing below.</p> : null}
      <ErrorText error={action.error} />
    </div>
  );
}

function RuleFirings({ ruleId, zone }: { ruleId: string; zone: string }) {
  const firings = useQuery({
    queryKey: ['firings', 'rule', ruleId],
    queryFn: async () =>
      unwrap(
        await api.GET('/rules/{id}/firings', {
          params: { path: { id: ruleId }, query: { limit: '20', order: 'desc' } },
        }),
      ),
  });
  return (
    <section aria-label="Firings of this rule">
      <h2>Firings</h2>
      <ErrorText error={firings.error} />
      {firings.data?.items.length === 0 ? <p>It has not fired yet.</p> : null}
      <ul>
        {(firings.data?.items ?? []).map((f) => (
          <li key={f.id}>
            {localTime(f.due_at, zone)} <StateBadge state={f.status} />{' '}
            {f.rmf_task_id ? `RMF task ${f.rmf_task_id}` : ''}
            {f.error ? ` — ${f.error}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

const ACTIONS: Record<string, string> = {
  created: 'Created',
  updated: 'Changed',
  replaced: 'Replaced',
  enabled: 'Enabled',
  disabled: 'Disabled',
  deleted: 'Deleted',
  triggered: 'Fired now',
  occurrence_disabled: 'Occurrence disabled',
  occurrence_enabled: 'Occurrence enabled',
  occurrence_moved: 'Occurrence moved',
  occurrence_deleted: 'Occurrence deleted',
  overrides_carried: 'Occurrence changes carried to the new schedule',
  overrides_removed: 'Occurrence changes removed by an edit',
};

const shown = (value: unknown): string => (value === undefined ? '—' : JSON.stringify(value));

/** Who changed what in this rule, and why: GET /rules/{id}/history, newest first. */
function RuleHistory({ ruleId, zone }: { ruleId: string; zone: string }) {
  const history = useQuery({
    queryKey: ['history', ruleId],
    queryFn: async () =>
      unwrap(
        await api.GET('/rules/{id}/history', {
          params: { path: { id: ruleId }, query: { limit: '50' } as never },
        }),
      ),
  });
  const items = history.data?.items ?? [];
  return (
    <section aria-label="History of this rule">
      <h2>History</h2>
      <ErrorText error={history.error} />
      <ol className="history">
        {items.map((entry, i) => {
          const forced = entry.action === 'triggered' && entry.details.forced === true;
          return (
            <li key={`${entry.at}-${i}`}>
              {localTime(entry.at, zone)} · {ACTIONS[entry.action] ?? entry.action}
              {forced ? ' (forced while disabled)' : ''}
              {entry.actor ? ` · by ${entry.actor}` : ''}
              {entry.reason ? ` — “${entry.reason}”` : ''}
              {Object.keys(entry.changes).length > 0 ? (
                <ul>
                  {Object.entries(entry.changes).map(([field, change]) => (
                    <li key={field}>
                      {field}: {shown(change.before)} → {shown(change.after)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
      {history.data?.truncated ? <p>Older entries: {history.data.total - items.length} more.</p> : null}
    </section>
  );
}

export function RulePage({ id, zone }: { id: string; zone: string }) {
  const { canWrite } = useSession();
  const rule = useQuery({
    queryKey: ['rule', id, 'detail'],
    queryFn: async () =>
      unwrap(await api.GET('/rules/{id}', { params: { path: { id }, query: { upcoming: '10' } } })),
  });
  const r = rule.data;
  return (
    <section aria-label="Rule">
      <ErrorText error={rule.error} />
      {r ? (
        <>
          <h1>{r.name}</h1>
          <dl>
            <dt>State</dt>
            <dd>
              {r.state === 'finished'
                ? 'Finished: nothing more to fire'
                : r.enabled
                  ? 'Active'
                  : `Disabled${r.disabled_reason ? `: ${r.disabled_reason}` : ''}`}
            </dd>
            <dt>Task</dt>
            <dd>{taskCategory(r)}</dd>
            <dt>Labels</dt>
            <dd>{r.labels.join(', ') || 'none'}</dd>
            <dt>Zone</dt>
            <dd>{ruleZone(r, zone)}</dd>
            {r.description ? (
              <>
                <dt>Description</dt>
                <dd>{r.description}</dd>
              </>
            ) : null}
          </dl>
          {canWrite ? <Actions rule={r} /> : null}
          <section aria-label="Upcoming occurrences">
            <h2>Upcoming occurrences</h2>
            {r.upcoming.length === 0 ? <p>Nothing ahead.</p> : null}
            <ul>
              {r.upcoming.map((o) => {
                const note = dstNote(o as { dst?: string | null });
                return (
                  <li key={o.id}>
                    {localTime(o.at, zone)} <StateBadge state={o.state} />
                    {note ? ` — ${note}` : ''}
                  </li>
                );
              })}
            </ul>
          </section>
          <RuleFirings ruleId={r.id} zone={zone} />
          <RuleHistory ruleId={r.id} zone={zone} />
        </>
      ) : null}
    </section>
  );
}
