/**
 * A banner no one can miss when the service runs on the simulated dispatcher (nothing reaches
 * RMF), when its store is down, or when the service cannot be reached.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Health } from '../api/client';

const EVERY_MS = 10_000;

async function fetchHealth(): Promise<Health> {
  const result = await api.GET('/health');
  // 503 answers with the same body when the store is down.
  const body = (result.data ?? result.error) as Health | undefined;
  if (!body || typeof body !== 'object' || !('store' in body))
    throw new Error(`the service answered ${result.response.status}`);
  return body;
}

export function HealthBanner({ streamProblem }: { streamProblem: string | null }) {
  const health = useQuery({ queryKey: ['health'], queryFn: fetchHealth, refetchInterval: EVERY_MS });
  const problems: string[] = [];
  if (health.error) problems.push(`The service cannot be reached: ${(health.error as Error).message}.`);
  if (health.data?.rmf.simulated)
    problems.push(
      'Simulated RMF: task requests are NOT sent to RMF; a stand-in inside the service answers them.',
    );
  if (health.data && !health.data.store.ok)
    problems.push(
      `The store is down: ${health.data.store.error ?? 'the database does not answer'}. Nothing can fire.`,
    );
  if (streamProblem !== null) problems.push(streamProblem);
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="banner">
      {problems.map((p) => (
        <p key={p}>
          <span aria-hidden="true">⚠ </span>
          {p}
        </p>
      ))}
    </div>
  );
}
