// Every connector in the catalogue: complete metadata, schemas that convert to JSON Schema, a contract
// test of its own, and a unique id — checked for each folder, so a new connector cannot skip them.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_DIR, loadCatalog } from './registry.ts';
import { binaryOutput, CATEGORIES } from './sdk/define.ts';
import { credentialJsonSchema, toJsonSchema } from './sdk/json-schema.ts';

const registry = await loadCatalog();
const connectors = registry.list();

describe('the connector catalogue', () => {
  it('loads one connector per folder, with unique ids matching their folders', () => {
    const folders = readdirSync(CATALOG_DIR, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(path.join(CATALOG_DIR, e.name, 'index.ts')));
    expect(connectors.map((c) => c.id).sort()).toEqual(folders.map((f) => f.name).sort());
    expect(new Set(connectors.map((c) => c.id)).size).toBe(connectors.length);
  });

  describe.each(connectors.map((c) => [c.id, c] as const))('%s', (_id, connector) => {
    it('has complete metadata', () => {
      expect(connector.title.trim()).not.toBe('');
      expect(connector.description.length).toBeGreaterThan(20);
      expect(CATEGORIES).toContain(connector.category);
      expect(connector.docsUrl).toMatch(/^https:\/\//);
      expect(connector.logo.trim()).toMatch(/^<svg[\s\S]*<\/svg>$/);
      // Logos are rendered as images: they must not fetch anything or run scripts.
      expect(connector.logo).not.toMatch(/<script|href=["']?(?!#)|url\(/i);
      expect(connector.actions.length).toBeGreaterThanOrEqual(2);
      for (const action of connector.actions) {
        expect(action.title.trim()).not.toBe('');
        expect(action.description.trim()).not.toBe('');
      }
    });

    it('has schemas that convert to JSON Schema', () => {
      expect(toJsonSchema(connector.config)).toMatchObject({ type: 'object' });
      expect(credentialJsonSchema(connector.auth)).toMatchObject({ type: 'object' });
      for (const action of connector.actions) {
        expect(toJsonSchema(action.input)).toBeTypeOf('object');
        const output = toJsonSchema(action.output);
        // Binary answers are announced as such, so clients know to expect bytes.
        if (action.output === binaryOutput) expect(output).toMatchObject({ type: 'string', format: 'binary' });
        else expect(output).toBeTypeOf('object');
      }
    });

    it('has a contract test', () => {
      const files = readdirSync(path.join(CATALOG_DIR, connector.id));
      expect(files.some((file) => file.endsWith('.contract.test.ts'))).toBe(true);
    });
  });
});
