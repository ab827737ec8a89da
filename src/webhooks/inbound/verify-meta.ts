// Meta (Facebook, Instagram, WhatsApp): `X-Hub-Signature-256: sha256=<hex>` over the raw body with the app
// secret, and the GET subscription challenge answered when hub.verify_token matches the integration's token.
import { createHmac } from 'node:crypto';
import { sameBytes, signatureKey, type InboundRequest, type Verification } from './verification.ts';

const HEADER = 'x-hub-signature-256';

export function verifyMeta(appSecret: string | undefined, request: InboundRequest): Verification {
  if (!appSecret) return { ok: false, reason: 'the integration has no app secret to verify Meta webhooks with' };
  const header = request.headers[HEADER];
  if (!header) return { ok: false, reason: 'the X-Hub-Signature-256 header is missing (unsigned request)' };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return { ok: false, reason: 'the X-Hub-Signature-256 header is not sha256=<64 hex digits>' };
  const expected = createHmac('sha256', appSecret).update(request.rawBody).digest();
  if (!sameBytes(Buffer.from(match[1]!, 'hex'), expected)) return { ok: false, reason: 'the X-Hub-Signature-256 signature does not match the body' };
  // Meta sends no timestamp or delivery id: a replay is the same signature over the same body.
  return { ok: true, dedupKey: signatureKey(match[1]!.toLowerCase()) };
}

export type ChallengeAnswer = { ok: true; challenge: string } | { ok: false; reason: string };

/** GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…: echo the challenge only for our own token. */
export function answerMetaChallenge(verifyToken: string | undefined, query: Readonly<Record<string, unknown>>): ChallengeAnswer {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof challenge !== 'string' || typeof token !== 'string') {
    return { ok: false, reason: 'expected hub.mode=subscribe with hub.verify_token and hub.challenge' };
  }
  if (!verifyToken || !sameBytes(Buffer.from(token), Buffer.from(verifyToken))) return { ok: false, reason: 'hub.verify_token does not match' };
  return { ok: true, challenge };
}
