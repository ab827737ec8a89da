// The marketplace (seed 001/003 gallery): every connector as a card, filtered by category and search text;
// `/integrations/catalog/<connectorId>` opens the connect wizard over it.
import { useEffect, useMemo, useState } from 'react';
import { Chip, EmptyState, Group, Loader, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { CONNECTOR_CATEGORIES, type ConnectorCategory } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PlugIcon, SearchIcon } from '../../icons.tsx';
import { navigate, useSearch } from '../../router.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { ConnectorCard } from './ConnectorCard.tsx';
import { ConnectWizard, type OAuthReturn } from './ConnectWizard.tsx';
import { categoryLabel } from './labels.ts';
import { CATALOG_PATH, connectPath, integrationPath } from './paths.ts';
import { useCatalog, useConnectorSearch, useIntegrations } from './queries.ts';

const ALL = 'all';

function readOAuthReturn(search: string): OAuthReturn | null {
  const params = new URLSearchParams(search);
  const integrationId = params.get('integration');
  const error = params.get('oauthError');
  return integrationId || error ? { integrationId, error } : null;
}

export function MarketplacePage({ connectorId }: { connectorId: string | null }) {
  const canConnect = canManageWorkspace(useSession());
  const [category, setCategory] = useState<ConnectorCategory | null>(null);
  const [searchInput, setSearchInput] = useState('');
  const [q] = useDebouncedValue(searchInput.trim(), 250);
  const catalog = useCatalog();
  const results = useConnectorSearch({ category, q });
  const integrations = useIntegrations();

  // The OAuth callback comes back to the wizard's address with the outcome in the query string: read it
  // once, then drop it so a reload does not replay it.
  const search = useSearch();
  const [oauthReturn, setOAuthReturn] = useState(() => readOAuthReturn(search));
  useEffect(() => {
    if (readOAuthReturn(search)) navigate(window.location.pathname, { replace: true });
  }, [search]);

  // Categories with at least one connector, with their counts: empty filters only lead to empty pages.
  const counts = useMemo(() => {
    const byCategory = new Map<ConnectorCategory, number>();
    for (const connector of catalog.data?.items ?? []) byCategory.set(connector.category, (byCategory.get(connector.category) ?? 0) + 1);
    return byCategory;
  }, [catalog.data]);
  const connectedCounts = useMemo(() => {
    const byConnector = new Map<string, number>();
    for (const integration of integrations.data?.items ?? []) byConnector.set(integration.connectorId, (byConnector.get(integration.connectorId) ?? 0) + 1);
    return byConnector;
  }, [integrations.data]);

  const items = results.data?.items ?? [];
  const filtered = category !== null || q !== '';

  return (
    <Stack gap="md">
      <TextInput
        aria-label="Search connectors"
        placeholder="Search connectors by name or purpose"
        leftSection={<SearchIcon size={16} />}
        rightSection={results.isFetching && !results.isPending ? <Loader size={14} /> : undefined}
        w={{ base: '100%', sm: 360 }}
        value={searchInput}
        onChange={(event) => setSearchInput(event.currentTarget.value)}
      />
      <Chip.Group multiple={false} value={category ?? ALL} onChange={(value) => setCategory(value === ALL ? null : (value as ConnectorCategory))}>
        <Group gap={6} role="radiogroup" aria-label="Category">
          <Chip value={ALL} size="sm" variant="outline">
            All {catalog.data ? `(${catalog.data.items.length})` : ''}
          </Chip>
          {CONNECTOR_CATEGORIES.filter((value) => counts.has(value)).map((value) => (
            <Chip key={value} value={value} size="sm" variant="outline">
              {categoryLabel(value)} ({counts.get(value)})
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <ErrorAlert error={results.error} title="The catalogue could not be loaded" />
      {results.isPending ? (
        <Group justify="center" p="xl">
          <Loader size="sm" aria-label="Loading connectors" />
        </Group>
      ) : items.length === 0 && !results.isError ? (
        <EmptyState
          py={48}
          icon={<PlugIcon size={28} />}
          title={filtered ? 'No connector matches' : 'The catalogue is empty'}
          description={
            filtered
              ? 'Try another word or category. For an API that is not listed, use the Generic REST API connector.'
              : 'Connectors are folders under src/connectors/catalog on the hub.'
          }
          data-testid="catalog-empty"
        />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="md" aria-label="Connectors" component="section">
          {items.map((connector) => (
            <ConnectorCard
              key={connector.id}
              connector={connector}
              connectedCount={connectedCounts.get(connector.id) ?? 0}
              onConnect={canConnect ? () => navigate(connectPath(connector.id)) : undefined}
            />
          ))}
        </SimpleGrid>
      )}
      <ConnectWizard
        connectorId={connectorId}
        oauthReturn={connectorId ? oauthReturn : null}
        returnPath={connectorId ? connectPath(connectorId) : CATALOG_PATH}
        onClose={() => {
          setOAuthReturn(null);
          navigate(CATALOG_PATH);
        }}
        onOpenIntegration={(integration) => navigate(integrationPath(integration.id))}
      />
    </Stack>
  );
}
