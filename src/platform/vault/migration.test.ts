import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import * as tables from '../db/tables.ts';
import { vaultMigrationSql, vaultMigrationStatements } from './migration.ts';
import * as vaultTables from './tables.ts';

describe('vault migration SQL', () => {
  it('is exactly what drizzle-kit generates from tables.ts', async () => {
    const { workspaces } = tables;
    const before = generateDrizzleJson({ workspaces });
    const after = generateDrizzleJson({ workspaces, ...vaultTables }, before.id);
    const generated = await generateMigration(before, after);
    // drizzle-kit orders CREATE TABLEs by how the schema module lists them, which re-exporting may change;
    // the set of statements is what must match (foreign keys always come after every CREATE TABLE).
    expect([...vaultMigrationStatements].sort()).toEqual(generated.map((statement) => statement.trim()).sort());
    expect(vaultMigrationSql.split('\n--> statement-breakpoint\n')).toEqual(vaultMigrationStatements);
  });

  it('is in the hub migration set once tables.ts re-exports the vault tables', async () => {
    // Until the hub wires the vault in, there is nothing to compare; afterwards the snapshot must match.
    if (!('vaultDataKeys' in tables)) return;
    const { readFileSync, readdirSync } = await import('node:fs');
    const folder = new URL('../db/migrations/', import.meta.url);
    const all = readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => readFileSync(new URL(name, folder), 'utf8'))
      .join('\n');
    for (const statement of vaultMigrationStatements) expect(all).toContain(statement);
  });
});
