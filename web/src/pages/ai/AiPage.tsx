// AI: provider health, the route editor, usage and cost charts, quotas, and a playground to try a route;
// one tab each, the tab kept in the address.
import { useEffect } from 'react';
import { Tabs } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { navigate } from '../../router.ts';
import { PlaygroundTab } from './PlaygroundTab.tsx';
import { ProvidersTab } from './ProvidersTab.tsx';
import { QuotasTab } from './QuotasTab.tsx';
import { RoutesTab } from './RoutesTab.tsx';
import { UsageTab } from './UsageTab.tsx';

const TABS = [
  { value: 'providers', label: 'Providers', Panel: ProvidersTab },
  { value: 'routes', label: 'Routes', Panel: RoutesTab },
  { value: 'usage', label: 'Usage & cost', Panel: UsageTab },
  { value: 'quotas', label: 'Quotas', Panel: QuotasTab },
  { value: 'playground', label: 'Playground', Panel: PlaygroundTab },
] as const;

export function AiPage({ path }: { path: string }) {
  const requested = path.split('/')[2];
  const current = TABS.find((tab) => tab.value === requested) ?? TABS[0];

  useEffect(() => {
    if (requested !== current.value) navigate(`/ai/${current.value}`, { replace: true });
  }, [requested, current.value]);

  return (
    <>
      <PageHeader
        title="AI"
        description="Requests go through a fallback chain of providers per task type (GLM → OpenAI → Claude → Mistral by default), within this workspace's budgets; every attempt lands in the usage ledger."
      />
      <Tabs value={current.value} onChange={(value) => value && navigate(`/ai/${value}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value}>
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
