// Shapes of the custom-connector routes, shared by the server, its tests and the dashboard's builder.
import { z } from 'zod';
import { iso, isoDate } from '../platform/http/pagination.ts';
import { CUSTOM_KINDS, CUSTOM_PREFIX } from './definition.ts';
import type { CustomConnectorRecord } from './service.ts';

export const customConnectorView = z.object({
  id: z.string(),
  /** What integrations and GET /api/v1/connectors call it: `custom-<slug>`. */
  connectorId: z.string(),
  slug: z.string(),
  kind: z.enum(CUSTOM_KINDS),
  title: z.string(),
  version: z.number().int(),
  definition: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CustomConnectorView = z.infer<typeof customConnectorView>;

export function toCustomConnectorView(record: CustomConnectorRecord): CustomConnectorView {
  return {
    id: record.row.id,
    connectorId: `${CUSTOM_PREFIX}${record.row.slug}`,
    slug: record.row.slug,
    kind: record.row.kind,
    title: record.definition.title,
    version: record.row.latestVersion,
    definition: record.definition as Record<string, unknown>,
    createdAt: iso(record.row.createdAt) as string,
    updatedAt: iso(record.row.updatedAt) as string,
  };
}

export const versionView = z.object({ version: z.number().int(), definition: z.record(z.string(), z.unknown()), createdAt: isoDate });

/** POST /api/v1/connectors/custom/try: an unsaved definition checked, or one of its actions run, without storing anything. */
export const tryBody = z.object({
  definition: z.record(z.string(), z.unknown()),
  config: z.record(z.string(), z.unknown()).default({}),
  credentials: z.record(z.string(), z.unknown()).default({}),
  /** Absent: the connection check. */
  action: z.string().max(60).optional(),
  input: z.unknown().optional(),
});

export const tryResult = z.object({
  check: z.object({ ok: z.boolean(), message: z.string().optional(), field: z.string().optional(), account: z.record(z.string(), z.unknown()).optional() }),
  action: z.object({ ok: z.boolean(), output: z.unknown().optional(), message: z.string().optional(), status: z.number().optional(), providerBody: z.unknown().optional() }).nullable(),
  /** The provider calls made, as the operation log would show them. */
  calls: z.array(z.object({ method: z.string(), url: z.string(), status: z.number().nullable(), latencyMs: z.number() })),
});
