// The signed-in frame: header, left navigation, and the page for the current path.
import { useEffect } from 'react';
import { AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { SwitchboardLogo } from '../icons.tsx';
import { AiPage } from '../pages/ai/AiPage.tsx';
import { AnalyticsPage } from '../pages/analytics/AnalyticsPage.tsx';
import { IntegrationsSection } from '../pages/integrations/IntegrationsSection.tsx';
import { JobsPage } from '../pages/JobsPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { ScrapersPage } from '../pages/scrapers/ScrapersPage.tsx';
import { SettingsPage } from '../pages/settings/SettingsPage.tsx';
import { WebhooksPage } from '../pages/webhooks/WebhooksPage.tsx';
import { linkProps, navigate, usePath } from '../router.ts';
import { HOME_PATH, sectionForPath } from '../sections.tsx';
import { AccountControls } from './AccountControls.tsx';
import { Navigation } from './Navigation.tsx';
import { WorkspaceControls } from './WorkspaceControls.tsx';

export function AppLayout() {
  const path = usePath();
  const [navigationOpen, { toggle: toggleNavigation, close: closeNavigation }] = useDisclosure(false);

  useEffect(() => {
    if (path === '/' || path === '/index.html') navigate(HOME_PATH, { replace: true });
  }, [path]);
  // On a phone the navigation covers the page; picking a section should reveal it.
  useEffect(closeNavigation, [path, closeNavigation]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navigationOpen } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navigationOpen} onClick={toggleNavigation} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Group component="a" gap={8} wrap="nowrap" c="blue.7" style={{ textDecoration: 'none' }} {...linkProps(HOME_PATH)}>
              <SwitchboardLogo size={26} />
              <Text fw={700} size="lg" c="dark.7" visibleFrom="xs">
                Switchboard
              </Text>
            </Group>
            <WorkspaceControls />
          </Group>
          <AccountControls />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Navigation path={path} />
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <CurrentPage path={path} />
      </AppShell.Main>
    </AppShell>
  );
}

function CurrentPage({ path }: { path: string }) {
  const section = sectionForPath(path);
  if (!section) return path === '/' ? null : <NotFoundPage />;
  if (section.key === 'integrations') return <IntegrationsSection path={path} />;
  if (section.key === 'webhooks') return <WebhooksPage path={path} />;
  if (section.key === 'ai') return <AiPage path={path} />;
  if (section.key === 'scrapers') return <ScrapersPage path={path} />;
  if (section.key === 'jobs') return <JobsPage />;
  if (section.key === 'analytics') return <AnalyticsPage />;
  if (section.key === 'settings') return <SettingsPage path={path} />;
  return <NotFoundPage />;
}
