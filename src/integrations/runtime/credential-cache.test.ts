// Opened credentials are reused only for the exact ciphertext they came from; failures are never kept.
import { describe, expect, it } from 'vitest';
import { createCredentialCache } from './credential-cache.ts';

describe('credential cache', () => {
  it('opens a ciphertext once, however many callers ask at the same time', async () => {
    const cache = createCredentialCache();
    let opened = 0;
    const decrypt = async () => {
      opened += 1;
      return { apiKey: 'k1' };
    };
    const answers = await Promise.all([1, 2, 3].map(() => cache.open('i1', 'ct-1', decrypt)));
    expect(answers.every((answer) => answer.apiKey === 'k1')).toBe(true);
    expect(await cache.open('i1', 'ct-1', decrypt)).toEqual({ apiKey: 'k1' });
    expect(opened).toBe(1);
  });

  it('never answers for another ciphertext of the same integration (a replaced or refreshed credential)', async () => {
    const cache = createCredentialCache();
    await cache.open('i1', 'ct-old', async () => ({ apiKey: 'old' }));
    expect(await cache.open('i1', 'ct-new', async () => ({ apiKey: 'new' }))).toEqual({ apiKey: 'new' });
    expect(await cache.open('i2', 'ct-new', async () => ({ apiKey: 'other integration' }))).toEqual({ apiKey: 'other integration' });
  });

  it('reports a failure to open every time instead of keeping it', async () => {
    const cache = createCredentialCache();
    await expect(cache.open('i1', 'ct', async () => Promise.reject(new Error('tampered')))).rejects.toThrow('tampered');
    expect(await cache.open('i1', 'ct', async () => ({ apiKey: 'ok' }))).toEqual({ apiKey: 'ok' });
  });

  it('hands out frozen values, so no caller can change what the next one gets', async () => {
    const cache = createCredentialCache();
    const value = await cache.open('i1', 'ct', async () => ({ apiKey: 'k' }));
    expect(Object.isFrozen(value)).toBe(true);
  });
});
