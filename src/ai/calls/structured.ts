// Structured output: checks a model's answer against the caller's JSON Schema, and words the single repair
// request that shows the model its mistake. A model that still cannot comply counts as a failed attempt,
// so the route falls back to its next target like for any other failure.
import { z } from 'zod';
import { ApiError } from '../../platform/errors.ts';
import type { ChatMessage } from '../providers/sdk.ts';

export type Verdict = { ok: true; value: unknown; text: string } | { ok: false; problems: string };

/** Builds the validator once per request; a schema zod cannot read is the caller's mistake (400). */
export function schemaValidator(schema: Record<string, unknown>, field = 'body.response_format.json_schema.schema'): (text: string | null) => Verdict {
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new ApiError('validation_failed', `The JSON Schema cannot be used: ${(error as Error).message}`, { details: [{ field, message: (error as Error).message }] });
  }
  return (text) => {
    if (text === null || text.trim() === '') return { ok: false, problems: 'the answer was empty' };
    // Models without native schema output sometimes wrap JSON in a Markdown fence.
    const unfenced = text.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, '$1');
    let value: unknown;
    try {
      value = JSON.parse(unfenced);
    } catch (error) {
      return { ok: false, problems: `the answer is not JSON (${(error as Error).message})` };
    }
    const parsed = validator.safeParse(value);
    if (parsed.success) return { ok: true, value, text: unfenced };
    return { ok: false, problems: parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ') };
  };
}

/** The conversation for the one repair attempt: the bad answer, and what is wrong with it. */
export function repairMessages(messages: ChatMessage[], badAnswer: string | null, problems: string): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: badAnswer ?? '' },
    { role: 'user', content: `That answer does not match the required JSON Schema: ${problems}. Reply again with only the corrected JSON value.` },
  ];
}
