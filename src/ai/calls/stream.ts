// A streamed chat completion through a route. Until the first token, a failing or silent target is
// abandoned for the next one like any failed attempt; from the first token on, the caller has an answer in
// progress, so a failure ends the stream with an explicit error and the ledger row is marked incomplete.
import { ProviderFailureError, type ChatDelta, type ChatRequest, type FinishReason, type ProviderFailure, type StreamParser, type Usage } from '../providers/sdk.ts';
import { breakerKey } from '../router/breakers.ts';
import { executeWithFallback, ledgerBase, usdMicros, type AttemptResult } from '../router/execute.ts';
import { StreamBroken, openEventStream } from '../router/transport.ts';
import type { AiRuntime } from '../runtime.ts';
import { countPromptTokens, countTextTokens } from '../tokenizer.ts';
import { chatNeeds, maxOutputOf, requestFor, type ChatCallInput } from './chat.ts';
import { routeError, routingHeaders } from './outcome.ts';
import { prepareCall } from './prepare.ts';

export interface StreamMeta {
  provider: string;
  model: string;
  route: string;
  taskType: string;
  attempts: number;
  fallbackReason: string | null;
  headers: Record<string, string>;
}

/** Where the stream goes (the HTTP answer): opened once, then deltas, then exactly one of end or fail. */
export interface StreamSink {
  open(meta: StreamMeta): void;
  delta(delta: ChatDelta): void;
  end(summary: { usage: Usage; finishReason: FinishReason }): void;
  fail(failure: ProviderFailure): void;
}

interface OpenStream {
  iterator: AsyncIterator<import('../providers/sdk.ts').SseEvent>;
  parser: StreamParser;
  /** Deltas read while waiting for the first token, the first token included. */
  buffered: ChatDelta[];
  cancel(): void;
  startedAt: number;
  firstTokenMs: number;
  request: ChatRequest;
}

const FIRST_TOKEN = (delta: ChatDelta) => delta.type === 'text' || delta.type === 'tool_call';

/** Resolves with the iterator's next item, or `timeout` when `ms` pass first (the pending read is left to fail quietly). */
function nextWithin<T>(iterator: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | 'timeout'> {
  const next = iterator.next();
  if (!Number.isFinite(ms)) return next;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      next.catch(() => {});
      resolve('timeout');
    }, Math.max(0, ms));
    next.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

function failureOfThrown(error: unknown): ProviderFailure {
  if (error instanceof StreamBroken || error instanceof ProviderFailureError) return error.failure;
  throw error;
}

function mergeUsage(into: Partial<Usage>, delta: Partial<Usage>): void {
  for (const [field, value] of Object.entries(delta) as [keyof Usage, number | undefined][]) if (value !== undefined) into[field] = value;
}

