import { describe, expect, it } from 'vitest';
import { LEXICAL_DIMENSIONS, lexicalEmbedding } from './lexical.ts';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('lexical embedding (feature hashing)', () => {
  it('is deterministic, unit length and of fixed size', () => {
    const vector = lexicalEmbedding('Copper widgets ship from the harbor');
    expect(vector).toHaveLength(LEXICAL_DIMENSIONS);
    expect(lexicalEmbedding('Copper widgets ship from the harbor')).toEqual(vector);
    expect(Math.abs(cosine(vector, vector) - 1)).toBeLessThan(1e-9);
  });

  it('scores shared words and word order above unrelated text', () => {
    const query = lexicalEmbedding('copper widget price');
    const related = lexicalEmbedding('The copper widget has a fair price and ships today.');
    const unrelated = lexicalEmbedding('Glacier tours leave the fjord at dawn.');
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
    // Word pairs carry order: "new york" is closer to "new york" than to "york new".
    expect(cosine(lexicalEmbedding('new york'), lexicalEmbedding('new york city'))).toBeGreaterThan(cosine(lexicalEmbedding('new york'), lexicalEmbedding('york new city')));
  });

  it('gives the zero vector for text without words', () => {
    expect(lexicalEmbedding('!!! ...').every((value) => value === 0)).toBe(true);
  });
});
