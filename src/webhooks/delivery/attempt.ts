// One HTTP attempt of a delivery: the message body, the signed Standard Webhooks headers, the POST
// through the outbound client (SSRF guard, no redirects, breaker per endpoint), and what to log of it.
import type { OutboundClient, ResponseHeaders } from '../../platform/outbound/index.ts';
import { signatureHeader } from './signing.ts';

/** Per attempt: connect, headers and body. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** Kept per attempt for the log; the rest of a long answer is read and dropped. */
export const RESPONSE_EXCERPT_BYTES = 4096;
// A larger answer is abandoned by the client (and the attempt counted as failed): receivers answer briefly.
const MAX_RESPONSE_BYTES = 1024 * 1024;
const USER_AGENT = 'Switchboard-Webhooks/1';
const MASK = '••••••';

export interface EventForDelivery {
  id: string;
  type: string;
  version: number;
  source: string;
  workspaceId: string;
  integrationId: string | null;
  connectorId: string | null;
  payload: unknown;
  createdAt: Date;
}

/** The bytes every attempt of the event sends, so a receiver can compare retries byte for byte. */
export function messageBody(event: EventForDelivery): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    version: event.version,
    timestamp: event.createdAt.toISOString(),
    workspaceId: event.workspaceId,
    source: event.source,
    integrationId: event.integrationId,
    connectorId: event.connectorId,
    data: event.payload,
  });
}

export interface AttemptRequest {
  endpointId: string;
  url: string;
  /** The webhook-id: the event's id, the same on every retry and replay. */
  messageId: string;
  body: string;
  /** Current secret first; the previous one too while a rotation's overlap lasts. */
  secrets: readonly string[];
  customHeaders: Readonly<Record<string, string>>;
  /** Attempt time (ms since the epoch): becomes webhook-timestamp. */
  now: number;
  /** The endpoint's limit: the client smooths sends to it (slots already spread them; see rate-slots.ts). */
  rateLimitPerSecond?: number | null;
  signal?: AbortSignal;
}

export interface AttemptResult {
  ok: boolean;
  startedAt: Date;
  latencyMs: number;
  status: number | null;
  /** null on success; else the outbound client's code, or `http_error`. */
  errorCode: string | null;
  errorMessage: string | null;
  retryAfterMs?: number;
  /** What was sent, custom header values masked. */
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
}

export async function sendAttempt(client: OutboundClient, request: AttemptRequest): Promise<AttemptResult> {
  const timestamp = new Date(Math.floor(request.now / 1000) * 1000);
  const signed = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': request.messageId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': signatureHeader(request.secrets, request.messageId, timestamp, request.body),
  };
  // Custom headers first so they can never replace the signature headers.
  const headers = { ...request.customHeaders, ...signed };
  const logged: Record<string, string> = { ...signed };
  for (const name of Object.keys(request.customHeaders)) logged[name.toLowerCase()] = MASK;

  const result = await client.request({
    url: request.url,
    method: 'POST',
    headers,
    body: request.body,
    timeoutMs: DELIVERY_TIMEOUT_MS,
    retry: false,
    breakerKey: `webhook-endpoint:${request.endpointId}`,
    ...(request.rateLimitPerSecond ? { rateBudget: { key: `webhook-endpoint:${request.endpointId}`, perSecond: request.rateLimitPerSecond } } : {}),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    labels: { endpointId: request.endpointId, capability: 'webhooks' },
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const response = result.ok ? result : result.response;
  return {
    ok: result.ok,
    startedAt: new Date(request.now),
    latencyMs: Math.round(result.latencyMs),
    status: response?.status ?? (result.ok ? null : (result.error.status ?? null)),
    errorCode: result.ok ? null : result.error.code,
    errorMessage: result.ok ? null : result.error.message,
    ...(!result.ok && result.error.retryAfterMs !== undefined ? { retryAfterMs: result.error.retryAfterMs } : {}),
    requestHeaders: logged,
    responseHeaders: response ? flattenHeaders(response.headers) : null,
    responseBody: response ? excerpt(response.body) : null,
  };
}

function flattenHeaders(headers: ResponseHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'set-cookie') continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function excerpt(body: Buffer): string {
  // Cut on a byte budget, then drop a character split in half by the cut.
  return body.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}
