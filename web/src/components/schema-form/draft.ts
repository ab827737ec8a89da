// A schema form's editable state (the "draft"): built from defaults or saved values, read back into the
// value the API takes with the checks a person should hear about before a round trip, and the API's own
// field problems placed on the inputs they concern.
import type { FieldProblem } from '../../api.ts';
import { fieldKind, isRequired, lowerBound, propertiesOf, upperBound, type JsonSchema } from './schema.ts';

export interface RecordEntry {
  key: string;
  value: string;
}

/** What one input holds while it is edited: text as typed, numbers possibly empty, JSON as its source. */
export type DraftValue = string | number | boolean | string[] | RecordEntry[] | Draft;
export interface Draft {
  [key: string]: DraftValue;
}

/** Problems by field path (`baseUrl`, `auth.token`), as shown under each input. */
export type FieldErrors = Record<string, string>;

function draftValue(schema: JsonSchema, value: unknown, depth: number): DraftValue {
  const kind = fieldKind(schema, depth);
  switch (kind) {
    case 'text':
    case 'url':
    case 'email':
    case 'secret':
    case 'select':
      return value === undefined || value === null ? '' : String(value);
    case 'number':
    case 'integer':
      return typeof value === 'number' ? value : '';
    case 'boolean':
      return value === true;
    case 'tags':
    case 'multiselect':
      return Array.isArray(value) ? value.map(String) : [];
    case 'object':
      return initialDraft(schema, value, depth + 1);
    case 'record':
      return value && typeof value === 'object' ? Object.entries(value).map(([key, item]) => ({ key, value: String(item) })) : [];
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
  }
}

/** The draft of a form: each field from `values` when given (editing), otherwise from the schema's default. */
export function initialDraft(schema: JsonSchema, values?: unknown, depth = 0): Draft {
  const saved = values && typeof values === 'object' ? (values as Record<string, unknown>) : {};
  const draft: Draft = {};
  for (const [key, property] of propertiesOf(schema)) {
    draft[key] = draftValue(property, key in saved ? saved[key] : property.default, depth);
  }
  return draft;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isValidUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function patternProblem(schema: JsonSchema, text: string): string | null {
  if (!schema.pattern) return null;
  try {
    return new RegExp(schema.pattern, 'u').test(text) ? null : `Does not match the expected format (${schema.pattern}).`;
  } catch {
    // A pattern the browser's RegExp cannot read: the hub checks it anyway.
    return null;
  }
}

/** Reads one field; `undefined` means "leave it out of the value". Problems go into `errors`. */
function readField(schema: JsonSchema, raw: DraftValue | undefined, required: boolean, path: string, depth: number, errors: FieldErrors): unknown {
  const kind = fieldKind(schema, depth);
  const fail = (message: string) => {
    errors[path] = message;
    return undefined;
  };
  switch (kind) {
    case 'text':
    case 'url':
    case 'email':
    case 'secret': {
      const text = typeof raw === 'string' ? raw : '';
      if (text.trim() === '') return required ? fail('Required.') : undefined;
      if (kind === 'url' && !isValidUrl(text.trim())) return fail('Enter a full URL starting with http:// or https://.');
      if (schema.minLength !== undefined && text.length < schema.minLength) return fail(`At least ${schema.minLength} characters.`);
      if (schema.maxLength !== undefined && text.length > schema.maxLength) return fail(`At most ${schema.maxLength} characters.`);
      const problem = patternProblem(schema, text);
      if (problem) return fail(problem);
      // Addresses are trimmed (a pasted URL often carries a space); other text is sent as typed.
      return kind === 'url' || kind === 'email' ? text.trim() : text;
    }
    case 'select': {
      const text = typeof raw === 'string' ? raw : '';
      if (text === '') return required ? fail('Choose one.') : undefined;
      // Options are shown as text; send the enum's own value (a number stays a number).
      return schema.enum?.find((option) => String(option) === text) ?? text;
    }
    case 'number':
    case 'integer': {
      if (raw === '' || raw === undefined) return required ? fail('Required.') : undefined;
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(value)) return fail('Enter a number.');
      if (kind === 'integer' && !Number.isInteger(value)) return fail('Enter a whole number.');
      const min = lowerBound(schema, kind === 'integer');
      const max = upperBound(schema, kind === 'integer');
      if (min !== undefined && value < min) return fail(`At least ${min}.`);
      if (max !== undefined && value > max) return fail(`At most ${max}.`);
      return value;
    }
    case 'boolean':
      return raw === true;
    case 'tags':
    case 'multiselect': {
      const items = Array.isArray(raw) ? (raw as string[]) : [];
      if (items.length === 0) return required ? fail('Add at least one.') : undefined;
      if (schema.minItems !== undefined && items.length < schema.minItems) return fail(`Add at least ${schema.minItems}.`);
      return items;
    }
    case 'object': {
      const value = readObject(schema, (raw ?? {}) as Draft, path, depth + 1, errors);
      return Object.keys(value).length === 0 && !required ? undefined : value;
    }
    case 'record': {
      const entries = (Array.isArray(raw) ? raw : []) as RecordEntry[];
      const value: Record<string, string> = {};
      for (const entry of entries) {
        const key = entry.key.trim();
        if (key === '' && entry.value === '') continue;
        if (key === '') return fail('Every value needs a name.');
        if (key in value) return fail(`"${key}" is given twice.`);
        value[key] = entry.value;
      }
      if (Object.keys(value).length === 0) return required ? fail('Add at least one.') : undefined;
      return value;
    }
    case 'json': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '') return required ? fail('Required.') : undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return fail('Not valid JSON. Strings need double quotes, e.g. "text".');
      }
    }
  }
}

