// The signed-in user's session: fetched once, shared through context, null when signed out.
import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, getSession, type Session } from './api.ts';
import { SESSION_KEY } from './query-client.ts';

async function fetchSessionOrNull(): Promise<Session | null> {
  try {
    return await getSession();
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null;
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSessionOrNull, staleTime: 60_000 });
}

export const SessionContext = createContext<Session | null>(null);

/** The session of a signed-in page; only rendered inside the shell, which has one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside a signed-in page');
  return session;
}

/** Prefix for the query keys of workspace data, so a switch never shows the previous workspace's rows. */
export function useWorkspaceKey(): string {
  return useSession().workspace.id;
}

export function canManageWorkspace(session: Session): boolean {
  return session.role === 'owner' || session.role === 'admin';
}
