// The offline default embedding: lexical feature hashing of words and word pairs into a fixed-size vector.
// It needs no network and no model, and it is honest about what it is: similar *words*, not similar
// *meaning* (no synonyms, no paraphrase). Choose an integration's embedding model for semantic search.
import { fnv1a, words } from '../extract/fingerprint.ts';

export const LEXICAL_DIMENSIONS = 384;
export const LEXICAL_MODEL = `lexical-hash-${LEXICAL_DIMENSIONS}-v1`;

// Word pairs carry phrase information ("new york" is not "york new") at a lower weight than the words.
const PAIR_WEIGHT = 0.5;

export function lexicalEmbedding(text: string): number[] {
  const vector = new Float64Array(LEXICAL_DIMENSIONS);
  const tokens = words(text).filter((token) => token.length > 1 || /\d/.test(token));
  const counts = new Map<string, number>();
  const bump = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  for (let i = 0; i < tokens.length; i++) {
    bump(`w:${tokens[i]}`);
    if (i + 1 < tokens.length) bump(`p:${tokens[i]} ${tokens[i + 1]}`);
  }
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature, 0);
    // A second hash decides the sign, so collisions cancel out on average instead of piling up.
    const sign = fnv1a(feature, 0x5bd1e995) & 1 ? 1 : -1;
    const weight = feature.startsWith('p:') ? PAIR_WEIGHT : 1;
    // Sub-linear term frequency: a word said ten times is not ten times as relevant.
    vector[hash % LEXICAL_DIMENSIONS]! += sign * weight * (1 + Math.log(count));
  }
  return normalize(Array.from(vector));
}

/** Unit length, so cosine similarity is a dot product; the zero vector stays zero. */
export function normalize(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm === 0 ? vector.map(() => 0) : vector.map((value) => value / norm);
}
