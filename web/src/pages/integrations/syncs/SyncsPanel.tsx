// The Syncs and Records tabs of an integration's page, shown when its connector declares syncs: each sync
// with its schedule and last run, the integration's run history, and the records browser.
import { useEffect, useRef, useState } from 'react';
import { Badge, Paper, Stack, Tabs, Text } from '@mantine/core';
import type { Integration } from '../../../api.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { canManageWorkspace, useSession } from '../../../session.tsx';
import { SyncRunsCard } from '../../jobs/SyncRunsCard.tsx';
import { useIntegrationSyncs, useSyncDataRefresh } from './queries.ts';
import { RecordsBrowser } from './RecordsBrowser.tsx';
import { SyncCard } from './SyncCard.tsx';

export function SyncsPanel({ integration }: { integration: Integration }) {
  const session = useSession();
  const canManage = canManageWorkspace(session);
  const syncs = useIntegrationSyncs(integration.id);
  const refresh = useSyncDataRefresh(integration.id);
  const [tab, setTab] = useState<string | null>('syncs');

  // A run that ended (here, in another tab or on schedule) changed the records: reload what shows them.
  const lastRuns = (syncs.data?.items ?? []).map((sync) => `${sync.lastRun?.id ?? ''}:${sync.lastRun?.status ?? ''}`).join('|');
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!syncs.data) return;
    if (seen.current !== null && seen.current !== lastRuns) refresh();
    seen.current = lastRuns;
  }, [lastRuns, syncs.data, refresh]);

  // Most connectors have no syncs: render nothing until the answer says otherwise, rather than a spinner.
  if (syncs.isPending) return null;
  if (syncs.isError) return <ErrorAlert error={syncs.error} title="The syncs could not be loaded" />;
  const items = syncs.data.items;
  if (items.length === 0) return null;
  const dead = items.filter((sync) => sync.status === 'dead').length;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label="Syncs and records">
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab
            value="syncs"
            rightSection={
              dead > 0 ? (
                <Badge size="sm" color="red" data-testid="syncs-dead-badge">
                  {dead} dead
                </Badge>
              ) : undefined
            }
          >
            Syncs
          </Tabs.Tab>
          <Tabs.Tab value="records">Records</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="syncs">
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              Scheduled pulls of {integration.name}'s data into records. Failed runs retry after 1, 2, 4, 8 and 16 minutes, resuming from
              their checkpoint; a run out of retries is dead-lettered until you retry it.
            </Text>
            {items.map((sync) => (
              <SyncCard key={sync.name} integration={integration} sync={sync} canManage={canManage} />
            ))}
            <SyncRunsCard workspaceKey={session.workspace.id} canManage={canManage} integrationId={integration.id} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="records">
          <RecordsBrowser integrationId={integration.id} syncs={items} />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
