// Generic HMAC-SHA256 of the raw body in a named header (hex or base64, optional prefix such as `sha256=`),
// with an optional unix-timestamp header checked within the tolerance. The generic REST connector uses it.
import { createHmac } from 'node:crypto';
import type { InboundVerification } from '../../connectors/sdk/define.ts';
import { sameBytes, signatureKey, timestampProblem, type InboundRequest, type Verification } from './verification.ts';

type HmacSpec = Extract<InboundVerification, { kind: 'hmac-sha256' }>;

export function verifyHmacSha256(spec: HmacSpec, secret: string | undefined, request: InboundRequest, nowMs: number): Verification {
  if (!secret) return { ok: false, reason: `the integration has no ${spec.secretField} to verify webhooks with` };
  const header = request.headers[spec.header.toLowerCase()];
  if (!header) return { ok: false, reason: `the ${spec.header} header is missing (unsigned request)` };
  const prefix = spec.prefix ?? '';
  if (!header.startsWith(prefix)) return { ok: false, reason: `the ${spec.header} header does not start with "${prefix}"` };
  if (spec.timestampHeader) {
    const timestamp = request.headers[spec.timestampHeader.toLowerCase()];
    if (timestamp !== undefined) {
      const problem = timestampProblem(timestamp, nowMs);
      if (problem) return { ok: false, reason: problem };
    }
  }
  const given = header.slice(prefix.length).trim();
  const expected = createHmac('sha256', secret).update(request.rawBody).digest();
  const decoded = spec.encoding === 'hex' ? (/^[0-9a-f]+$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0)) : Buffer.from(given, 'base64');
  if (!sameBytes(decoded, expected)) return { ok: false, reason: `the ${spec.header} signature does not match the body` };
  return { ok: true, dedupKey: signatureKey(given.toLowerCase()) };
}
