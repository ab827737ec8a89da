// Reads the JSON Schemas the hub sends (zod's output, draft 2020-12) into the few field kinds the form draws.

/** A JSON Schema as the hub sends it; only the keywords the form understands are typed. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  writeOnly?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export type FieldKind =
  | 'text'
  | 'url'
  | 'email'
  | 'secret'
  | 'select'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'tags'
  | 'multiselect'
  | 'object'
  | 'record'
  | 'json';

/** The one non-null type of a schema (`["string", "null"]` reads as string), or null when it has none or several. */
export function baseType(schema: JsonSchema): string | null {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    return types.length === 1 ? (types[0] ?? null) : null;
  }
  if (schema.enum && schema.enum.every((value) => typeof value === 'string')) return 'string';
  return null;
}

/** A map of free keys to strings (zod's z.record(z.string(), z.string())): query parameters, headers. */
function isStringRecord(schema: JsonSchema): boolean {
  const extra = schema.additionalProperties;
  return (
    (!schema.properties || Object.keys(schema.properties).length === 0) &&
    typeof extra === 'object' &&
    extra !== null &&
    baseType(extra) === 'string' &&
    !extra.enum
  );
}

/**
 * How a field is drawn. `depth` is how deeply nested the field is: objects are opened one level only,
 * anything deeper (or anything the form has no input for) is edited as JSON.
 */
export function fieldKind(schema: JsonSchema, depth = 0): FieldKind {
  if (schema.anyOf || schema.oneOf) return 'json';
  const type = baseType(schema);
  switch (type) {
    case 'string':
      if (schema.enum) return 'select';
      if (schema.writeOnly) return 'secret';
      if (schema.format === 'uri' || schema.format === 'url') return 'url';
      if (schema.format === 'email') return 'email';
      return 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = schema.items ?? {};
      if (baseType(items) !== 'string') return 'json';
      return items.enum ? 'multiselect' : 'tags';
    }
    case 'object':
      if (isStringRecord(schema)) return 'record';
      if (depth === 0 && schema.properties && Object.keys(schema.properties).length > 0) return 'object';
      return 'json';
    default:
      return 'json';
  }
}

export function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {});
}

export function isRequired(parent: JsonSchema, key: string): boolean {
  return parent.required?.includes(key) ?? false;
}

// Words that read wrong when only capitalised.
const ACRONYMS: Record<string, string> = {
  api: 'API',
  id: 'ID',
  ids: 'IDs',
  url: 'URL',
  urls: 'URLs',
  uri: 'URI',
  json: 'JSON',
  http: 'HTTP',
  https: 'HTTPS',
  ip: 'IP',
  sql: 'SQL',
  oauth: 'OAuth',
  sku: 'SKU',
  ai: 'AI',
};

/** `baseUrl` → "Base URL", `max_pages` → "Max pages": the label of a property that has no title. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => ACRONYMS[word] ?? word);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function fieldLabelOf(key: string, schema: JsonSchema): string {
  return schema.title ?? humanize(key);
}

/** A bound worth showing in a number input: zod writes ±2^53 for "any safe integer", which says nothing. */
export function usefulBound(value: number | undefined): number | undefined {
  return value !== undefined && Math.abs(value) < 1e15 ? value : undefined;
}

/** The smallest value allowed, folding exclusiveMinimum into an inclusive one for integers. */
export function lowerBound(schema: JsonSchema, integer: boolean): number | undefined {
  if (schema.exclusiveMinimum !== undefined) return usefulBound(integer ? schema.exclusiveMinimum + 1 : schema.exclusiveMinimum);
  return usefulBound(schema.minimum);
}

export function upperBound(schema: JsonSchema, integer: boolean): number | undefined {
  if (schema.exclusiveMaximum !== undefined) return usefulBound(integer ? schema.exclusiveMaximum - 1 : schema.exclusiveMaximum);
  return usefulBound(schema.maximum);
}

/** True when the schema describes an object with nothing to fill in (an action without input, a connector without settings). */
export function hasNoFields(schema: JsonSchema): boolean {
  return baseType(schema) === 'object' && propertiesOf(schema).length === 0 && fieldKind(schema) !== 'record';
}
