// AI: provider health, the route editor, usage and cost charts, quotas, and a playground to try a route;
// one tab each, the tab kept in the address.
import { PageHeader } from '../../components/PageHeader.tsx';
import { AddressTabs } from '../../components/AddressTabs.tsx';
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
  return (
    <>
      <PageHeader
        title="AI"
        description="Requests go through a fallback chain of providers per task type (GLM → OpenAI → Claude → Mistral by default), within this workspace's budgets; every attempt lands in the usage ledger."
      />
      <AddressTabs section="ai" path={path} tabs={TABS} />
    </>
  );
}
