// Sends an adapter's wire request to an AI integration through the hub's one outbound client, and turns
// every way it can fail into a classified ProviderFailure: JSON calls, and streams read as SSE events.
import { applyAuth, resolveUrl } from '../../integrations/runtime/provider-http.ts';
import { scrub } from '../../integrations/runtime/scrub.ts';
import type { OutboundClient, OutboundResult } from '../../platform/outbound/index.ts';
import { createSseDecoder } from '../providers/sse.ts';
import type { ProviderFailure, SseEvent, WireRequest } from '../providers/sdk.ts';
import type { AiIntegration } from './integrations.ts';

export interface SendOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export type JsonAnswer = { ok: true; body: unknown; latencyMs: number } | { ok: false; failure: ProviderFailure; latencyMs: number };

function prepare(integration: AiIntegration, wire: WireRequest, accept: string) {
  const url = resolveUrl(integration.baseUrl, wire.path);
  const headers: Record<string, string> = { accept, 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(wire.headers ?? {})) headers[name.toLowerCase()] = value;
  if (integration.connector.authenticate) integration.connector.authenticate({ headers, url }, integration.config, integration.credential);
  else applyAuth(integration.connector.auth, integration.credential, url, headers);
  return { url, headers, body: JSON.stringify(wire.body) };
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Why a call that produced no usable answer failed, in the router's classes. */
export function failureOf(integration: AiIntegration, result: Extract<OutboundResult, { ok: false }>): ProviderFailure {
  const title = integration.provider.title;
  const { error } = result;
  if (error.code === 'http_error' && result.response) {
    const parsed = parseJson(result.response.body);
    const body = parsed.ok ? parsed.value : result.response.body.toString('utf8').slice(0, 500);
    const failure = integration.provider.classify(result.response.status, scrub(body, integration.secrets), error.retryAfterMs);
    return { ...failure, message: scrub(failure.message, integration.secrets) };
  }
  if (error.code === 'timeout') return { class: 'timeout', message: `${title} did not answer in time (${error.message})` };
  if (error.code === 'ssrf_refused') {
    // A configuration problem of this integration, not a passing one: never worth a retry.
    return { class: 'not_found', message: `${title} was not called: its address is not allowed (${error.message}). An operator can allow a private range with SWITCHBOARD_ALLOW_PRIVATE_NETWORKS.` };
  }
  return { class: 'network', message: `${title} could not be reached: ${error.message}`, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
}

export async function sendJson(outbound: OutboundClient, integration: AiIntegration, wire: WireRequest, options: SendOptions): Promise<JsonAnswer> {
  const { url, headers, body } = prepare(integration, wire, 'application/json');
  const result = await outbound.request({
    url,
    method: 'POST',
    headers,
    body,
    // The router retries and falls back itself, with a ledger row per attempt.
    retry: false,
    timeoutMs: Math.max(1, options.timeoutMs),
    ...(options.signal ? { signal: options.signal } : {}),
    labels: { connector: integration.provider.id, operation: 'ai', integration: integration.id },
  });
  if (!result.ok) return { ok: false, failure: failureOf(integration, result), latencyMs: result.latencyMs };
  const parsed = parseJson(result.body);
  if (!parsed.ok) {
    return { ok: false, failure: { class: 'invalid_response', message: `${integration.provider.title} answered ${result.status} with a body that is not JSON` }, latencyMs: result.latencyMs };
  }
  return { ok: true, body: scrub(parsed.value, integration.secrets), latencyMs: result.latencyMs };
}

export type EventStream =
  | {
      ok: true;
      /** SSE events as they arrive; throws a ProviderFailure-shaped error when the connection breaks. */
      events: AsyncIterable<SseEvent>;
      cancel(): void;
    }
  | { ok: false; failure: ProviderFailure };

/** Thrown by a stream's event iterator when the body breaks (cut connection, idle timeout). */
export class StreamBroken extends Error {
  override name = 'StreamBroken';
  readonly failure: ProviderFailure;
  constructor(failure: ProviderFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export async function openEventStream(
  outbound: OutboundClient,
  integration: AiIntegration,
  wire: WireRequest,
  options: SendOptions & { idleTimeoutMs: number },
): Promise<EventStream> {
  const { url, headers, body } = prepare(integration, wire, 'text/event-stream');
  const result = await outbound.stream({
    url,
    method: 'POST',
    headers,
    body,
    timeoutMs: Math.max(1, options.timeoutMs),
    idleTimeoutMs: Math.max(1, options.idleTimeoutMs),
    ...(options.signal ? { signal: options.signal } : {}),
    labels: { connector: integration.provider.id, operation: 'ai:stream', integration: integration.id },
  });
  if (!result.ok) return { ok: false, failure: failureOf(integration, result) };
  const contentType = String(result.headers['content-type'] ?? '');
  if (!contentType.includes('text/event-stream')) {
    // A 200 that is not a stream is usually an error object (some gateways answer errors with 200).
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of result.body) chunks.push(chunk);
    } catch {
      // What arrived is enough to describe it.
    }
    const text = scrub(Buffer.concat(chunks).toString('utf8').slice(0, 300), integration.secrets);
    return { ok: false, failure: { class: 'invalid_response', message: `${integration.provider.title} answered a stream request with ${contentType || 'no content type'}: ${text}` } };
  }
  const title = integration.provider.title;
  const events = (async function* () {
    const decoder = createSseDecoder();
    try {
      for await (const chunk of result.body) yield* decoder.push(chunk);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new StreamBroken({
        class: code === 'timeout' ? 'timeout' : code === 'aborted' ? 'network' : 'stream_interrupted',
        message: `${title} broke off the stream: ${(error as Error).message}`,
      });
    }
    yield* decoder.end();
  })();
  return { ok: true, events, cancel: result.cancel };
}
