// The event catalogue: every type the issue lists, valid names, and how endpoint filters match.
import { describe, expect, it } from 'vitest';
import { EVENT_FILTER_PATTERN, EVENT_TYPE_PATTERN, EVENT_TYPES, eventTypeDefinition, inboundEventType, matchesAny, matchesFilter } from './catalogue.ts';

describe('the event catalogue', () => {
  it('has every type of the issue, each with a version and a valid name', () => {
    const types = EVENT_TYPES.map((definition) => definition.type);
    for (const type of [
      'integration.connected', 'integration.failed', 'integration.expired', 'integration.disconnected', 'data.synced',
      'sync.started', 'sync.completed', 'sync.failed', 'sync.dead', 'scrape.completed', 'scrape.failed',
      'ai.quota.warning', 'ai.quota.exceeded', 'endpoint.disabled', 'endpoint.recovered', 'error.occurred',
    ]) {
      expect(types).toContain(type);
    }
    for (const definition of EVENT_TYPES) {
      expect(definition.type).toMatch(EVENT_TYPE_PATTERN);
      expect(definition.version).toBeGreaterThanOrEqual(1);
    }
  });

  it('resolves inbound and custom families, and nothing else unknown', () => {
    expect(eventTypeDefinition('inbound.resend.email.delivered')?.type).toBe('inbound.<connector>.<type>');
    expect(eventTypeDefinition('custom.order_created')?.type).toBe('custom.<name>');
    expect(eventTypeDefinition('made.up')).toBeNull();
    expect(inboundEventType('resend', 'email.delivered')).toBe('inbound.resend.email.delivered');
    expect(inboundEventType('meta-ads', 'Lead Gen/Form')).toBe('inbound.meta-ads.lead_gen_form');
    expect(inboundEventType('meta-ads', '')).toBe('inbound.meta-ads.unknown');
  });

  it('matches exact types, prefix wildcards and everything', () => {
    expect(matchesFilter('sync.completed', 'sync.*')).toBe(true);
    expect(matchesFilter('syncx.completed', 'sync.*')).toBe(false);
    expect(matchesFilter('inbound.resend.email.sent', 'inbound.resend.*')).toBe(true);
    expect(matchesFilter('sync.completed', 'sync.completed')).toBe(true);
    expect(matchesFilter('sync.completed', 'sync.failed')).toBe(false);
    expect(matchesAny('anything.at_all', ['sync.*', '*'])).toBe(true);
    for (const filter of ['*', 'sync.*', 'sync.completed', 'inbound.resend.*']) expect(filter).toMatch(EVENT_FILTER_PATTERN);
    for (const filter of ['sync*', '*.completed', 'Sync.x', '']) expect(filter).not.toMatch(EVENT_FILTER_PATTERN);
  });
});
