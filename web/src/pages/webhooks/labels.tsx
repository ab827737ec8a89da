// How endpoint states and event statuses read on the Webhooks page: one badge each, with the reason on hover.
import { Badge, Tooltip } from '@mantine/core';
import type { Endpoint, EventStatus } from './api.ts';

const STATE_COLORS: Record<Endpoint['state'], string> = { enabled: 'teal', paused: 'yellow', disabled: 'red' };

export function EndpointStateBadge({ endpoint }: { endpoint: Endpoint }) {
  const badge = (
    <Badge color={STATE_COLORS[endpoint.state]} variant="light" data-testid="endpoint-state">
      {endpoint.state}
    </Badge>
  );
  return endpoint.disabledReason ? <Tooltip label={endpoint.disabledReason} multiline maw={320}>{badge}</Tooltip> : badge;
}

const STATUS_LABELS: Record<EventStatus, string> = { delivered: '✅ delivered', failed: '❌ failed', pending: '⏳ retrying', none: '— no endpoint' };
const STATUS_COLORS: Record<EventStatus, string> = { delivered: 'teal', failed: 'red', pending: 'yellow', none: 'gray' };

export function EventStatusBadge({ status }: { status: EventStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" tt="none" data-testid="event-status" data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

export const eventStatusLabel = (status: EventStatus) => STATUS_LABELS[status];

const DELIVERY_COLORS: Record<string, string> = { succeeded: 'teal', failed: 'red', pending: 'yellow', held: 'gray' };

export function DeliveryStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={DELIVERY_COLORS[status] ?? 'gray'} variant="light" data-testid="delivery-status">
      {status}
    </Badge>
  );
}

/** 0.953 → "95 %"; null → "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)} %`;
}
