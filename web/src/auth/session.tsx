/** Who the operator is (GET /me) and whether they may change anything. */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';

export interface Session {
  user: string | null;
  canWrite: boolean;
  auth: boolean;
}

const SessionContext = createContext<Session>({ user: null, canWrite: false, auth: false });

export function SessionProvider({ children }: { children: ReactNode }) {
  const me = useQuery({ queryKey: ['me'], queryFn: async () => unwrap(await api.GET('/me')) });
  const session: Session = me.data
    ? { user: me.data.user, canWrite: me.data.can_write, auth: me.data.auth }
    : { user: null, canWrite: false, auth: false };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export const useSession = (): Session => useContext(SessionContext);
