// Counts tokens before a request is sent (cost estimates, budget reservations, rate limits, context-length
// filters). Providers use different BPE vocabularies, so this is an approximation that leans high: it
// reserves a little too much rather than let a budget be overspent.
import type { ChatMessage, ChatRequest, ToolDefinition } from './providers/sdk.ts';

// Per-message framing (role markers, separators) and the reply primer, as OpenAI documents for its chat format.
const PER_MESSAGE = 4;
const PER_REPLY = 3;
// A high-detail 1024×1024 image costs 765 tokens at OpenAI and ~1,600 at Anthropic; the larger one is assumed.
const PER_IMAGE = 1_600;

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const PIECE = /[\p{L}\p{M}]+|\p{N}+|\s+|[^\s\p{L}\p{M}\p{N}]/gu;

/** Tokens of a text: words at ~4 characters a token, numbers at 3 digits, CJK one per character, symbols one each. */
export function countTextTokens(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(PIECE)) {
    if (/^\s+$/.test(piece)) {
      // Runs of spaces and newlines merge into the following token, except long indentation.
      tokens += piece.length > 4 ? Math.ceil(piece.length / 8) : 0;
    } else if (/^\p{N}+$/u.test(piece)) {
      tokens += Math.ceil(piece.length / 3);
    } else if (/^[\p{L}\p{M}]+$/u.test(piece)) {
      let latin = 0;
      for (const char of piece) {
        if (CJK.test(char)) tokens += 1;
        else latin += 1;
      }
      if (latin > 0) tokens += Math.ceil(latin / 4);
    } else {
      tokens += 1;
    }
  }
  return tokens;
}

function contentTokens(content: ChatMessage['content']): number {
  if (content === null) return 0;
  if (typeof content === 'string') return countTextTokens(content);
  return content.reduce((sum, part) => sum + (part.type === 'text' ? countTextTokens(part.text) : PER_IMAGE), 0);
}

function toolTokens(tools: ToolDefinition[] | undefined): number {
  return (tools ?? []).reduce((sum, tool) => sum + countTextTokens(`${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.parameters)}`) + 8, 0);
}

/** Prompt tokens of a chat request: messages, tool definitions and any JSON Schema it carries. */
export function countPromptTokens(request: Pick<ChatRequest, 'messages' | 'tools' | 'responseFormat'>): number {
  let tokens = PER_REPLY + toolTokens(request.tools);
  for (const message of request.messages) {
    tokens += PER_MESSAGE + contentTokens(message.content);
    for (const call of message.toolCalls ?? []) tokens += countTextTokens(`${call.name} ${call.arguments}`) + 4;
  }
  if (request.responseFormat?.type === 'json_schema') tokens += countTextTokens(JSON.stringify(request.responseFormat.schema)) + 20;
  return tokens;
}

export function countInputTokens(inputs: readonly string[]): number {
  return inputs.reduce((sum, text) => sum + countTextTokens(text), 0);
}
