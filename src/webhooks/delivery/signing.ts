// Standard Webhooks signing with the `standardwebhooks` library: endpoint secrets (`whsec_` + 32 random
// bytes), and the `webhook-signature` header, which carries one signature per live secret during a rotation.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';

export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

// Building a Webhook decodes the secret; deliveries to one endpoint reuse it.
const signers = new Map<string, Webhook>();
const MAX_SIGNERS = 1000;

function signerFor(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value!);
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}

/** `v1,<sig>` for each secret, space-separated: receivers accept the message if any one verifies. */
export function signatureHeader(secrets: readonly string[], messageId: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => signerFor(secret).sign(messageId, timestamp, body)).join(' ');
}
