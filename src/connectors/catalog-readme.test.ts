// The README's "Providers in the seeds" table against the registry: every connector has its row, and each row
// says what the connector really has (category, actions, syncs, inbound webhooks), so the table stays true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './registry.ts';

const registry = await loadCatalog();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.split('### Providers in the seeds')[1]?.split('\n## ')[0] ?? '';

interface Row {
  provider: string;
  seeds: string;
  category: string;
  connector: string | null;
  check: string;
  actions: string[];
  syncs: string[];
  webhooks: string;
}

/** `a`, `b` → [a, b]; — → []. */
const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

const rows: Row[] = section
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| provider') && !line.startsWith('| ---'))
  .map((line) => {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const [provider, seeds, category, connector, check, actions, syncs, webhooks] = cells as [string, string, string, string, string, string, string, string];
    return { provider, seeds, category, connector: codes(connector)[0] ?? null, check, actions: codes(actions), syncs: codes(syncs), webhooks };
  });

describe('the README provider table', () => {
  it('exists and names seeds for every provider', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row.seeds, row.provider).toMatch(/^00\d/);
  });

  it('has one row per catalogue connector, and no row for a connector that does not exist', () => {
    const listed = rows.map((row) => row.connector).filter((id): id is string => id !== null);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(registry.list().map((connector) => connector.id).sort());
  });

  describe.each(registry.list().map((connector) => [connector.id, connector] as const))('%s', (id, connector) => {
    const row = rows.find((candidate) => candidate.connector === id)!;

    it('states its category, check, actions, syncs and inbound webhooks as the connector has them', () => {
      expect(row, `README row for ${id}`).toBeDefined();
      expect(row.category).toBe(connector.category);
      expect(row.check).toMatch(/^yes\b/);
      expect(row.actions).toEqual(connector.actions.map((action) => action.name));
      expect(row.syncs).toEqual((connector.syncs ?? []).map((sync) => sync.name));
      expect(row.webhooks).toBe(connector.webhooks ? 'yes' : '—');
    });
  });

  it('marks providers without a connector as not yet', () => {
    for (const row of rows.filter((candidate) => candidate.connector === null)) {
      expect(row.check, row.provider).toBe('not yet');
      expect(row.syncs).toEqual([]);
    }
  });
});
