// Run-time connectors of a workspace and every version of their definitions (each change is a new version;
// integrations follow the latest, and each run records the version it ran: see the README's design notes).
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../platform/db/schema.ts';

export const customConnectors = pgTable(
  'custom_connectors',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The connector id is `custom-<slug>`; fixed once created, since integrations refer to it. */
    slug: text('slug').notNull(),
    kind: text('kind', { enum: ['rest', 'n8n-workflow', 'spark'] }).notNull(),
    latestVersion: integer('latest_version').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Soft delete: its versions stay readable for the runs that used them. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('custom_connectors_workspace_slug_idx').on(t.workspaceId, t.slug).where(sql`${t.deletedAt} is null`)],
);

export const customConnectorVersions = pgTable(
  'custom_connector_versions',
  {
    customConnectorId: uuid('custom_connector_id')
      .notNull()
      .references(() => customConnectors.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** The validated definition (src/custom-connectors/definition.ts), defaults applied. */
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customConnectorId, t.version] }), index('custom_connector_versions_workspace_idx').on(t.workspaceId)],
);
