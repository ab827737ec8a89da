// The canonical JSON behind records' content hashes: stored hashes were made with it, so its text must not
// drift (a change would count every stored record as updated on its next sync).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './store.ts';

describe('canonicalJson', () => {
  it('writes index-like keys first in numeric order, then the others by code unit, with JSON.stringify’s values', () => {
    const value = { b: 1, a: [{ d: undefined, c: 2, fn: () => 1 }, undefined], '10': 'x', '9': true, Z: null, é: 'accent', z: new Date(0), n: Number.NaN };
    expect(canonicalJson(value)).toBe('{"9":true,"10":"x","Z":null,"a":[{"c":2},null],"b":1,"n":null,"z":"1970-01-01T00:00:00.000Z","é":"accent"}');
  });

  it('hashes equal records equally whatever their key order, and different ones differently', () => {
    const one = { id: 7, customer: { name: 'Ana', email: 'ana@example.test' }, items: [{ sku: 'A', qty: 1 }] };
    const same = { items: [{ qty: 1, sku: 'A' }], customer: { email: 'ana@example.test', name: 'Ana' }, id: 7 };
    expect(contentHash(same)).toBe(contentHash(one));
    expect(contentHash(one)).toBe(createHash('sha256').update('{"customer":{"email":"ana@example.test","name":"Ana"},"id":7,"items":[{"qty":1,"sku":"A"}]}').digest('hex'));
    expect(contentHash({ ...one, id: 8 })).not.toBe(contentHash(one));
    // Array order is content: reordering items is a change.
    expect(contentHash({ list: [1, 2] })).not.toBe(contentHash({ list: [2, 1] }));
  });

  it('writes top-level primitives and strings needing escapes as JSON.stringify does', () => {
    for (const value of ['he said "hi"\n\u2028', 0, -0, 1e21, true, null, [undefined]]) expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });
});
