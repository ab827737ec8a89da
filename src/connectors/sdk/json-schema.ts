// Converts a connector's zod schemas to JSON Schema (for the API, OpenAPI and the dashboard's forms).
import { z } from 'zod';
import { binaryOutput, type AuthSpec } from './define.ts';
import { credentialFields } from './credentials.ts';

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(schema: z.ZodType): JsonSchema {
  // 'input': forms describe what a user sends, before defaults and transforms are applied.
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // Bytes come back raw with their own content type; say so instead of an empty schema.
      if (ctx.zodSchema === binaryOutput) Object.assign(ctx.jsonSchema, { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' });
    },
  }) as JsonSchema;
}

/** The credential form: one string property per field, with the label, help text and a secret flag. */
export function credentialJsonSchema(auth: AuthSpec): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(credentialFields(auth))) {
    properties[name] = {
      type: 'string',
      title: field.label,
      ...(field.description ? { description: field.description } : {}),
      ...(field.pattern ? { pattern: field.pattern.regex.source } : {}),
      writeOnly: field.secret !== false,
    };
    if (!field.optional) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}
