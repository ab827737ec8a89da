// Picks the verifier a connector declared and hands it the integration's secrets by field name.
import type { InboundVerification } from '../../connectors/sdk/define.ts';
import { verifyHmacSha256 } from './verify-hmac.ts';
import { verifyMeta } from './verify-meta.ts';
import { verifyStandardWebhooks } from './verify-standard.ts';
import type { InboundRequest, Verification } from './verification.ts';

export function verifyInbound(
  spec: InboundVerification,
  credentials: Readonly<Record<string, string>>,
  request: InboundRequest,
  nowMs: number,
): Verification {
  switch (spec.kind) {
    case 'hmac-sha256':
      return verifyHmacSha256(spec, credentials[spec.secretField], request, nowMs);
    case 'meta':
      return verifyMeta(credentials[spec.appSecretField], request);
    case 'standard-webhooks':
      return verifyStandardWebhooks(credentials[spec.secretField], request, nowMs);
  }
}
