// Server-state cache shared by every page; a 401 anywhere drops the session so the sign-in page shows.
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from './api.ts';

export const SESSION_KEY = ['session'] as const;

// Retrying a 4xx asks the same question again and gets the same answer; only transient failures repeat.
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        const isSessionQuery = query.queryKey[0] === SESSION_KEY[0];
        if (!isSessionQuery && error instanceof ApiRequestError && error.status === 401) {
          client.setQueryData(SESSION_KEY, null);
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
  return client;
}
