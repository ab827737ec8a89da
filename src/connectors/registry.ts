// The connector catalogue: every folder under catalog/ with an index.ts default-exporting a connector.
// Adding a connector adds a folder; nothing here changes.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConnectorDefinition } from './sdk/define.ts';

export const CATALOG_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'catalog');

export interface ConnectorRegistry {
  /** A catalogue connector (defined in code). */
  get(id: string): ConnectorDefinition | undefined;
  list(): ConnectorDefinition[];
  /** A catalogue connector, or one of the workspace's run-time connectors (which only that workspace sees). */
  resolve(workspaceId: string, id: string): Promise<ConnectorDefinition | undefined>;
  /** The catalogue plus the workspace's run-time connectors, sorted by title. */
  listFor(workspaceId: string): Promise<ConnectorDefinition[]>;
  /** Plugs in where run-time connectors come from (src/custom-connectors), once the hub's services exist. */
  setRuntimeSource(source: RuntimeConnectorSource): void;
}

/** Connectors defined at run time, per workspace (custom REST, n8n-workflow and Spark connectors). */
export interface RuntimeConnectorSource {
  get(workspaceId: string, id: string): Promise<ConnectorDefinition | undefined>;
  list(workspaceId: string): Promise<ConnectorDefinition[]>;
}

const byTitle = (a: ConnectorDefinition, b: ConnectorDefinition) => a.title.localeCompare(b.title);

/** A registry over code-defined connectors; run-time ones join per workspace once a source is set. */
export function createRegistry(catalogue: Iterable<ConnectorDefinition>): ConnectorRegistry {
  const connectors = new Map<string, ConnectorDefinition>();
  for (const connector of catalogue) {
    if (connectors.has(connector.id)) throw new Error(`Connector id ${connector.id} is used twice`);
    connectors.set(connector.id, connector);
  }
  const sorted = [...connectors.values()].sort(byTitle);
  let runtime: RuntimeConnectorSource | null = null;
  return {
    get: (id) => connectors.get(id),
    list: () => sorted,
    async resolve(workspaceId, id) {
      return connectors.get(id) ?? (await runtime?.get(workspaceId, id));
    },
    async listFor(workspaceId) {
      const custom = runtime ? await runtime.list(workspaceId) : [];
      return custom.length === 0 ? sorted : [...sorted, ...custom.filter((c) => !connectors.has(c.id))].sort(byTitle);
    },
    setRuntimeSource(source) {
      runtime = source;
    },
  };
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
  return createRegistry(connectors.values());
}
