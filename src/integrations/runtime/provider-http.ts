// Binds a connector to the outbound client for one integration: base URL, injected auth, the
// integration's rate budget, a breaker per provider host, typed answers and one record per call.
import type { OutboundClient, OutboundOperation, OutboundResult } from '../../platform/outbound/index.ts';
import type { AuthSpec, ConnectorDefinition } from '../../connectors/sdk/define.ts';
import { credentialFields } from '../../connectors/sdk/credentials.ts';
import { ProviderError, type ProviderHttp, type ProviderRequest, type ProviderResponse } from '../../connectors/sdk/provider-http.ts';
import { scrub, scrubBody, secretValues } from './scrub.ts';

/** Where the credential comes from; OAuth sources can refresh it when the provider answers 401. */
export interface CredentialSource {
  current(): Promise<Readonly<Record<string, string>>>;
  /** Gets a fresh credential after a 401 (OAuth refresh); null when there is nothing to refresh. */
  refresh?(): Promise<Readonly<Record<string, string>> | null>;
}

export interface ProviderHttpOptions {
  outbound: OutboundClient;
  connector: ConnectorDefinition;
  config: unknown;
  credentials: CredentialSource;
  workspaceId: string;
  /** Null while a new integration is checked before it is stored. */
  integrationId: string | null;
  /** Names the calls in the operation log: `action:sendData`, `proxy`, `check`. */
  operation: string;
  signal?: AbortSignal;
  onOperation?: (operation: OutboundOperation, name: string) => void;
}

