// One HTTP attempt over the guarded dispatcher: send, read the body up to a cap, and turn every way it
// can go wrong into a coded value the retry loop can reason about.
import { errors as undiciErrors, request as undiciRequest, type Dispatcher } from 'undici';
import type { OutboundResponse } from './contracts.ts';
import { SsrfRefusedError } from './guarded-dispatcher.ts';

/** An answer (any status), or why none came. */
export type Exchange =
  | { kind: 'response'; response: OutboundResponse }
  | { kind: 'failed'; code: 'timeout' | 'network' | 'ssrf_refused' | 'response_too_large' | 'aborted'; message: string };

export async function exchange(options: {
  dispatcher: Dispatcher;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal;
  callerSignal: AbortSignal | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
}): Promise<Exchange> {
  const { signal, callerSignal, maxResponseBytes } = options;
  try {
    const response = await undiciRequest(options.url, {
      dispatcher: options.dispatcher,
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      signal,
    });
    // A HEAD answer's content-length describes a body that is not coming.
    const declared = options.method === 'HEAD' ? 0 : Number(response.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    if (declared <= maxResponseBytes) {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxResponseBytes) break;
        chunks.push(chunk);
      }
    }
    if (declared > maxResponseBytes || size > maxResponseBytes) {
      response.body.destroy();
      return { kind: 'failed', code: 'response_too_large', message: `response body exceeds ${maxResponseBytes} bytes` };
    }
    const headers = response.headers as OutboundResponse['headers'];
    return { kind: 'response', response: { status: response.statusCode, headers, body: Buffer.concat(chunks, size) } };
  } catch (error) {
    if (callerSignal?.aborted) return { kind: 'failed', code: 'aborted', message: 'aborted by the caller' };
    if (signal.aborted) return { kind: 'failed', code: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` };
    const refusal = findCause(error, (cause) => cause instanceof SsrfRefusedError);
    if (refusal) return { kind: 'failed', code: 'ssrf_refused', message: refusal.message };
    if (error instanceof undiciErrors.InvalidArgumentError) throw error;
    if (
      error instanceof undiciErrors.ConnectTimeoutError ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return { kind: 'failed', code: 'timeout', message: (error as Error).message };
    }
    const code = (error as { code?: string }).code;
    return { kind: 'failed', code: 'network', message: code ? `${code}: ${(error as Error).message}` : String(error) };
  }
}

function findCause(error: unknown, predicate: (error: Error) => boolean): Error | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (predicate(current)) return current;
  }
  return undefined;
}
