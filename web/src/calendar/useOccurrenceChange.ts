/** Changes to one occurrence (PATCH / DELETE /occurrences/{id}); the calendar is fetched again after. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export type OccurrenceChange =
  | { kind: 'disable'; reason: string }
  | { kind: 'enable' }
  | { kind: 'move'; at: string }
  | { kind: 'delete'; reason: string };

async function apply(id: string, change: OccurrenceChange): Promise<void> {
  const path = { params: { path: { id } } };
  if (change.kind === 'delete') {
    const query = change.reason ? { reason: change.reason } : {};
    unwrap(await api.DELETE('/occurrences/{id}', { params: { path: { id }, query } }));
    return;
  }
  const body =
    change.kind === 'disable'
      ? { enabled: false, reason: change.reason || null }
      : change.kind === 'enable'
        ? { enabled: true }
        : { at: change.at };
  unwrap(await api.PATCH('/occurrences/{id}', { ...path, body }));
}

export function useOccurrenceChange(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: OccurrenceChange) => apply(id, change),
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['occurrences'] }),
        client.invalidateQueries({ queryKey: ['occurrence'] }),
        client.invalidateQueries({ queryKey: ['rule'] }),
      ]);
    },
  });
}
