// Request shapes of the OpenAI-compatible endpoints, as the official SDKs send them. Lenient where OpenAI
// is (unknown fields are accepted and ignored), strict where the router depends on a field.
import { z } from 'zod';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }) });
const contentPart = z.union([textPart, imagePart]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const chatMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
});

export const chatCompletionBody = z
  .looseObject({
    model: z.string().min(1).describe('A route (`route:default`, `route:<task type>`) or a model (`gpt-4o-mini`, `anthropic/claude-3-5-haiku-latest`)'),
    messages: z.array(chatMessage).min(1),
    tools: z
      .array(z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }) }))
      .optional(),
    tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })]).optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    response_format: z
      .union([
        z.object({ type: z.literal('text') }),
        z.object({ type: z.literal('json_object') }),
        z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().min(1).max(64), schema: z.record(z.string(), z.unknown()), strict: z.boolean().nullable().optional(), description: z.string().optional() }) }),
      ])
      .optional(),
    n: z.literal(1).nullable().optional().describe('Only one choice is supported'),
    user: z.string().optional(),
  })
  .describe('OpenAI chat completion request');
export type ChatCompletionBody = z.infer<typeof chatCompletionBody>;

export const embeddingsBody = z.looseObject({
  model: z.string().min(1).describe('A route (`route:embeddings`) or an embedding model'),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
});
export type EmbeddingsBody = z.infer<typeof embeddingsBody>;

export const imagesBody = z.looseObject({
  model: z.string().min(1).optional().describe('A route (`route:images`) or an image model; default route:images'),
  prompt: z.string().min(1).max(32_000),
  n: z.number().int().min(1).max(10).default(1),
  size: z.string().optional(),
  quality: z.string().optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  user: z.string().optional(),
});
export type ImagesBody = z.infer<typeof imagesBody>;
