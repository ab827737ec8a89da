// One streamed HTTP attempt over the guarded dispatcher (server-sent events from AI providers): the
// answer's status and headers within a time limit, then its body as chunks, handed over as they arrive.
import { errors as undiciErrors, request as undiciRequest, type Dispatcher } from 'undici';
import type { OutboundResponse, ResponseHeaders } from './contracts.ts';
import type { Exchange } from './exchange.ts';
import { SsrfRefusedError } from './guarded-dispatcher.ts';

/** Non-2xx answers are read whole (they are error bodies), up to this many bytes. */
const ERROR_BODY_LIMIT = 256 * 1024;

/** The header phase of a stream: an error exchange, or a live 2xx body still to be read. */
export type StreamOpening =
  | { kind: 'exchange'; exchange: Exchange }
  | { kind: 'live'; status: number; headers: ResponseHeaders; body: AsyncIterable<Buffer>; destroy(): void };

export async function openStream(options: {
  dispatcher: Dispatcher;
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Connect and headers must complete within this. */
  timeoutMs: number;
  /** Longest silence between two body chunks. */
  idleTimeoutMs: number;
  callerSignal: AbortSignal | undefined;
}): Promise<StreamOpening> {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(options.callerSignal?.reason);
  options.callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('headers timeout'));
  }, options.timeoutMs);
  const release = () => {
    clearTimeout(timer);
    options.callerSignal?.removeEventListener('abort', onCallerAbort);
  };
  try {
    const response = await undiciRequest(options.url, {
      dispatcher: options.dispatcher,
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      signal: controller.signal,
      bodyTimeout: options.idleTimeoutMs,
    });
    clearTimeout(timer);
    const headers = response.headers as ResponseHeaders;
    if (response.statusCode < 200 || response.statusCode > 299) {
      const body = await readCapped(response.body as AsyncIterable<Buffer>, ERROR_BODY_LIMIT);
      release();
      const answer: OutboundResponse = { status: response.statusCode, headers, body };
      return { kind: 'exchange', exchange: { kind: 'response', response: answer } };
    }
    const source = response.body;
    // The caller's signal keeps working while the body flows; it is let go once the body ends.
    const body = (async function* () {
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) yield chunk;
      } finally {
        release();
      }
    })();
    return { kind: 'live', status: response.statusCode, headers, body, destroy: () => source.destroy() };
  } catch (error) {
    release();
    return { kind: 'exchange', exchange: failure(error, { timedOut, callerSignal: options.callerSignal, timeoutMs: options.timeoutMs }) };
  }
}

async function readCapped(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks);
}

/** Why a stream failed, in the client's codes; also used for failures while its body is read. */
export function failure(error: unknown, context: { timedOut: boolean; callerSignal: AbortSignal | undefined; timeoutMs: number }): Exchange & { kind: 'failed' } {
  if (context.callerSignal?.aborted) return { kind: 'failed', code: 'aborted', message: 'aborted by the caller' };
  if (context.timedOut) return { kind: 'failed', code: 'timeout', message: `no answer headers within ${context.timeoutMs} ms` };
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof SsrfRefusedError) return { kind: 'failed', code: 'ssrf_refused', message: current.message };
  }
  if (error instanceof undiciErrors.InvalidArgumentError) throw error;
  if (error instanceof undiciErrors.ConnectTimeoutError || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return { kind: 'failed', code: 'timeout', message: (error as Error).message };
  }
  const code = (error as { code?: string }).code;
  return { kind: 'failed', code: 'network', message: code ? `${code}: ${(error as Error).message}` : String(error) };
}
