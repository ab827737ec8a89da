// Target ordering (weights first, in proportion; the rest in chain order) and the model breaker's states.
import { describe, expect, it } from 'vitest';
import { createModelBreakers } from './breakers.ts';
import { orderTargets } from './plan.ts';

describe('orderTargets', () => {
  const chain = [
    { provider: 'glm', model: 'a' },
    { provider: 'openai', model: 'b', weight: 3 },
    { provider: 'anthropic', model: 'c', weight: 1 },
    { provider: 'mistral', model: 'd' },
  ];

  it('keeps the chain order without weights', () => {
    const plain = chain.map(({ provider, model }) => ({ provider, model }));
    expect(orderTargets(plain).map((t) => t.provider)).toEqual(['glm', 'openai', 'anthropic', 'mistral']);
  });

  it('draws weighted targets first in proportion to their weight, then the others in order', () => {
    expect(orderTargets(chain, () => 0.5).map((t) => t.provider)).toEqual(['openai', 'anthropic', 'glm', 'mistral']);
    expect(orderTargets(chain, () => 0.9).map((t) => t.provider)).toEqual(['anthropic', 'openai', 'glm', 'mistral']);
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const firsts = Array.from({ length: 4000 }, () => orderTargets(chain, random)[0]!.provider);
    const share = firsts.filter((p) => p === 'openai').length / firsts.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });
});

describe('model breakers', () => {
  it('opens after the threshold, admits one probe after the cooldown, and closes or reopens on its outcome', () => {
    let now = 0;
    const breakers = createModelBreakers({ threshold: 2, cooldownMs: 1000, now: () => now });
    breakers.failure('m');
    expect(breakers.admit('m')).toEqual({ admitted: true, probe: false });
    breakers.failure('m');
    expect(breakers.admit('m')).toMatchObject({ admitted: false, state: 'open', retryAfterMs: 1000 });
    now = 1000;
    expect(breakers.admit('m')).toEqual({ admitted: true, probe: true });
    expect(breakers.admit('m')).toMatchObject({ admitted: false, state: 'half-open' });
    breakers.failure('m');
    expect(breakers.snapshot('m').state).toBe('open');
    now = 2000;
    expect(breakers.admit('m')).toEqual({ admitted: true, probe: true });
    breakers.success('m');
    expect(breakers.snapshot('m')).toEqual({ state: 'closed', consecutiveFailures: 0, openedAt: null });
  });
});
