// Standard Webhooks and Svix-style headers (Resend signs this way): HMAC-SHA256 of `id.timestamp.body`
// computed by the `standardwebhooks` library, any listed `v1,` signature accepted (rotation), the timestamp
// checked on our own clock (the library's verify reads Date.now), and the message id as replay key.
import { Webhook } from 'standardwebhooks';
import { sameBytes, timestampProblem, type InboundRequest, type Verification } from './verification.ts';

export function verifyStandardWebhooks(secret: string | undefined, request: InboundRequest, nowMs: number): Verification {
  if (!secret) return { ok: false, reason: 'the integration has no signing secret to verify webhooks with' };
  // Svix (and so Resend) sends the same three headers under an svix- prefix.
  const prefix = request.headers['webhook-signature'] !== undefined ? 'webhook' : 'svix';
  const id = request.headers[`${prefix}-id`];
  const timestamp = request.headers[`${prefix}-timestamp`];
  const signatures = request.headers[`${prefix}-signature`];
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'the webhook-id, webhook-timestamp or webhook-signature header is missing (unsigned request)' };
  const problem = timestampProblem(timestamp, nowMs);
  if (problem) return { ok: false, reason: problem };
  let expected: string;
  try {
    expected = new Webhook(secret).sign(id, new Date(Number(timestamp) * 1000), request.rawBody.toString('utf8')).slice('v1,'.length);
  } catch {
    return { ok: false, reason: 'the integration’s signing secret is not a valid whsec_ secret' };
  }
  const wanted = Buffer.from(expected);
  const matches = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    return version === 'v1' && signature !== undefined && sameBytes(Buffer.from(signature), wanted);
  });
  if (!matches) return { ok: false, reason: 'no signature in the webhook-signature header matches' };
  return { ok: true, dedupKey: `id:${id}` };
}
