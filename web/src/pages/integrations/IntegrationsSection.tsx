// The Integrations section: the workspace's integrations and the catalogue as two tabs, one integration's
// page at /integrations/<id>, and the connect wizard at /integrations/catalog/<connectorId>.
import { Badge, Button, Tabs } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PlusIcon } from '../../icons.tsx';
import { navigate } from '../../router.ts';
import { canManageWorkspace, useSession } from '../../session.tsx';
import { CustomConnectorsPage } from './custom/CustomConnectorsPage.tsx';
import { IntegrationPage } from './IntegrationPage.tsx';
import { IntegrationsListPage } from './IntegrationsListPage.tsx';
import { MarketplacePage } from './MarketplacePage.tsx';
import { CATALOG_PATH, CUSTOM_CONNECTORS_PATH, INTEGRATIONS_PATH } from './paths.ts';
import { useIntegrations } from './queries.ts';

// A hand-typed address may hold a stray %; it then names nothing rather than breaking the page.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function IntegrationsSection({ path }: { path: string }) {
  const [, , first, second] = path.split('/').map(decodeSegment);
  if (first === 'custom') return <IntegrationsTabs tab="custom" connectorId={null} />;
  if (first && first !== 'catalog') return <IntegrationPage integrationId={first} />;
  return <IntegrationsTabs tab={first === 'catalog' ? 'catalog' : 'connected'} connectorId={first === 'catalog' ? (second ?? null) : null} />;
}

function IntegrationsTabs({ tab, connectorId }: { tab: 'connected' | 'catalog' | 'custom'; connectorId: string | null }) {
  const session = useSession();
  const integrations = useIntegrations();
  const count = integrations.data?.items.length;
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Providers this workspace calls. Credentials are checked with the provider, then kept encrypted."
        actions={
          tab === 'connected' && canManageWorkspace(session) ? (
            <Button leftSection={<PlusIcon size={16} />} onClick={() => navigate(CATALOG_PATH)}>
              Add integration
            </Button>
          ) : undefined
        }
      />
      <Tabs value={tab} onChange={(value) => navigate(value === 'catalog' ? CATALOG_PATH : value === 'custom' ? CUSTOM_CONNECTORS_PATH : INTEGRATIONS_PATH)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab
            value="connected"
            rightSection={
              count ? (
                <Badge size="sm" variant="light" circle={count < 10}>
                  {count}
                </Badge>
              ) : undefined
            }
          >
            Connected
          </Tabs.Tab>
          <Tabs.Tab value="catalog">Catalogue</Tabs.Tab>
          <Tabs.Tab value="custom">Custom connectors</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="connected">
          <IntegrationsListPage />
        </Tabs.Panel>
        <Tabs.Panel value="catalog">
          <MarketplacePage connectorId={connectorId} />
        </Tabs.Panel>
        <Tabs.Panel value="custom">
          <CustomConnectorsPage />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
