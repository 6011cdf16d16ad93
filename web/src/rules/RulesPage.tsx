/** The rules: searchable by name, with labels, state, next due (local) and last outcome. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { ErrorText } from '../ui/ErrorText';
import { Field } from '../ui/Field';
import { StateBadge } from '../ui/StateBadge';
import { localTime } from '../ui/time';

const PAGE = 50;

function LastOutcome({ ruleId }: { ruleId: string }) {
  const last = useQuery({
    queryKey: ['firings', 'last', ruleId],
    queryFn: async () =>
      unwrap(
        await api.GET('/rules/{id}/firings', {
          params: { path: { id: ruleId }, query: { limit: '1', order: 'desc' } },
        }),
      ),
  });
  const firing = last.data?.items[0];
  return firing ? <StateBadge state={firing.status} /> : <span>never fired</span>;
}

export function RulesPage({ zone }: { zone: string }) {
  const { canWrite } = useSession();
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const query: Record<string, string> = { limit: String(PAGE), offset: String(offset), sort: 'name' };
  if (search.trim()) query.name = search.trim();
  const rules = useQuery({
    queryKey: ['rules', query],
    queryFn: async () => unwrap(await api.GET('/rules', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const page = rules.data;
  return (
    <section aria-label="Rules">
      <h1>Rules</h1>
      <div className="filters">
        <Field label="Search rules">
          {(id) => (
            <input
              id={id}
              type="search"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setOffset(0);
              }}
            />
          )}
        </Field>
        {canWrite ? (
          <Link href="/rules/new" className="button">
            New rule
          </Link>
        ) : null}
      </div>
      <ErrorText error={rules.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Labels</th>
            <th scope="col">State</th>
            <th scope="col">Next due ({zone})</th>
            <th scope="col">Last outcome</th>
          </tr>
        </thead>
        <tbody>
          {(page?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/rules/${r.id}`}>{r.name}</Link>
              </td>
              <td>{r.labels.join(', ')}</td>
              <td>
                {r.enabled ? 'Enabled' : `Disabled${r.disabled_reason ? `: ${r.disabled_reason}` : ''}`}
              </td>
              <td>{r.next_due_at ? localTime(r.next_due_at, zone) : 'nothing ahead'}</td>
              <td>
                <LastOutcome ruleId={r.id} />
              </td>
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
            {page.total === 0 ? 'No rules' : `${offset + 1}–${offset + page.items.length} of ${page.total}`}
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