function readObject(schema: JsonSchema, draft: Draft, path: string, depth: number, errors: FieldErrors): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, property] of propertiesOf(schema)) {
    const read = readField(property, draft[key], isRequired(schema, key), join(path, key), depth, errors);
    if (read !== undefined) value[key] = read;
  }
  return value;
}

/** The value to send, and the problems found (empty when it may be sent). */
export function readDraft(schema: JsonSchema, draft: Draft): { value: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const value = readObject(schema, draft, '', 0, errors);
  return { value, errors };
}

/** Every path the form draws an input for, deepest first, so a problem lands on the closest input. */
function inputPaths(schema: JsonSchema, path = '', depth = 0): string[] {
  const paths: string[] = [];
  for (const [key, property] of propertiesOf(schema)) {
    const here = join(path, key);
    if (fieldKind(property, depth) === 'object') paths.push(...inputPaths(property, here, depth + 1));
    paths.push(here);
  }
  return paths;
}

/**
 * Places the API's field problems (`body.config.baseUrl`) on this form's inputs. `prefix` is where the
 * form's value sits in the request (`body.config.`). A problem deeper than any input (`query.page` under
 * a key/value input) goes on that input, with the rest of its path; problems no input owns are returned.
 */
export function placeFieldProblems(
  schema: JsonSchema,
  problems: readonly FieldProblem[],
  prefix: string,
): { errors: FieldErrors; unplaced: FieldProblem[] } {
  const errors: FieldErrors = {};
  const unplaced: FieldProblem[] = [];
  const paths = inputPaths(schema);
  for (const problem of problems) {
    if (!problem.field.startsWith(prefix)) {
      unplaced.push(problem);
      continue;
    }
    const relative = problem.field.slice(prefix.length);
    const owner = paths.find((path) => relative === path || relative.startsWith(`${path}.`));
    if (!owner) {
      unplaced.push(problem);
      continue;
    }
    const rest = relative.slice(owner.length + 1);
    const message = rest ? `${rest}: ${problem.message}` : problem.message;
    errors[owner] = errors[owner] ? `${errors[owner]} ${message}` : message;
  }
  return { errors, unplaced };
}

/** True when a form has at least one error; the step or section holding it should be shown. */
export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
