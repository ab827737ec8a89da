// Standard Webhooks signing: the specification's published test vector, the secret format, and one
// signature per secret during a rotation, each accepted by the library's own verifier.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret, signatureHeader } from './signing.ts';

describe('signing', () => {
  it('reproduces the specification test vector', () => {
    const header = signatureHeader(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}');
    expect(header).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(secret);
  });

  it('signs with every live secret, and a verifier holding either one accepts', () => {
    const [oldSecret, newSecret] = [generateSigningSecret(), generateSigningSecret()];
    const body = JSON.stringify({ type: 'custom.x', data: {} });
    const now = new Date();
    const signature = signatureHeader([newSecret, oldSecret], 'evt_1', now, body);
    expect(signature.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual({ type: 'custom.x', data: {} });
    expect(new Webhook(newSecret).verify(body, headers)).toEqual({ type: 'custom.x', data: {} });
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });
});
