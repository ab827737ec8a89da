// The SQL that creates the vault's tables, exactly as drizzle-kit generates it from ./tables.ts
// (migration.test.ts regenerates it and compares), so the hub's migration can be checked against it.
// Until the hub's migration set includes these tables, the vault's tests create them with this SQL.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/database.ts';

export const vaultMigrationStatements: readonly string[] = [
  `CREATE TABLE "vault_data_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"state" text NOT NULL,
	"master_key_id" text NOT NULL,
	"wrapped_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone,
	CONSTRAINT "vault_data_keys_workspace_version_unique" UNIQUE("workspace_id","version")
);`,
  `CREATE TABLE "vault_master_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "vault_master_keys_fingerprint_unique" UNIQUE("fingerprint")
);`,
  `ALTER TABLE "vault_data_keys" ADD CONSTRAINT "vault_data_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;`,
  `ALTER TABLE "vault_data_keys" ADD CONSTRAINT "vault_data_keys_master_key_id_vault_master_keys_id_fk" FOREIGN KEY ("master_key_id") REFERENCES "public"."vault_master_keys"("id") ON DELETE no action ON UPDATE no action;`,
  `CREATE UNIQUE INDEX "vault_data_keys_one_active_idx" ON "vault_data_keys" USING btree ("workspace_id") WHERE "vault_data_keys"."state" = 'active';`,
  `CREATE INDEX "vault_data_keys_master_key_idx" ON "vault_data_keys" USING btree ("master_key_id");`,
];

/** The statements in drizzle-kit's migration-file layout. */
export const vaultMigrationSql = vaultMigrationStatements.join('\n--> statement-breakpoint\n');

/**
 * Creates the vault's tables when the database has none (the hub's migrations do not include them yet).
 * A no-op once they do, so tests that call it keep working after the migration lands.
 */
export async function ensureVaultTables(db: Db): Promise<void> {
  const [row] = rowsOf<{ present: boolean }>(
    await db.execute(sql`select to_regclass('vault_data_keys') is not null as present`),
  );
  if (row?.present) return;
  await db.transaction(async (tx) => {
    for (const statement of vaultMigrationStatements) await tx.execute(sql.raw(statement));
  });
}