export async function streamChat(rt: AiRuntime, input: ChatCallInput, sink: StreamSink): Promise<void> {
  const promptTokens = countPromptTokens(input.request);
  const prepared = await prepareCall(rt, {
    workspaceId: input.workspaceId,
    requestId: input.requestId,
    kind: 'chat',
    model: input.model,
    taskType: input.taskType,
    streamed: true,
    needs: chatNeeds(input.request, promptTokens),
    promptTokens,
    maxOutputTokens: maxOutputOf(input.request),
  });
  const { route } = prepared.call;
  const signalOption = input.signal ? { signal: input.signal } : {};

  const executed = await executeWithFallback<OpenStream>(rt, prepared.call, prepared.plan, {
    deadline: prepared.deadline,
    ...signalOption,
    async attempt(candidate, info): Promise<AttemptResult<OpenStream>> {
      const startedAt = rt.now();
      const request = requestFor(input.request, candidate, prepared.budgeted);
      const firstTokenDeadline = startedAt + Math.min(route.firstTokenTimeoutMs, info.timeoutMs);
      const opened = await openEventStream(rt.hub.outbound, candidate.integration, candidate.provider.chat.request(request, { stream: true }), {
        timeoutMs: firstTokenDeadline - startedAt,
        idleTimeoutMs: route.timeoutMs,
        ...signalOption,
      });
      if (!opened.ok) return { ok: false, failure: opened.failure, latencyMs: rt.now() - startedAt };
      const parser = candidate.provider.chat.streamParser(request);
      const iterator = opened.events[Symbol.asyncIterator]();
      const buffered: ChatDelta[] = [];
      const fail = (failure: ProviderFailure): AttemptResult<OpenStream> => {
        opened.cancel();
        return { ok: false, failure, latencyMs: rt.now() - startedAt };
      };
      for (;;) {
        let next: IteratorResult<import('../providers/sdk.ts').SseEvent> | 'timeout';
        try {
          next = await nextWithin(iterator, firstTokenDeadline - rt.now());
        } catch (error) {
          return fail(failureOfThrown(error));
        }
        if (next === 'timeout') {
          return fail({ class: 'timeout', message: `${candidate.provider.title} sent no token within ${Math.round(firstTokenDeadline - startedAt)} ms` });
        }
        if (next.done) {
          // Ended before any token: a complete empty answer is still an answer; a cut-off one is not.
          if (parser.done || buffered.some((delta) => delta.type === 'finish')) break;
          return fail({ class: 'stream_interrupted', message: `${candidate.provider.title} ended the stream before its first token` });
        }
        try {
          buffered.push(...parser.push(next.value));
        } catch (error) {
          return fail(failureOfThrown(error));
        }
        if (buffered.some(FIRST_TOKEN) || parser.done) break;
      }
      const firstTokenMs = rt.now() - startedAt;
      return { ok: true, value: { iterator, parser, buffered, cancel: opened.cancel, startedAt, firstTokenMs, request }, usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, latencyMs: firstTokenMs, firstTokenMs, deferLedger: true };
    },
  });
  if (!executed.ok) {
    prepared.finish({ tokens: executed.tokens, costMicros: executed.costMicros });
    throw routeError(executed, route.name);
  }

  const { candidate } = executed;
  const stream = executed.value;
  sink.open({
    provider: candidate.provider.id,
    model: candidate.model,
    route: route.name,
    taskType: prepared.call.taskType,
    attempts: executed.attempts,
    fallbackReason: executed.fallbackReason,
    headers: routingHeaders(executed, route.name),
  });

  const usage: Partial<Usage> = {};
  let text = '';
  let toolText = '';
  let finishReason: FinishReason | null = null;
  const forward = (delta: ChatDelta) => {
    if (delta.type === 'usage') return mergeUsage(usage, delta.usage);
    if (delta.type === 'text') text += delta.text;
    if (delta.type === 'tool_call') toolText += `${delta.name ?? ''}${delta.arguments}`;
    if (delta.type === 'finish') finishReason = delta.reason;
    sink.delta(delta);
  };
  for (const delta of stream.buffered) forward(delta);

  let failure: ProviderFailure | null = null;
  let cancelled = false;
  let timedOut = false;
  const deadlineTimer = setTimeout(() => {
    timedOut = true;
    stream.cancel();
  }, Math.max(0, prepared.deadline - rt.now()));
  try {
    while (!stream.parser.done) {
      const next = await stream.iterator.next();
      if (next.done) {
        if (finishReason === null) failure = { class: 'stream_interrupted', message: `${candidate.provider.title} ended the stream without finishing its answer` };
        break;
      }
      for (const delta of stream.parser.push(next.value)) forward(delta);
    }
  } catch (error) {
    if (input.signal?.aborted) cancelled = true;
    else if (timedOut) failure = { class: 'timeout', message: `The route's limit of ${route.timeoutMs} ms passed while ${candidate.provider.title} was still answering` };
    else failure = failureOfThrown(error);
  } finally {
    clearTimeout(deadlineTimer);
  }
  if (failure || cancelled) stream.cancel();

  const reported = usage.inputTokens !== undefined && usage.outputTokens !== undefined;
  const finalUsage: Usage = {
    inputTokens: usage.inputTokens ?? countPromptTokens(stream.request),
    outputTokens: usage.outputTokens ?? countTextTokens(text) + countTextTokens(toolText),
    cachedTokens: usage.cachedTokens ?? 0,
    reasoningTokens: usage.reasoningTokens ?? 0,
  };
  const complete = !failure && !cancelled;
  const key = breakerKey(candidate.provider.id, candidate.model);
  if (failure) rt.breakers.failure(key);
  const cost = rt.ledger.record({
    ...ledgerBase(prepared.call, candidate, executed.attemptNo, new Date(stream.startedAt)),
    usage: finalUsage,
    estimated: !reported,
    latencyMs: rt.now() - stream.startedAt,
    firstTokenMs: stream.firstTokenMs,
    success: complete,
    incomplete: !complete,
    errorClass: failure?.class ?? (cancelled ? 'cancelled' : null),
    errorMessage: failure?.message ?? (cancelled ? 'The caller went away before the answer was complete.' : null),
    fallbackReason: executed.fallbackReason,
  });
  prepared.finish({ tokens: executed.tokens + finalUsage.inputTokens + finalUsage.outputTokens, costMicros: executed.costMicros + usdMicros(cost?.usd) });
  if (failure) sink.fail(failure);
  else if (!cancelled) sink.end({ usage: finalUsage, finishReason: finishReason ?? 'stop' });
}
