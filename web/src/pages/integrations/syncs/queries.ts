// Server state of an integration's Syncs and Records tabs: its syncs (polled fast while one runs), its
// records page by page, and one record's change history.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRecordHistory, listIntegrationSyncs, listRecords, type IntegrationSync, type RecordChange } from '../../../api.ts';
import { useWorkspaceKey } from '../../../session.tsx';
import { useIntegrationsKey } from '../queries.ts';

export const ACTIVE_SYNC_STATUSES: ReadonlySet<IntegrationSync['status']> = new Set(['queued', 'running', 'retrying']);
// Progress should feel live while a run moves; an idle page only needs to notice scheduled runs.
const LIVE_REFRESH_MS = 1_500;
const IDLE_REFRESH_MS = 15_000;
const RECORDS_PAGE_SIZE = 25;

export function useIntegrationSyncs(integrationId: string) {
  const key = useIntegrationsKey();
  return useQuery({
    queryKey: [...key, integrationId, 'syncs'],
    queryFn: () => listIntegrationSyncs(integrationId),
    refetchInterval: (query) => ((query.state.data?.items ?? []).some((sync) => ACTIVE_SYNC_STATUSES.has(sync.status)) ? LIVE_REFRESH_MS : IDLE_REFRESH_MS),
  });
}

export interface RecordsFilter {
  model: string | null;
  search: string;
  change: RecordChange['kind'] | null;
}

export function useRecords(integrationId: string, filter: RecordsFilter) {
  const key = useIntegrationsKey();
  return useInfiniteQuery({
    queryKey: [...key, integrationId, 'records', filter],
    queryFn: ({ pageParam }) =>
      listRecords(integrationId, { model: filter.model, search: filter.search, filter: filter.change, cursor: pageParam, limit: RECORDS_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Keep the rows while the next filter loads instead of flashing a spinner on every keystroke.
    placeholderData: (previous) => previous,
  });
}

export function useRecordHistory(integrationId: string, record: { model: string; externalId: string } | null) {
  const key = useIntegrationsKey();
  return useInfiniteQuery({
    queryKey: [...key, integrationId, 'record-history', record?.model, record?.externalId],
    queryFn: ({ pageParam }) => getRecordHistory(integrationId, record!.model, record!.externalId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: record !== null,
  });
}

/** After a run ends or a sync changes: its records, the record histories and the run lists are out of date. */
export function useSyncDataRefresh(integrationId: string) {
  const queryClient = useQueryClient();
  const key = useIntegrationsKey();
  const workspaceKey = useWorkspaceKey();
  return () => {
    void queryClient.invalidateQueries({ queryKey: [...key, integrationId] });
    void queryClient.invalidateQueries({ queryKey: ['sync-runs', workspaceKey] });
  };
}
