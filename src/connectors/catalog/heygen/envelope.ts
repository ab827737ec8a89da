// HeyGen's two answer envelopes and its error bodies: v1 endpoints wrap data as `{ code: 100, data, message }`,
// v2 endpoints as `{ error: null, data }`; errors carry a numeric `code` and a `message`, at the top level
// (v1) or under `error` (v2).
// Docs: https://docs.heygen.com/reference/errors, https://docs.heygen.com/reference/video-status,
//       https://docs.heygen.com/reference/list-avatars-v2, https://docs.heygen.com/reference/get-current-user-information
import type { z } from 'zod';
import { ProviderError } from '../../sdk/provider-http.ts';

/** v1's success code; anything else in a v1 envelope is a refusal, even on HTTP 200. */
const V1_SUCCESS = 100;

/** "Invalid credentials provided (40009)" from either error shape, or undefined when the body has neither. */
export function heygenErrorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body.slice(0, 300) : undefined;
  const record = body as Record<string, unknown>;
  const source = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  if (typeof record.error === 'string') return record.error;
  const message = typeof source.message === 'string' && source.message ? source.message : typeof source.detail === 'string' ? source.detail : undefined;
  if (!message) return undefined;
  const code = typeof source.code === 'number' || typeof source.code === 'string' ? ` (${source.code})` : '';
  return `${message}${code}`;
}

function refusal(body: unknown, status: number): ProviderError {
  return new ProviderError({ code: 'invalid_response', status, body, message: `HeyGen refused the request: ${heygenErrorDetail(body) ?? 'no reason given'}` });
}

function parsed<T>(schema: z.ZodType<T>, data: unknown, body: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new ProviderError({ code: 'invalid_response', body, message: `HeyGen answered ${what} in an unexpected shape` });
  return result.data;
}

/** The `data` of a v1 answer, validated; a non-100 code becomes a ProviderError with HeyGen's message. */
export function unwrapV1<T>(answer: { status: number; data: unknown }, schema: z.ZodType<T>, what: string): T {
  const body = answer.data as { code?: unknown; data?: unknown } | null;
  if (!body || typeof body !== 'object' || body.code !== V1_SUCCESS) throw refusal(answer.data, answer.status);
  return parsed(schema, body.data, answer.data, what);
}

/** The `data` of a v2 answer, validated; a non-null `error` becomes a ProviderError with HeyGen's message. */
export function unwrapV2<T>(answer: { status: number; data: unknown }, schema: z.ZodType<T>, what: string): T {
  const body = answer.data as { error?: unknown; data?: unknown } | null;
  if (!body || typeof body !== 'object' || (body.error !== null && body.error !== undefined)) throw refusal(answer.data, answer.status);
  return parsed(schema, body.data, answer.data, what);
}
