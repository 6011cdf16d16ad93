/** One firing: RMF's task id, its errors, and the request that was sent. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { StateBadge } from '../ui/StateBadge';
import { localTime } from '../ui/time';

export function FiringDetails({ id, zone }: { id: string; zone: string }) {
  const firing = useQuery({
    queryKey: ['firing', id],
    queryFn: async () => unwrap(await api.GET('/firings/{id}', { params: { path: { id } } })),
  });
  const f = firing.data;
  if (!f) return null;
  return (
    <section aria-label="Firing" className="firing">
      <h3>Firing</h3>
      <dl>
        <dt>Status</dt>
        <dd>
          <StateBadge state={f.status} />
        </dd>
        <dt>RMF task id</dt>
        <dd>{f.rmf_task_id ?? 'none'}</dd>
        <dt>Sent</dt>
        <dd>{f.published_at ? localTime(f.published_at, zone) : 'not sent'}</dd>
        {f.error ? (
          <>
            <dt>Errors</dt>
            <dd>{f.error}</dd>
          </>
        ) : null}
        {f.dispatch ? (
          <>
            <dt>Fleet</dt>
            <dd>
              {f.dispatch.fleet ?? 'none'} {f.dispatch.robot ? `/ ${f.dispatch.robot}` : ''} (
              {f.dispatch.status})
            </dd>
          </>
        ) : null}
      </dl>
      <details>
        <summary>Request sent</summary>
        <pre>{JSON.stringify(f.request, null, 2)}</pre>
      </details>
    </section>
  );
}
