// Server-sent events framing (the WHATWG event-stream format): bytes in, `{ event, data }` out, across
// chunk boundaries that may split lines or UTF-8 characters anywhere.
import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from './sdk.ts';

export function createSseDecoder(): { push(chunk: Buffer): SseEvent[]; end(): SseEvent[] } {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];

  const dispatch = (out: SseEvent[]) => {
    if (data.length > 0) out.push({ ...(event !== undefined ? { event } : {}), data: data.join('\n') });
    event = undefined;
    data = [];
  };

  const lines = (out: SseEvent[]) => {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) return;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      if (line === '') {
        dispatch(out);
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  };

  return {
    push(chunk) {
      buffer += decoder.write(chunk);
      const out: SseEvent[] = [];
      lines(out);
      return out;
    },
    /** At the end of the body: an event not closed by a blank line is dropped, as the format says. */
    end() {
      buffer += decoder.end();
      const out: SseEvent[] = [];
      lines(out);
      return out;
    },
  };
}
