/** Every firing, newest first, filtered by status, rule, time range and RMF task id; paged. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { useRules } from '../rules/useRules';
import { ErrorText } from '../ui/ErrorText';
import { Field } from '../ui/Field';
import { StateBadge } from '../ui/StateBadge';
import { stateLook } from '../ui/states';
import { fromLocalInput, localTime } from '../ui/time';

const PAGE = 50;
const STATUSES = ['dispatched', 'rejected', 'timed_out', 'failed', 'missed', 'skipped', 'claimed'];

export function FiringsPage({ zone }: { zone: string }) {
  const rules = useRules();
  const names = new Map((rules.data ?? []).map((r) => [r.id, r.name]));
  const [status, setStatus] = useState('');
  const [ruleId, setRuleId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [taskId, setTaskId] = useState('');
  const [offset, setOffset] = useState(0);
  const query: Record<string, string> = { limit: String(PAGE), offset: String(offset), order: 'desc' };
  if (status) query.status = status;
  if (ruleId) query.rule_id = ruleId;
  const fromIso = from ? fromLocalInput(from, zone) : null;
  const toIso = to ? fromLocalInput(to, zone) : null;
  if (fromIso) query.from = fromIso;
  if (toIso) query.to = toIso;
  if (taskId.trim()) query.rmf_task_id = taskId.trim();
  const firings = useQuery({
    queryKey: ['firings', query],
    queryFn: async () => unwrap(await api.GET('/firings', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setOffset(0);
    };
  const page = firings.data;
  return (
    <section aria-label="Firings">
      <h1>Firings</h1>
      <div className="filters">
        <Field label="Status">
          {(id) => (
            <select id={id} value={status} onChange={(e) => filter(setStatus)(e.target.value)}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {stateLook(s).label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Rule">
          {(id) => (
            <select id={id} value={ruleId} onChange={(e) => filter(setRuleId)(e.target.value)}>
              <option value="">All rules</option>
              {(rules.data ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From">
          {(id) => (
            <input
              id={id}
              type="datetime-local"
              value={from}
              onChange={(e) => filter(setFrom)(e.target.value)}
            />
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <input id={id} type="datetime-local" value={to} onChange={(e) => filter(setTo)(e.target.value)} />
          )}
        </Field>
        <Field label="RMF task id">
          {(id) => <input id={id} value={taskId} onChange={(e) => filter(setTaskId)(e.target.value)} />}
        </Field>
      </div>
      <ErrorText error={firings.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Due ({zone})</th>
            <th scope="col">Rule</th>
            <th scope="col">Status</th>
            <th scope="col">RMF task id</th>
            <th scope="col">Trigger</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((f) => (
            <tr key={f.id}>
              <td>{localTime(f.due_at, zone)}</td>
              <td>
                <Link href={`/rules/${f.rule_id}`}>{names.get(f.rule_id) ?? f.rule_id}</Link>
              </td>
              <td>
                <StateBadge state={f.status} />
              </td>
              <td>{f.rmf_task_id ?? ''}</td>
              <td>{f.trigger === 'manual' ? 'Fired now' : 'Schedule'}</td>
              <td>{f.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page ? (
        <nav aria-label="Pages" className="actions">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous page
          </button>
          <span>
            {page.total === 0 ? 'No firings' : `${offset + 1}–${offset + page.items.length} of ${page.total}`}
          </span>
          <button
            type="button"
            disabled={offset + PAGE >= page.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </section>
  );
}
