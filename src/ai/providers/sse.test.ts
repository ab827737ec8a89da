// The SSE decoder: events split anywhere across chunks (mid-line, mid-UTF-8 character, between \r and \n),
// comments ignored, multi-line data joined, and an unfinished last event dropped.
import { describe, expect, it } from 'vitest';
import { createSseDecoder } from './sse.ts';

function decode(chunks: (string | Buffer)[]) {
  const decoder = createSseDecoder();
  const events = chunks.flatMap((chunk) => decoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  return [...events, ...decoder.end()];
}

describe('SSE decoder', () => {
  it('frames events split at any byte, including inside a multi-byte character', () => {
    const text = Buffer.from('event: message_start\ndata: {"t":"你好"}\n\n: keep-alive\r\ndata: a\r\ndata: b\r\n\r\ndata: [DONE]\n\n');
    const whole = decode([text]);
    expect(whole).toEqual([{ event: 'message_start', data: '{"t":"你好"}' }, { data: 'a\nb' }, { data: '[DONE]' }]);
    for (let cut = 1; cut < text.length; cut++) expect(decode([text.subarray(0, cut), text.subarray(cut)])).toEqual(whole);
  });

  it('drops an event the stream did not finish', () => {
    expect(decode(['data: one\n\ndata: {"cut":'])).toEqual([{ data: 'one' }]);
  });
});
