/** The actions on a rule (enable, disable, fire now, delete); every view of it is fetched again after. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export type RuleAction =
  | { kind: 'disable'; reason: string }
  | { kind: 'enable' }
  | { kind: 'fire'; force: boolean }
  | { kind: 'delete' };

async function apply(id: string, action: RuleAction): Promise<void> {
  const path = { params: { path: { id } } };
  switch (action.kind) {
    case 'disable':
      unwrap(await api.POST('/rules/{id}/disable', { ...path, body: { reason: action.reason || null } }));
      return;
    case 'enable':
      unwrap(await api.POST('/rules/{id}/enable', { ...path, body: {} }));
      return;
    case 'fire':
      unwrap(
        await api.POST('/rules/{id}/trigger', {
          ...path,
          ...(action.force ? { body: { force: true } as never } : {}),
        }),
      );
      return;
    case 'delete':
      unwrap(await api.DELETE('/rules/{id}', path));
  }
}

export function useRuleAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: RuleAction) => apply(id, action),
    onSettled: async () => {
      await Promise.all(
        ['rules', 'rule', 'occurrences', 'firings', 'history'].map((k) =>
          client.invalidateQueries({ queryKey: [k] }),
        ),
      );
    },
  });
}
