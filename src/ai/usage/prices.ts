// The versioned price table: what each provider charges per million tokens (and per image), in the
// currency it bills in, plus the exchange rates that turn every cost into USD for budgets. A model with no
// entry is *unpriced*: its cost is null and reported, never taken as zero (free models say 0 explicitly).
import type { Usage } from '../providers/sdk.ts';

export type Currency = 'USD' | 'CNY';

export interface Price {
  /** Per million prompt tokens not served from cache. */
  input: number;
  /** Per million cached prompt tokens; default: the input price. */
  cachedInput?: number;
  /** Per million generated tokens, reasoning included. */
  output: number;
  /** Per generated image, for image models priced that way. */
  perImage?: number;
  currency: Currency;
}

export interface PriceTableVersion {
  /** Recorded on every ledger row, so a cost can be traced to the prices it was computed with. */
  version: string;
  /** The first instant (UTC) these prices apply. */
  effectiveFrom: string;
  /** USD per unit of each currency. */
  usdPer: Record<Currency, number>;
  /** `provider/model` → price. */
  prices: Record<string, Price>;
}

const usd = (input: number, output: number, cachedInput?: number): Price => ({ input, output, currency: 'USD', ...(cachedInput !== undefined ? { cachedInput } : {}) });
const cny = (input: number, output: number, cachedInput?: number): Price => ({ input, output, currency: 'CNY', ...(cachedInput !== undefined ? { cachedInput } : {}) });

// List prices as published by each provider when this version was written. GLM's are bigmodel.cn's, in CNY.
export const PRICE_TABLE: readonly PriceTableVersion[] = [
  {
    version: '2026-01',
    effectiveFrom: '2026-01-01T00:00:00Z',
    usdPer: { USD: 1, CNY: 0.14 },
    prices: {
      'openai/gpt-4o-mini': usd(0.15, 0.6, 0.075),
      'openai/gpt-4o': usd(2.5, 10, 1.25),
      'openai/gpt-4.1': usd(2, 8, 0.5),
      'openai/gpt-4.1-mini': usd(0.4, 1.6, 0.1),
      'openai/gpt-4.1-nano': usd(0.1, 0.4, 0.025),
      'openai/gpt-5': usd(1.25, 10, 0.125),
      'openai/gpt-5-mini': usd(0.25, 2, 0.025),
      'openai/gpt-5-nano': usd(0.05, 0.4, 0.005),
      'openai/o4-mini': usd(1.1, 4.4, 0.275),
      'openai/text-embedding-3-small': usd(0.02, 0),
      'openai/text-embedding-3-large': usd(0.13, 0),
      'openai/gpt-image-1': { ...usd(5, 40), perImage: 0.042 },
      'openai/dall-e-3': { ...usd(0, 0), perImage: 0.04 },
      'glm/glm-4-flash': cny(0, 0),
      'glm/glm-4-flash-250414': cny(0, 0),
      'glm/glm-4.5-flash': cny(0, 0),
      'glm/glm-4-plus': cny(5, 5),
      'glm/glm-4.5': cny(2, 8, 0.4),
      'glm/glm-4.5-air': cny(0.8, 2, 0.16),
      'glm/glm-4.6': cny(2, 8, 0.4),
      'glm/embedding-3': cny(0.5, 0),
      'glm/cogview-3-flash': { ...cny(0, 0), perImage: 0 },
      'glm/cogview-4': { ...cny(0, 0), perImage: 0.06 },
      'anthropic/claude-3-5-haiku': usd(0.8, 4, 0.08),
      'anthropic/claude-3-haiku': usd(0.25, 1.25, 0.03),
      'anthropic/claude-haiku-4-5': usd(1, 5, 0.1),
      'anthropic/claude-sonnet-4-0': usd(3, 15, 0.3),
      'anthropic/claude-sonnet-4-5': usd(3, 15, 0.3),
      'anthropic/claude-opus-4-1': usd(15, 75, 1.5),
      'mistral/mistral-small': usd(0.1, 0.3),
      'mistral/mistral-medium': usd(0.4, 2),
      'mistral/mistral-large': usd(2, 6),
      'mistral/ministral-8b': usd(0.1, 0.1),
      'mistral/ministral-3b': usd(0.04, 0.04),
      'mistral/open-mistral-nemo': usd(0.15, 0.15),
      'mistral/codestral': usd(0.3, 0.9),
      'mistral/pixtral-large': usd(2, 6),
      'mistral/mistral-embed': usd(0.1, 0),
    },
  },
];

/** The version in force at `at` (the latest whose effectiveFrom has passed). */
export function priceVersionAt(at: Date, table: readonly PriceTableVersion[] = PRICE_TABLE): PriceTableVersion {
  let current = table[0]!;
  for (const version of table) if (Date.parse(version.effectiveFrom) <= at.getTime() && Date.parse(version.effectiveFrom) >= Date.parse(current.effectiveFrom)) current = version;
  return current;
}

// Dated snapshots and aliases share the base model's price: `gpt-4o-mini-2024-07-18`, `claude-3-5-haiku-latest`.
const SUFFIXES = [/-latest$/, /-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-\d{4}$/, /-\d{6}$/];

export function findPrice(version: PriceTableVersion, provider: string, model: string): Price | undefined {
  let candidate = model;
  for (let step = 0; step < 3; step++) {
    const price = version.prices[`${provider}/${candidate}`];
    if (price) return price;
    const stripped = SUFFIXES.reduce((name, suffix) => name.replace(suffix, ''), candidate);
    if (stripped === candidate) return undefined;
    candidate = stripped;
  }
  return undefined;
}

export interface Cost {
  amount: number;
  currency: Currency;
  usd: number;
}

/** The cost of one attempt's usage, or undefined when the model has no price. */
export function costOf(price: Price | undefined, version: PriceTableVersion, usage: Usage, images = 0): Cost | undefined {
  if (!price) return undefined;
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const amount =
    ((usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000 +
    images * (price.perImage ?? 0);
  return { amount: round8(amount), currency: price.currency, usd: round8(amount * version.usdPer[price.currency]) };
}

const round8 = (value: number) => Math.round(value * 1e8) / 1e8;
