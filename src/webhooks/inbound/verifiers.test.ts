// The inbound verifiers with literal secrets and a fixed clock: generic HMAC-SHA256, Meta's
// X-Hub-Signature-256 and challenge, and Standard Webhooks / Svix headers, including replay refusals.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { answerMetaChallenge, verifyMeta } from './verify-meta.ts';
import { verifyHmacSha256 } from './verify-hmac.ts';
import { verifyStandardWebhooks } from './verify-standard.ts';

const now = Date.UTC(2026, 4, 1, 12);
const seconds = Math.floor(now / 1000);
const body = Buffer.from('{"type":"order.paid","id":"ord_1"}');

describe('generic HMAC-SHA256', () => {
  const secret = 'rest-hook-secret';
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  const base64 = createHmac('sha256', secret).update(body).digest('base64');
  const spec = { kind: 'hmac-sha256' as const, header: 'X-Signature', encoding: 'hex' as const, prefix: 'sha256=', secretField: 'webhookSecret' };

  it('accepts the signature of the raw body, hex with a prefix or base64', () => {
    expect(verifyHmacSha256(spec, secret, { rawBody: body, headers: { 'x-signature': `sha256=${hex}` } }, now)).toMatchObject({ ok: true });
    const b64 = { ...spec, encoding: 'base64' as const, prefix: undefined };
    expect(verifyHmacSha256(b64, secret, { rawBody: body, headers: { 'x-signature': base64 } }, now)).toMatchObject({ ok: true });
  });

  it('refuses unsigned, mis-signed, altered and out-of-tolerance requests', () => {
    expect(verifyHmacSha256(spec, secret, { rawBody: body, headers: {} }, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyHmacSha256(spec, 'other', { rawBody: body, headers: { 'x-signature': `sha256=${hex}` } }, now)).toMatchObject({ ok: false });
    expect(verifyHmacSha256(spec, secret, { rawBody: Buffer.from('{"type":"order.paid","id":"ord_2"}'), headers: { 'x-signature': `sha256=${hex}` } }, now)).toMatchObject({ ok: false });
    expect(verifyHmacSha256(spec, secret, { rawBody: body, headers: { 'x-signature': hex } }, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/start with/) });
    expect(verifyHmacSha256(spec, undefined, { rawBody: body, headers: { 'x-signature': `sha256=${hex}` } }, now)).toMatchObject({ ok: false });
    const timed = { ...spec, timestampHeader: 'X-Timestamp' };
    const headers = (ts: number) => ({ 'x-signature': `sha256=${hex}`, 'x-timestamp': String(ts) });
    expect(verifyHmacSha256(timed, secret, { rawBody: body, headers: headers(seconds - 200) }, now)).toMatchObject({ ok: true });
    expect(verifyHmacSha256(timed, secret, { rawBody: body, headers: headers(seconds - 301) }, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/old/) });
    expect(verifyHmacSha256(timed, secret, { rawBody: body, headers: headers(seconds + 400) }, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/future/) });
  });

  it('gives the same request the same replay key', () => {
    const request = { rawBody: body, headers: { 'x-signature': `sha256=${hex}` } };
    const first = verifyHmacSha256(spec, secret, request, now);
    const second = verifyHmacSha256(spec, secret, request, now + 1000);
    expect(first.ok && second.ok && first.dedupKey === second.dedupKey).toBe(true);
  });
});

describe('Meta', () => {
  const appSecret = 'meta-app-secret';
  const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;

  it('accepts X-Hub-Signature-256 over the raw body and refuses anything else', () => {
    expect(verifyMeta(appSecret, { rawBody: body, headers: { 'x-hub-signature-256': signature } })).toMatchObject({ ok: true });
    expect(verifyMeta(appSecret, { rawBody: body, headers: {} })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyMeta('wrong', { rawBody: body, headers: { 'x-hub-signature-256': signature } })).toMatchObject({ ok: false });
    expect(verifyMeta(appSecret, { rawBody: body, headers: { 'x-hub-signature-256': 'sha1=abc' } })).toMatchObject({ ok: false });
  });

  it('echoes the challenge only for the integration’s verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'my-token', 'hub.challenge': '1158201444' };
    expect(answerMetaChallenge('my-token', query)).toEqual({ ok: true, challenge: '1158201444' });
    expect(answerMetaChallenge('other-token', query)).toMatchObject({ ok: false });
    expect(answerMetaChallenge('my-token', { ...query, 'hub.mode': 'unsubscribe' })).toMatchObject({ ok: false });
    expect(answerMetaChallenge(undefined, query)).toMatchObject({ ok: false });
  });
});

describe('Standard Webhooks and Svix headers', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const signed = (id: string, ts: number, text: string, key = secret) => new Webhook(key).sign(id, new Date(ts * 1000), text);

  it('verifies the specification test vector (at its own time)', () => {
    const request = {
      rawBody: Buffer.from('{"test": 2432232314}'),
      headers: { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
    };
    expect(verifyStandardWebhooks(secret, request, 1614265330 * 1000)).toEqual({ ok: true, dedupKey: 'id:msg_p5jXN8AQM9LWM0D4loKWxJek' });
    // Five minutes and one second later the same request is a replay.
    expect(verifyStandardWebhooks(secret, request, (1614265330 + 301) * 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/old/) });
  });

  it('accepts svix- headers (Resend) and any one of several signatures', () => {
    const text = body.toString();
    const headers = {
      'svix-id': 'msg_1',
      'svix-timestamp': String(seconds),
      'svix-signature': `v1,bm90LWEtc2lnbmF0dXJl ${signed('msg_1', seconds, text)}`,
    };
    expect(verifyStandardWebhooks(secret, { rawBody: body, headers }, now)).toMatchObject({ ok: true, dedupKey: 'id:msg_1' });
  });

  it('refuses missing headers, a wrong secret, an altered body or id, and a timestamp from the future', () => {
    const text = body.toString();
    const good = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(seconds), 'webhook-signature': signed('msg_2', seconds, text) };
    expect(verifyStandardWebhooks(secret, { rawBody: body, headers: { 'webhook-id': 'msg_2' } }, now)).toMatchObject({ ok: false });
    expect(verifyStandardWebhooks('whsec_' + Buffer.alloc(24, 1).toString('base64'), { rawBody: body, headers: good }, now)).toMatchObject({ ok: false });
    expect(verifyStandardWebhooks(secret, { rawBody: Buffer.from(`${text} `), headers: good }, now)).toMatchObject({ ok: false });
    expect(verifyStandardWebhooks(secret, { rawBody: body, headers: { ...good, 'webhook-id': 'msg_3' } }, now)).toMatchObject({ ok: false });
    const future = { ...good, 'webhook-timestamp': String(seconds + 600), 'webhook-signature': signed('msg_2', seconds + 600, text) };
    expect(verifyStandardWebhooks(secret, { rawBody: body, headers: future }, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/future/) });
  });
});
