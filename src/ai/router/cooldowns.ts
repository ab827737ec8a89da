// Integrations the router stays away from for a while: rate limited (as long as the provider asked), out
// of balance or over a usage cap (a long cooldown). Per process; a node that has not learned it yet finds
// out with one refused call of its own.

export interface Cooldown {
  until: number;
  reason: 'rate_limited' | 'out_of_balance';
  message: string;
}

export interface Cooldowns {
  set(integrationId: string, cooldown: Cooldown): void;
  active(integrationId: string): Cooldown | undefined;
  clear(integrationId: string): void;
  /** Forgets every cooldown (tests, and an operator who topped up a balance). */
  reset(): void;
}

export function createCooldowns(now: () => number): Cooldowns {
  const entries = new Map<string, Cooldown>();
  return {
    set(integrationId, cooldown) {
      const current = entries.get(integrationId);
      // A longer cooldown already in force is not shortened by a later, milder refusal.
      if (!current || current.until < cooldown.until) entries.set(integrationId, cooldown);
    },
    active(integrationId) {
      const cooldown = entries.get(integrationId);
      if (!cooldown) return undefined;
      if (cooldown.until <= now()) {
        entries.delete(integrationId);
        return undefined;
      }
      return cooldown;
    },
    clear: (integrationId) => void entries.delete(integrationId),
    reset: () => entries.clear(),
  };
}
