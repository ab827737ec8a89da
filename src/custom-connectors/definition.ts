// The declarative definition of a run-time connector, validated with zod: kind `rest` (requests as templates),
// `n8n-workflow` (a workflow of a connected n8n) and `spark` (an application run through a connected Livy).
// Shared by the routes, the tests and the dashboard's builder (its JSON editor validates against the same shapes).
import { z } from 'zod';
import { CATEGORIES } from '../connectors/sdk/define.ts';
import { placeholdersIn, placeholdersInJson, type Placeholder, type Scope } from './template.ts';

export const CUSTOM_KINDS = ['rest', 'n8n-workflow', 'spark'] as const;
export type CustomKind = (typeof CUSTOM_KINDS)[number];
/** Every run-time connector id starts with this, so it can never shadow a catalogue connector. */
export const CUSTOM_PREFIX = 'custom-';

/** A JSON Schema that zod can turn into a validator (z.fromJSONSchema), describing an object. */
export const objectJsonSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, ctx) => {
    if (schema.type !== 'object') ctx.addIssue({ code: 'custom', message: 'must be a JSON Schema with "type": "object"' });
    try {
      z.fromJSONSchema(schema as never);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not a JSON Schema zod can use: ${error instanceof Error ? error.message : String(error)}` });
    }
  })
  .describe('A JSON Schema of type object');
export type ObjectJsonSchema = Record<string, unknown>;

const template = z.string().max(2000);
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'cookie', 'authorization', 'proxy-authorization']);

export const requestTemplate = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  path: template
    .min(1)
    .refine((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.startsWith('//') && !p.includes('\\'), 'must be a path relative to the base URL, e.g. /items/{{input.id}}')
    .describe('Relative to the base URL; placeholders are encoded as one path segment each'),
  query: z.record(z.string().regex(/^[A-Za-z0-9_.[\]-]{1,100}$/, 'a query parameter name'), template).optional(),
  headers: z
    .record(z.string(), template)
    .superRefine((headers, ctx) => {
      for (const name of Object.keys(headers)) {
        if (!/^[A-Za-z0-9-]{1,100}$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is not a header name (letters, digits and dashes)' });
        else if (FORBIDDEN_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('proxy-')) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is set by the hub (auth goes in the auth settings)' });
        }
      }
    })
    .optional(),
  body: z.unknown().optional().describe('JSON sent as the body; strings may hold placeholders'),
});
export type RequestTemplate = z.infer<typeof requestTemplate>;

const label = z.string().trim().min(1).max(100);
const auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('apiKey'),
    in: z.enum(['header', 'query']),
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a header or query parameter name'),
    prefix: z.string().max(40).optional().describe('Put before the key in a header, e.g. "Token "'),
    label: label.optional(),
  }),
  z.object({ kind: z.literal('bearer'), label: label.optional() }),
  z.object({ kind: z.literal('basic'), usernameLabel: label.optional(), passwordLabel: label.optional() }),
]);

const dottedPath = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dotted path like data.items');

/** The pagination rules of src/connectors/sdk/paginate.ts, plus how many pages one action call may follow. */
const pagination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cursor'), itemsPath: dottedPath.optional(), cursorPath: dottedPath, cursorParam: z.string().min(1).max(100), cursorIn: z.enum(['query', 'body']).optional(), hasMorePath: dottedPath.optional(), maxPages: z.number().int().min(1).max(100).default(10) }),
  z.object({ kind: z.literal('link'), itemsPath: dottedPath.optional(), nextUrlPath: dottedPath.optional(), maxPages: z.number().int().min(1).max(100).default(10) }),
  z.object({ kind: z.literal('offset'), itemsPath: dottedPath.optional(), offsetParam: z.string().min(1).max(100), limitParam: z.string().min(1).max(100), pageSize: z.number().int().min(1).max(1000), start: z.number().int().min(0).optional(), maxPages: z.number().int().min(1).max(100).default(10) }),
  z.object({ kind: z.literal('page'), itemsPath: dottedPath.optional(), pageParam: z.string().min(1).max(100), pageSizeParam: z.string().min(1).max(100).optional(), pageSize: z.number().int().min(1).max(1000), start: z.number().int().min(0).optional(), totalPagesHeader: z.string().max(100).optional(), maxPages: z.number().int().min(1).max(100).default(10) }),
]);

const actionName = z.string().regex(/^[a-z][A-Za-z0-9]{1,60}$/, 'camelCase, e.g. listItems');
const restAction = z.object({
  name: actionName,
  title: label,
  description: z.string().trim().min(1).max(500),
  input: objectJsonSchema.default({ type: 'object', properties: {} }),
  request: requestTemplate,
  /** Where the interesting part of the answer is (`data.items`); the whole body when absent. */
  output: z.object({ path: dottedPath.optional() }).optional(),
  paginate: pagination.optional(),
});

const common = {
  slug: z.string().regex(/^[a-z][a-z0-9-]{1,32}$/, 'lower case letters, digits and dashes (2-33), starting with a letter; the connector id becomes custom-<slug>'),
  title: label,
  description: z.string().trim().min(1).max(1000),
  category: z.enum(CATEGORIES).default('custom'),
  docsUrl: z.url({ protocol: /^https?$/ }).optional(),
};

export const restDefinition = z.object({
  kind: z.literal('rest'),
  ...common,
  baseUrl: template.min(1).describe('e.g. https://api.example.com/v2, or {{config.baseUrl}} to ask for it when connecting'),
  config: objectJsonSchema.optional().describe('JSON Schema of the settings asked for when connecting'),
  auth,
  check: z.object({
    request: requestTemplate,
    /** Beyond a 2xx answer: the value at `path` must exist (and equal `equals` when given). */
    success: z.object({ path: dottedPath, equals: z.unknown().optional() }).optional(),
    /** Where the account's display name is in the answer (`user.login`); the host otherwise. */
    accountName: dottedPath.optional(),
  }),
  actions: z.array(restAction).min(1).max(50),
  defaultAction: actionName.optional(),
});

const integrationRef = z.uuid().describe('An integration in this workspace');
const workflowRef = z
  .object({
    webhookPath: z.string().min(1).max(500).optional().describe("The Webhook node's path (without /webhook/)"),
    workflowId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().describe('Or the workflow id: its first Webhook node is used'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    mode: z.enum(['production', 'test']).default('production'),
  })
  .refine((w) => w.webhookPath !== undefined || w.workflowId !== undefined, 'give webhookPath or workflowId');

export const n8nWorkflowDefinition = z.object({
  kind: z.literal('n8n-workflow'),
  ...common,
  category: z.enum(CATEGORIES).default('automation'),
  integrationId: integrationRef.describe('A connected n8n integration in this workspace'),
  workflow: workflowRef,
  input: objectJsonSchema.default({ type: 'object', properties: {} }),
  /** Where the result is in the workflow's answer (`data.result`); the whole answer when absent. */
  result: z.object({ path: dottedPath.optional() }).default({}),
  timeoutSeconds: z.number().int().min(1).max(300).default(60),
});

export const sparkDefinition = z.object({
  kind: z.literal('spark'),
  ...common,
  category: z.enum(CATEGORIES).default('data'),
  integrationId: integrationRef.describe('A connected Apache Livy integration in this workspace'),
  file: template.min(1).describe('The application file (jar or .py) the cluster can read'),
  className: z.string().max(500).optional(),
  args: z.array(template).max(200).default([]).describe('Arguments; placeholders from the input'),
  conf: z.record(z.string().max(200), template).default({}),
  name: template.optional().describe('Batch name template'),
  input: objectJsonSchema.default({ type: 'object', properties: {} }),
  poll: z
    .object({
      initialSeconds: z.number().min(0.05).max(60).default(2),
      maxSeconds: z.number().min(0.05).max(600).default(30),
    })
    .default({ initialSeconds: 2, maxSeconds: 30 })
    .describe('How often a run asks Livy for the state: from initialSeconds, doubling up to maxSeconds'),
  logLines: z.number().int().min(0).max(5000).default(200).describe('Log lines kept with a finished run'),
});

export const customDefinition = z.discriminatedUnion('kind', [restDefinition, n8nWorkflowDefinition, sparkDefinition]).superRefine(checkPlaceholders);
export type CustomDefinition = z.infer<typeof customDefinition>;
export type RestDefinition = z.infer<typeof restDefinition>;
export type N8nWorkflowDefinition = z.infer<typeof n8nWorkflowDefinition>;
export type SparkDefinition = z.infer<typeof sparkDefinition>;

/** Top-level property names of an object JSON Schema, and which of them are required. */
function propertiesOf(schema: ObjectJsonSchema | undefined): { names: Set<string>; required: Set<string> } {
  const properties = schema?.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
  const required = Array.isArray(schema?.required) ? (schema.required as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  return { names: new Set(properties), required: new Set(required) };
}

type Issue = { path: (string | number)[]; message: string };

/**
 * Every placeholder must name a property its scope declares, in a scope allowed where it stands; a path
 * placeholder must name a required property (so a valid input always fills the path).
 */
function checkPlaceholders(definition: z.infer<typeof restDefinition> | z.infer<typeof n8nWorkflowDefinition> | z.infer<typeof sparkDefinition>, ctx: z.RefinementCtx): void {
  const issues: Issue[] = [];
  const scan = (where: (string | number)[], found: () => Placeholder[], allowed: Partial<Record<Scope, { names: Set<string>; required: Set<string> }>>, requireIt = false) => {
    let placeholders: Placeholder[];
    try {
      placeholders = found();
    } catch (error) {
      issues.push({ path: where, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    for (const placeholder of placeholders) {
      const text = `{{${placeholder.scope}.${placeholder.path.join('.')}}}`;
      const scope = allowed[placeholder.scope];
      if (!scope) {
        issues.push({ path: where, message: `${text}: ${placeholder.scope} values are not available here (allowed: ${Object.keys(allowed).join(', ') || 'none'})` });
      } else if (!scope.names.has(placeholder.path[0]!)) {
        issues.push({ path: where, message: `${text}: ${placeholder.scope} has no property "${placeholder.path[0]}" (declare it in the ${placeholder.scope === 'input' ? 'input' : 'config'} schema)` });
      } else if (requireIt && (placeholder.path.length > 1 || !scope.required.has(placeholder.path[0]!))) {
        issues.push({ path: where, message: `${text}: a path placeholder must name a required top-level property` });
      }
    }
  };
  const scanRequest = (where: (string | number)[], request: RequestTemplate, allowed: Partial<Record<Scope, { names: Set<string>; required: Set<string> }>>) => {
    scan([...where, 'path'], () => placeholdersIn(request.path), allowed, true);
    for (const [key, value] of Object.entries(request.query ?? {})) scan([...where, 'query', key], () => placeholdersIn(value), allowed);
    for (const [key, value] of Object.entries(request.headers ?? {})) scan([...where, 'headers', key], () => placeholdersIn(value), allowed);
    if (request.body !== undefined) scan([...where, 'body'], () => placeholdersInJson(request.body), allowed);
  };

  if (definition.kind === 'rest') {
    const config = propertiesOf(definition.config);
    scan(['baseUrl'], () => placeholdersIn(definition.baseUrl), { config }, false);
    scanRequest(['check', 'request'], definition.check.request, { config });
    const names = new Set<string>();
    definition.actions.forEach((action, index) => {
      if (names.has(action.name)) issues.push({ path: ['actions', index, 'name'], message: `action ${action.name} is defined twice` });
      names.add(action.name);
      scanRequest(['actions', index, 'request'], action.request, { config, input: propertiesOf(action.input) });
      if (action.paginate && action.paginate.kind === 'cursor' && action.paginate.cursorIn === 'body' && action.request.method === 'GET') {
        issues.push({ path: ['actions', index, 'paginate', 'cursorIn'], message: 'a GET request has no body to carry the cursor' });
      }
    });
    if (definition.defaultAction && !names.has(definition.defaultAction)) issues.push({ path: ['defaultAction'], message: `there is no action ${definition.defaultAction}` });
  } else if (definition.kind === 'spark') {
    const input = propertiesOf(definition.input);
    scan(['file'], () => placeholdersIn(definition.file), { input });
    definition.args.forEach((arg, index) => scan(['args', index], () => placeholdersIn(arg), { input }));
    for (const [key, value] of Object.entries(definition.conf)) scan(['conf', key], () => placeholdersIn(value), { input });
    if (definition.name) scan(['name'], () => placeholdersIn(definition.name!), { input });
  }
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}
