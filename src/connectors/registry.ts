// The connector catalogue: every folder under catalog/ with an index.ts default-exporting a connector.
// Adding a connector adds a folder; nothing here changes.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConnectorDefinition } from './sdk/define.ts';

export const CATALOG_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'catalog');

export interface ConnectorRegistry {
  get(id: string): ConnectorDefinition | undefined;
  list(): ConnectorDefinition[];
}

export async function loadCatalog(dir = CATALOG_DIR): Promise<ConnectorRegistry> {
  const connectors = new Map<string, ConnectorDefinition>();
  const folders = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const folder of folders) {
    const entry = path.join(dir, folder.name, 'index.ts');
    if (!existsSync(entry)) continue;
    const module = (await import(pathToFileURL(entry).href)) as { default?: ConnectorDefinition };
    const connector = module.default;
    if (!connector?.id) throw new Error(`${entry} must default-export a connector made with defineConnector`);
    if (connectors.has(connector.id)) throw new Error(`Connector id ${connector.id} is used twice (${entry})`);
    if (connector.id !== folder.name) throw new Error(`Connector ${connector.id} must live in a folder named ${connector.id}, not ${folder.name}`);
    connectors.set(connector.id, connector);
  }
  const sorted = [...connectors.values()].sort((a, b) => a.title.localeCompare(b.title));
  return { get: (id) => connectors.get(id), list: () => sorted };
}
