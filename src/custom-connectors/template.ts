// The placeholder syntax of run-time connector definitions, and its safe substitution.
//
//   {{input.name}}   a value of the action's input (nested: {{input.customer.id}})
//   {{config.name}}  a value of the integration's settings
//
// That is the whole language: no expressions, no filters, nothing evaluated. Credentials are never a scope, so no
// template can copy a secret into a URL, header or body; they are placed only by the auth spec. Values are encoded
// for where they land: each path value with encodeURIComponent (and `.`/`..` refused, so a value cannot climb the
// path), query values by URLSearchParams, header values refused if they hold a line break, JSON values as JSON.
// A whole-string placeholder in a JSON body keeps the value's type (`"{{input.count}}"` → 3, not "3").

export const PLACEHOLDER = /\{\{\s*(input|config)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}/g;
const WHOLE = /^\{\{\s*(input|config)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}$/;

export type Scope = 'input' | 'config';
export interface Placeholder {
  scope: Scope;
  /** Property names after the scope: `input.a.b` → ['a', 'b']. */
  path: string[];
}
export type TemplateValues = Partial<Record<Scope, unknown>>;

/** A template that cannot be rendered with these values (a missing path value, a line break in a header). */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** The placeholders of a text; throws on `{{` that is not a valid placeholder, so typos fail when saved. */
export function placeholdersIn(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  const rest = text.replace(PLACEHOLDER, (_match, scope: Scope, dotted: string) => {
    found.push({ scope, path: dotted.slice(1).split('.') });
    return '';
  });
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new TemplateError(`"${text}" has a placeholder that is not {{input.name}} or {{config.name}}`);
  }
  return found;
}

/** Every placeholder in a JSON template (strings anywhere inside objects and arrays). */
export function placeholdersInJson(value: unknown): Placeholder[] {
  if (typeof value === 'string') return placeholdersIn(value);
  if (Array.isArray(value)) return value.flatMap(placeholdersInJson);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [...placeholdersIn(key), ...placeholdersInJson(inner)]);
  return [];
}

function lookup(values: TemplateValues, scope: Scope, path: string[]): unknown {
  let value: unknown = values[scope];
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const name = (scope: string, dotted: string) => `${scope}${dotted}`;

/** A URL path: every value encoded as one segment; a missing value, or `.`/`..`, is an error. */
export function renderPath(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_match, scope: Scope, dotted: string) => {
    const value = lookup(values, scope, dotted.slice(1).split('.'));
    if (value === undefined || value === null || value === '') throw new TemplateError(`${name(scope, dotted)} is needed in the request path but has no value`);
    const text = asText(value);
    if (text === '.' || text === '..') throw new TemplateError(`${name(scope, dotted)} may not be "${text}" in a path`);
    return encodeURIComponent(text);
  });
}

/**
 * A query or header value. A template that is one placeholder without a value renders as undefined (the
 * parameter or header is left out); inside longer text a missing value is empty.
 */
export function renderText(template: string, values: TemplateValues, where: 'query' | 'header'): string | undefined {
  const whole = WHOLE.exec(template);
  if (whole) {
    const value = lookup(values, whole[1] as Scope, whole[2]!.slice(1).split('.'));
    if (value === undefined || value === null) return undefined;
  }
  const text = template.replace(PLACEHOLDER, (_match, scope: Scope, dotted: string) => {
    const value = lookup(values, scope, dotted.slice(1).split('.'));
    return value === undefined || value === null ? '' : asText(value);
  });
  if (where === 'header' && /[\r\n\0]/.test(text)) throw new TemplateError('a header value may not contain a line break');
  return text;
}

/** A JSON body: whole-string placeholders keep their value's type (missing: the key is left out); others interpolate. */
export function renderJson(template: unknown, values: TemplateValues): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return lookup(values, whole[1] as Scope, whole[2]!.slice(1).split('.'));
    return template.replace(PLACEHOLDER, (_match, scope: Scope, dotted: string) => {
      const value = lookup(values, scope, dotted.slice(1).split('.'));
      return value === undefined || value === null ? '' : asText(value);
    });
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(item, values)).filter((item) => item !== undefined);
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(template)) {
      const rendered = renderJson(inner, values);
      if (rendered !== undefined) out[renderText(key, values, 'query') ?? key] = rendered;
    }
    return out;
  }
  return template;
}

/**
 * A base URL. When the template is one placeholder (`{{config.baseUrl}}`) the value must itself be an http(s)
 * URL; otherwise each value is encoded (a subdomain, a region) and the result must be an http(s) URL.
 */
export function renderBaseUrl(template: string, values: TemplateValues): string {
  const whole = WHOLE.exec(template);
  const text = whole
    ? asText(lookup(values, whole[1] as Scope, whole[2]!.slice(1).split('.')) ?? '')
    : template.replace(PLACEHOLDER, (_match, scope: Scope, dotted: string) => {
        const value = lookup(values, scope, dotted.slice(1).split('.'));
        if (value === undefined || value === null || value === '') throw new TemplateError(`${name(scope, dotted)} is needed in the base URL but has no value`);
        return encodeURIComponent(asText(value));
      });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TemplateError(`the base URL "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TemplateError('the base URL must be http or https');
  if (url.username || url.password) throw new TemplateError('the base URL may not carry a user name or password; use the auth settings');
  return url.toString();
}
