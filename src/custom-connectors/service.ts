// Run-time connectors: create, change (every change is a new version), delete, list their versions, and the
// source the connector registry asks for a workspace's run-time connectors. Integrations follow the latest
// version; every run records the version it used, and an older version can be restored as a new one.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { RuntimeConnectorSource } from '../connectors/registry.ts';
import type { ConnectorDefinition } from '../connectors/sdk/define.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { integrations } from '../integrations/tables.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { ApiError, notFound, type FieldProblem } from '../platform/errors.ts';
import type { HubContext } from '../platform/hub-context.ts';
import { newId } from '../platform/ids.ts';
import { compileDefinition } from './compile.ts';
import { CUSTOM_PREFIX, customDefinition, type CustomDefinition } from './definition.ts';
import { customConnectors, customConnectorVersions } from './tables.ts';

export type CustomConnectorRow = typeof customConnectors.$inferSelect;
export interface CustomConnectorRecord {
  row: CustomConnectorRow;
  definition: CustomDefinition;
}

function validationError(issues: z.core.$ZodIssue[], prefix = 'body'): ApiError {
  const details: FieldProblem[] = issues.map((issue) => ({ field: [prefix, ...issue.path.map(String)].join('.'), message: issue.message }));
  return new ApiError('validation_failed', `Invalid connector definition. ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, { details });
}

/** Validates a definition (shape, placeholders) and that the n8n or Livy integration it names is in this workspace. */
export async function validateDefinition(hub: HubContext, workspaceId: string, input: unknown): Promise<CustomDefinition> {
  const parsed = customDefinition.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const definition = parsed.data;
  if (definition.kind !== 'rest') {
    const expected = definition.kind === 'n8n-workflow' ? 'n8n' : 'livy';
    const [row] = await hub.db
      .select({ connectorId: integrations.connectorId })
      .from(integrations)
      .where(and(eq(integrations.id, definition.integrationId), eq(integrations.workspaceId, workspaceId), isNull(integrations.deletedAt)));
    if (!row || row.connectorId !== expected) {
      const what = expected === 'n8n' ? 'an n8n integration' : 'an Apache Livy integration';
      throw new ApiError('validation_failed', `body.integrationId must be ${what} of this workspace; connect one first (GET /api/v1/integrations lists them).`, {
        details: [{ field: 'body.integrationId', message: row ? `is a ${row.connectorId} integration` : 'no such integration in this workspace' }],
      });
    }
  }
  return definition;
}

export async function listCustomConnectors(hub: HubContext, workspaceId: string): Promise<CustomConnectorRecord[]> {
  const rows = await hub.db
    .select({ row: customConnectors, definition: customConnectorVersions.definition })
    .from(customConnectors)
    .innerJoin(customConnectorVersions, and(eq(customConnectorVersions.customConnectorId, customConnectors.id), eq(customConnectorVersions.version, customConnectors.latestVersion)))
    .where(and(eq(customConnectors.workspaceId, workspaceId), isNull(customConnectors.deletedAt)))
    .orderBy(customConnectors.slug);
  return rows.map(({ row, definition }) => ({ row, definition: definition as CustomDefinition }));
}

export async function loadCustomConnector(hub: HubContext, workspaceId: string, id: string): Promise<CustomConnectorRecord> {
  const [found] = await hub.db
    .select({ row: customConnectors, definition: customConnectorVersions.definition })
    .from(customConnectors)
    .innerJoin(customConnectorVersions, and(eq(customConnectorVersions.customConnectorId, customConnectors.id), eq(customConnectorVersions.version, customConnectors.latestVersion)))
    .where(and(eq(customConnectors.id, id), eq(customConnectors.workspaceId, workspaceId), isNull(customConnectors.deletedAt)));
  if (!found) throw notFound('Custom connector');
  return { row: found.row, definition: found.definition as CustomDefinition };
}

export async function createCustomConnector(hub: HubContext, principal: Principal, input: unknown, ip: string): Promise<CustomConnectorRecord> {
  const definition = await validateDefinition(hub, principal.workspaceId, input);
  if (hub.connectors.get(`${CUSTOM_PREFIX}${definition.slug}`)) {
    throw new ApiError('conflict', `The catalogue already has a connector ${CUSTOM_PREFIX}${definition.slug}; choose another slug.`, { details: [{ field: 'body.slug', message: 'is taken' }] });
  }
  const id = newId();
  const userId = principal.kind === 'api_key' ? null : principal.userId;
  try {
    return await hub.db.transaction(async (tx) => {
      const [row] = await tx.insert(customConnectors).values({ id, workspaceId: principal.workspaceId, slug: definition.slug, kind: definition.kind, latestVersion: 1, createdByUserId: userId }).returning();
      await tx.insert(customConnectorVersions).values({ customConnectorId: id, version: 1, workspaceId: principal.workspaceId, definition: definition as Record<string, unknown>, createdByUserId: userId });
      await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'custom_connector.created', targetType: 'custom_connector', targetId: id, ip, metadata: { slug: definition.slug, kind: definition.kind } });
      return { row: row!, definition };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError('conflict', `This workspace already has a custom connector "${definition.slug}"; change it with PATCH, or choose another slug.`, { details: [{ field: 'body.slug', message: 'is taken' }] });
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * A new version: the body's top-level fields over the latest definition (`kind` and `slug` are fixed, since
 * integrations refer to the connector id), or with `restoreVersion` an older version brought back as the newest.
 */
export async function updateCustomConnector(hub: HubContext, principal: Principal, id: string, patch: Record<string, unknown>, ip: string): Promise<CustomConnectorRecord> {
  const current = await loadCustomConnector(hub, principal.workspaceId, id);
  let base: Record<string, unknown> = current.definition as Record<string, unknown>;
  const { restoreVersion, ...changes } = patch;
  if (restoreVersion !== undefined) {
    const [old] = await hub.db
      .select({ definition: customConnectorVersions.definition })
      .from(customConnectorVersions)
      .where(and(eq(customConnectorVersions.customConnectorId, id), eq(customConnectorVersions.version, Number(restoreVersion))));
    if (!old) throw new ApiError('validation_failed', `There is no version ${String(restoreVersion)}; GET …/versions lists them.`, { details: [{ field: 'body.restoreVersion', message: 'unknown version' }] });
    base = old.definition;
  }
  for (const field of ['kind', 'slug'] as const) {
    if (changes[field] !== undefined && changes[field] !== current.definition[field]) {
      throw new ApiError('validation_failed', `${field} cannot change: integrations refer to ${CUSTOM_PREFIX}${current.definition.slug}. Create a new connector instead.`, {
        details: [{ field: `body.${field}`, message: 'cannot change' }],
      });
    }
  }
  const definition = await validateDefinition(hub, principal.workspaceId, { ...base, ...changes });
  const userId = principal.kind === 'api_key' ? null : principal.userId;
  return hub.db.transaction(async (tx) => {
    // Locked so two concurrent changes get consecutive versions rather than one failing on the key.
    const [locked] = await tx.select().from(customConnectors).where(eq(customConnectors.id, id)).for('update');
    const version = locked!.latestVersion + 1;
    await tx.insert(customConnectorVersions).values({ customConnectorId: id, version, workspaceId: principal.workspaceId, definition: definition as Record<string, unknown>, createdByUserId: userId });
    const [row] = await tx.update(customConnectors).set({ latestVersion: version, updatedAt: new Date() }).where(eq(customConnectors.id, id)).returning();
    await recordAudit(tx, {
      workspaceId: principal.workspaceId,
      actor: principal,
      action: 'custom_connector.updated',
      targetType: 'custom_connector',
      targetId: id,
      ip,
      metadata: { slug: definition.slug, version, ...(restoreVersion !== undefined ? { restoredFrom: Number(restoreVersion) } : {}) },
    });
    return { row: row!, definition };
  });
}

/** Soft delete, refused while integrations still use the connector (disconnect them first). */
export async function deleteCustomConnector(hub: HubContext, principal: Principal, id: string, ip: string): Promise<void> {
  const current = await loadCustomConnector(hub, principal.workspaceId, id);
  const users = await hub.db
    .select({ name: integrations.name })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, principal.workspaceId), eq(integrations.connectorId, `${CUSTOM_PREFIX}${current.row.slug}`), isNull(integrations.deletedAt)));
  if (users.length > 0) {
    throw new ApiError('conflict', `Integrations still use this connector (${users.map((u) => u.name).join(', ')}); disconnect them first.`);
  }
  await hub.db.transaction(async (tx) => {
    await tx.update(customConnectors).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(customConnectors.id, id));
    await recordAudit(tx, { workspaceId: principal.workspaceId, actor: principal, action: 'custom_connector.deleted', targetType: 'custom_connector', targetId: id, ip, metadata: { slug: current.row.slug } });
  });
}

export async function listVersions(hub: HubContext, workspaceId: string, id: string) {
  await loadCustomConnector(hub, workspaceId, id);
  return hub.db
    .select({ version: customConnectorVersions.version, definition: customConnectorVersions.definition, createdAt: customConnectorVersions.createdAt })
    .from(customConnectorVersions)
    .where(eq(customConnectorVersions.customConnectorId, id))
    .orderBy(desc(customConnectorVersions.version));
}

// ---- the registry's source ------------------------------------------------------------------------------------

const COMPILED_CACHE_SIZE = 500;

/**
 * Each lookup reads the latest version from the database (so every node sees a change at once); compiling
 * (JSON Schema → zod) is cached per connector version in this process.
 */
export function customConnectorSource(hub: HubContext): RuntimeConnectorSource {
  const compiled = new Map<string, ConnectorDefinition>();
  const compile = (row: CustomConnectorRow, definition: Record<string, unknown>): ConnectorDefinition => {
    const key = `${row.id}:${row.latestVersion}`;
    let connector = compiled.get(key);
    if (!connector) {
      connector = compileDefinition(hub, { customId: row.id, version: row.latestVersion, definition: customDefinition.parse(definition) });
      if (compiled.size >= COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, connector);
    }
    return connector;
  };
  const select = (workspaceId: string, slugs?: string[]) =>
    hub.db
      .select({ row: customConnectors, definition: customConnectorVersions.definition })
      .from(customConnectors)
      .innerJoin(customConnectorVersions, and(eq(customConnectorVersions.customConnectorId, customConnectors.id), eq(customConnectorVersions.version, customConnectors.latestVersion)))
      .where(and(eq(customConnectors.workspaceId, workspaceId), isNull(customConnectors.deletedAt), slugs ? inArray(customConnectors.slug, slugs) : undefined));
  return {
    async get(workspaceId, id) {
      if (!id.startsWith(CUSTOM_PREFIX)) return undefined;
      const [found] = await select(workspaceId, [id.slice(CUSTOM_PREFIX.length)]);
      return found ? compile(found.row, found.definition) : undefined;
    },
    async list(workspaceId) {
      return (await select(workspaceId)).map((found) => compile(found.row, found.definition));
    },
  };
}
