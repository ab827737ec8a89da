// Webhooks: the delivery tally of the last 24 hours, the endpoints and the event log, one tab each.
import { PageHeader } from '../../components/PageHeader.tsx';
import { AddressTabs } from '../../components/AddressTabs.tsx';
import { DeliveryStatsTile } from './DeliveryStatsTile.tsx';
import { EndpointsTab } from './EndpointsTab.tsx';
import { EventLogTab } from './EventLogTab.tsx';

const TABS = [
  { value: 'endpoints', label: 'Endpoints', Panel: EndpointsTab },
  { value: 'events', label: 'Event log', Panel: EventLogTab },
] as const;

export function WebhooksPage({ path }: { path: string }) {
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed events to n8n, Zapier, Make or any URL, retried for a day when the receiver fails, with every attempt on record."
      />
      <DeliveryStatsTile />
      <AddressTabs section="webhooks" path={path} tabs={TABS} />
    </>
  );
}
