// A provider's health word, or a breaker's state, as a coloured badge.
import { Badge } from '@mantine/core';
import type { ProviderHealth } from './api.ts';

const HEALTH: Record<ProviderHealth['health'], { color: string; label: string }> = {
  healthy: { color: 'teal', label: 'healthy' },
  degraded: { color: 'yellow', label: 'degraded' },
  down: { color: 'red', label: 'down' },
  cooling_down: { color: 'orange', label: 'cooling down' },
  unknown: { color: 'gray', label: 'no recent calls' },
  unconfigured: { color: 'gray', label: 'not connected' },
};
const BREAKER: Record<string, string> = { closed: 'teal', open: 'red', 'half-open': 'yellow' };

export function HealthBadge({ health }: { health: ProviderHealth['health'] }) {
  const { color, label } = HEALTH[health];
  return (
    <Badge color={color} variant="light">
      {label}
    </Badge>
  );
}

export function BreakerBadge({ model, state }: { model: string; state: string }) {
  return (
    <Badge color={BREAKER[state] ?? 'gray'} variant="outline" tt="none" title={`Breaker of ${model}: ${state}`}>
      {model}: {state}
    </Badge>
  );
}
