// The price table: dated model ids find their base price, cached tokens are billed at their own rate,
// CNY is converted for budgets, and a model without a price has no cost (not zero).
import { describe, expect, it } from 'vitest';
import { countPromptTokens, countTextTokens } from '../tokenizer.ts';
import { PRICE_TABLE, costOf, findPrice, priceVersionAt } from './prices.ts';

const version = priceVersionAt(new Date('2026-06-01T00:00:00Z'));
const usage = (input: number, output: number, cached = 0) => ({ inputTokens: input, outputTokens: output, cachedTokens: cached, reasoningTokens: 0 });

describe('price table', () => {
  it('prices dated snapshots and -latest aliases like their base model', () => {
    expect(findPrice(version, 'openai', 'gpt-4o-mini-2024-07-18')).toBe(version.prices['openai/gpt-4o-mini']);
    expect(findPrice(version, 'anthropic', 'claude-3-5-haiku-latest')).toBe(version.prices['anthropic/claude-3-5-haiku']);
    expect(findPrice(version, 'mistral', 'mistral-small-2506')).toBe(version.prices['mistral/mistral-small']);
    expect(findPrice(version, 'openai', 'gpt-unknown')).toBeUndefined();
  });

  it('bills cached input at its own rate and converts CNY to USD', () => {
    const openai = costOf(findPrice(version, 'openai', 'gpt-4o-mini'), version, usage(1_000_000, 1_000_000, 400_000))!;
    expect(openai).toEqual({ amount: 0.6 * 0.15 + 0.4 * 0.075 + 0.6, currency: 'USD', usd: 0.6 * 0.15 + 0.4 * 0.075 + 0.6 });
    const glm = costOf(findPrice(version, 'glm', 'glm-4-plus'), version, usage(1_000_000, 0))!;
    expect(glm).toEqual({ amount: 5, currency: 'CNY', usd: 0.7 });
    expect(PRICE_TABLE[0]!.usdPer.CNY).toBe(0.14);
    expect(costOf(undefined, version, usage(10, 10))).toBeUndefined();
  });
});

describe('tokenizer', () => {
  it('counts words, numbers, CJK characters and message framing, leaning high', () => {
    expect(countTextTokens('Hello world')).toBe(4);
    expect(countTextTokens('你好世界')).toBe(4);
    expect(countTextTokens('12345')).toBe(2);
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'Hello world' }] })).toBe(3 + 4 + 4);
  });
});
