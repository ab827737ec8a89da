// Server state of the integrations pages: the catalogue, the workspace's integrations and their operations.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  getConnector,
  getIntegration,
  listConnectors,
  listIntegrations,
  listOAuthApps,
  listOperations,
  type ConnectorCategory,
  type Integration,
} from '../../api.ts';
import { useWorkspaceKey } from '../../session.tsx';

// The catalogue is code on the hub: it changes when the hub is upgraded, not while a page is open.
const CATALOG_STALE_MS = 5 * 60_000;
// Statuses change when a check or a call fails elsewhere (another tab, a worker); keep the lists honest.
const INTEGRATIONS_REFRESH_MS = 30_000;
const OPERATIONS_REFRESH_MS = 10_000;
const OPERATIONS_PAGE_SIZE = 25;

export function useCatalog() {
  return useQuery({ queryKey: ['connectors', 'all'], queryFn: () => listConnectors(), staleTime: CATALOG_STALE_MS });
}

export function useConnectorSearch(filter: { category: ConnectorCategory | null; q: string }) {
  return useQuery({
    queryKey: ['connectors', 'search', filter],
    queryFn: () => listConnectors(filter),
    staleTime: CATALOG_STALE_MS,
    // Keep the cards while the next filter loads instead of flashing a spinner on every keystroke.
    placeholderData: (previous) => previous,
  });
}

export function useConnector(connectorId: string | null | undefined) {
  return useQuery({
    queryKey: ['connector', connectorId],
    queryFn: () => getConnector(connectorId!),
    enabled: Boolean(connectorId),
    staleTime: CATALOG_STALE_MS,
  });
}

export function useOAuthApps(enabled: boolean) {
  return useQuery({ queryKey: ['oauth-apps', useWorkspaceKey()], queryFn: listOAuthApps, enabled });
}

export function useIntegrationsKey() {
  return ['integrations', useWorkspaceKey()] as const;
}

export function useIntegrations() {
  return useQuery({ queryKey: useIntegrationsKey(), queryFn: listIntegrations, refetchInterval: INTEGRATIONS_REFRESH_MS });
}

export function useIntegration(integrationId: string | null | undefined) {
  const key = useIntegrationsKey();
  return useQuery({
    queryKey: [...key, integrationId],
    queryFn: () => getIntegration(integrationId!),
    enabled: Boolean(integrationId),
    refetchInterval: INTEGRATIONS_REFRESH_MS,
  });
}

export function useOperations(integrationId: string) {
  const key = useIntegrationsKey();
  return useInfiniteQuery({
    queryKey: [...key, integrationId, 'operations'],
    queryFn: ({ pageParam }) => listOperations(integrationId, { cursor: pageParam, limit: OPERATIONS_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: OPERATIONS_REFRESH_MS,
  });
}

/** After a change: puts the hub's answer in the cache at once, then refetches every integration query. */
export function useIntegrationsRefresh() {
  const queryClient = useQueryClient();
  const key = useIntegrationsKey();
  return (changed?: Integration) => {
    if (changed) queryClient.setQueryData([...key, changed.id], changed);
    return queryClient.invalidateQueries({ queryKey: key });
  };
}

/**
 * Operations are written just after the provider call answers, so a refetch at once can miss the newest;
 * ask again a moment later.
 */
export function useOperationsRefresh(integrationId: string) {
  const queryClient = useQueryClient();
  const key = useIntegrationsKey();
  return () => {
    const queryKey = [...key, integrationId, 'operations'];
    void queryClient.invalidateQueries({ queryKey });
    window.setTimeout(() => void queryClient.invalidateQueries({ queryKey }), 800);
  };
}
