// Webhooks: the delivery tally of the last 24 hours, the endpoints and the event log, one tab each.
import { useEffect } from 'react';
import { Tabs } from '@mantine/core';
import { PageHeader } from '../../components/PageHeader.tsx';
import { navigate } from '../../router.ts';
import { DeliveryStatsTile } from './DeliveryStatsTile.tsx';
import { EndpointsTab } from './EndpointsTab.tsx';
import { EventLogTab } from './EventLogTab.tsx';

const TABS = [
  { value: 'endpoints', label: 'Endpoints', Panel: EndpointsTab },
  { value: 'events', label: 'Event log', Panel: EventLogTab },
] as const;

export function WebhooksPage({ path }: { path: string }) {
  const requested = path.split('/')[2];
  const current = TABS.find((tab) => tab.value === requested) ?? TABS[0];

  useEffect(() => {
    if (requested !== current.value) navigate(`/webhooks/${current.value}`, { replace: true });
  }, [requested, current.value]);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed events to n8n, Zapier, Make or any URL, retried for a day when the receiver fails, with every attempt on record."
      />
      <DeliveryStatsTile />
      <Tabs value={current.value} onChange={(value) => value && navigate(`/webhooks/${value}`)} keepMounted={false}>
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