export function baseUrlOf(connector: ConnectorDefinition, config: unknown): URL {
  const raw = typeof connector.baseUrl === 'function' ? connector.baseUrl(config) : connector.baseUrl;
  const url = new URL(raw);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Joins a relative path onto the base URL keeping the base's path (`/v1/` + `voices` → `/v1/voices`). */
export function resolveUrl(base: URL, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  return new URL(path.replace(/^\/+/, ''), base);
}

export function applyAuth(auth: AuthSpec, credential: Readonly<Record<string, string>>, url: URL, headers: Record<string, string>): void {
  if (auth.kind === 'oauth2' || auth.kind === 'oauth2ClientCredentials') {
    if (credential.accessToken) headers.authorization = `${credential.tokenType === 'mac' ? 'MAC' : 'Bearer'} ${credential.accessToken}`;
    return;
  }
  let basicUser: string | undefined;
  let basicPassword: string | undefined;
  for (const [name, field] of Object.entries(credentialFields(auth))) {
    const value = credential[name];
    if (value === undefined) continue;
    if (field.placement === 'header') headers[(field.name ?? name).toLowerCase()] = `${field.prefix ?? ''}${value}`;
    else if (field.placement === 'query') url.searchParams.set(field.name ?? name, value);
    else if (field.placement === 'basic-username') basicUser = value;
    else if (field.placement === 'basic-password') basicPassword = value;
  }
  if (basicUser !== undefined || basicPassword !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${basicUser ?? ''}:${basicPassword ?? ''}`).toString('base64')}`;
  }
}

function encodeBody(request: ProviderRequest, headers: Record<string, string>): string | Uint8Array | undefined {
  if (request.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return JSON.stringify(request.json);
  }
  if (request.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return new URLSearchParams(request.form).toString();
  }
  return request.body;
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (text === '') return null;
  if (contentType?.includes('json') || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Turns a failed outbound result into the error connector code sees, keeping the provider's own words. */
export function providerErrorOf(connector: ConnectorDefinition, result: Extract<OutboundResult, { ok: false }>): ProviderError {
  const response = result.response;
  const body = response ? parseBody(response.body, headerValue(response.headers, 'content-type')) : undefined;
  const detail = response ? summariseErrorBody(body) : result.error.message;
  return new ProviderError({
    code: result.error.code,
    status: result.error.status,
    body,
    ...(result.error.retryAfterMs !== undefined ? { retryAfterMs: result.error.retryAfterMs } : {}),
    ...(response ? { headers: response.headers } : {}),
    message: response
      ? `${connector.title} answered ${response.status}${detail ? `: ${detail}` : ''}`
      : result.error.code === 'ssrf_refused'
        ? `${connector.title} was not called: its address is not allowed (${detail}). An operator can allow a private range with SWITCHBOARD_ALLOW_PRIVATE_NETWORKS.`
        : `${connector.title} could not be reached: ${detail}`,
  });
}

/** The most telling short text of a provider's error body (`error.message`, `detail`, `message`, ...). */
export function summariseErrorBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  const nested = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : undefined;
  const candidates = [
    nested?.message,
    nested?.code,
    typeof record.error === 'string' ? record.error : undefined,
    record.message,
    record.detail && typeof record.detail === 'object' ? (record.detail as Record<string, unknown>).message : record.detail,
    record.error_description,
    record.code,
  ];
  const found = candidates.find((value) => typeof value === 'string' && value.length > 0) as string | undefined;
  const nestedCode = typeof nested?.code === 'string' || typeof nested?.code === 'number' ? String(nested.code) : undefined;
  const code = nestedCode !== undefined && found !== nestedCode ? ` (${nestedCode})` : '';
  return found ? `${found.slice(0, 300)}${code}` : JSON.stringify(body).slice(0, 300);
}

/** ProviderHttp plus `raw`, for the proxy: any answer comes back as it is, auth and policies still applied. */
export interface BoundProviderHttp extends ProviderHttp {
  raw(request: ProviderRequest): Promise<OutboundResult>;
}

export function createProviderHttp(options: ProviderHttpOptions): BoundProviderHttp {
  const { connector, outbound } = options;
  const base = baseUrlOf(connector, options.config);
  const rate = connector.rateLimit;
  const budgetKey = `integration:${options.integrationId ?? `check:${options.workspaceId}:${connector.id}`}`;
  const rateBudget = rate?.perSecond
    ? { key: budgetKey, perSecond: rate.perSecond }
    : rate?.perMinute
      ? { key: budgetKey, perMinute: rate.perMinute }
      : undefined;

  async function send(request: ProviderRequest, credential: Readonly<Record<string, string>>): Promise<OutboundResult> {
    const url = resolveUrl(base, request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: request.responseType === 'bytes' ? '*/*' : 'application/json', ...lowerCaseKeys(request.headers ?? {}) };
    if (connector.authenticate) connector.authenticate({ headers, url }, options.config, credential);
    else applyAuth(connector.auth, credential, url, headers);
    const body = encodeBody(request, headers);
    const cacheTtlMs = request.cache === true ? connector.cacheTtlMs : typeof request.cache === 'number' ? request.cache : undefined;
    const result = await outbound.request({
      url,
      method: request.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(request.retry !== undefined ? { retry: request.retry } : {}),
      ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
      ...(rateBudget ? { rateBudget } : {}),
      ...(cacheTtlMs ? { cacheTtlMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      breakerKey: `provider:${connector.id}:${base.host}`,
      labels: { connector: connector.id, operation: options.operation, ...(options.integrationId ? { integration: options.integrationId } : {}) },
    });
    options.onOperation?.(
      {
        // Some URLs are the credential (Zapier catch hooks, Make and n8n webhooks): the log keeps them redacted.
        url: scrub(`${url.origin}${url.pathname}`, secretValues(connector.auth, credential)),
        method: request.method ?? 'GET',
        status: result.ok ? result.status : (result.response?.status ?? null),
        latencyMs: result.latencyMs,
        attempts: result.attempts,
        errorCode: result.ok ? null : result.error.code,
        fromCache: result.ok ? result.fromCache : false,
        startedAt: Date.now() - result.latencyMs,
      },
      options.operation,
    );
    return result;
  }

  /** Sends with the current credential; after a 401, once more with a refreshed one when there is one. */
  async function sendWithRefresh(input: ProviderRequest): Promise<{ result: OutboundResult; secrets: string[] }> {
    let credential = await options.credentials.current();
    let result = await send(input, credential);
    if (!result.ok && result.error.status === 401 && options.credentials.refresh) {
      // One refresh and one retry: a 401 after a fresh token is the provider's final word.
      const refreshed = await options.credentials.refresh();
      if (refreshed) {
        credential = refreshed;
        result = await send(input, refreshed);
      }
    }
    return { result, secrets: secretValues(connector.auth, credential) };
  }

  async function request<T>(input: ProviderRequest): Promise<ProviderResponse<T>> {
    const { result, secrets } = await sendWithRefresh(input);
    if (!result.ok) {
      const error = providerErrorOf(connector, result);
      throw new ProviderError({
        code: error.code,
        message: scrub(error.message, secrets),
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.body !== undefined ? { body: scrub(error.body, secrets) } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        ...(error.headers !== undefined ? { headers: error.headers } : {}),
      });
    }
    const data =
      input.responseType === 'bytes'
        ? new Uint8Array(result.body)
        : input.responseType === 'text'
          ? result.body.toString('utf8')
          : parseBody(result.body, headerValue(result.headers, 'content-type'));
    return { status: result.status, headers: result.headers, data: data as T };
  }

  async function raw(input: ProviderRequest): Promise<OutboundResult> {
    const { result, secrets } = await sendWithRefresh(input);
    const answer = result.ok ? result : result.response;
    if (answer) answer.body = scrubBody(answer.body, headerValue(answer.headers, 'content-type'), secrets);
    return result;
  }

  return {
    request,
    raw,
    get: (path, rest = {}) => request({ ...rest, path, method: 'GET' }),
    post: (path, json, rest = {}) => request({ ...rest, path, method: 'POST', ...(json !== undefined ? { json } : {}) }),
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
