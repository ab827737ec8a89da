// The AI providers: every connector folder with an `ai.ts` beside its `index.ts`. Adding a provider adds
// a file to its connector's folder; nothing here changes.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOG_DIR } from '../../connectors/registry.ts';
import type { AiProviderDefinition } from './sdk.ts';

/** The default fallback order (seed 001): GLM first, then OpenAI, Claude, Mistral as the last resort. */
export const DEFAULT_CHAIN = ['glm', 'openai', 'anthropic', 'mistral'] as const;

export interface AiProviders {
  get(id: string): AiProviderDefinition | undefined;
  /** In the default chain's order, then any others by id. */
  list(): AiProviderDefinition[];
  /** The provider whose model ids look like this one (`claude-…` → anthropic), or undefined. */
  ownerOf(model: string): AiProviderDefinition | undefined;
}

export async function loadAiProviders(dir = CATALOG_DIR): Promise<AiProviders> {
  const providers = new Map<string, AiProviderDefinition>();
  for (const folder of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, folder.name, 'ai.ts');
    if (!folder.isDirectory() || !existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { default?: AiProviderDefinition };
    const provider = module.default;
    if (!provider?.chat) throw new Error(`${file} must default-export an AI provider made with defineAiProvider`);
    if (provider.id !== folder.name) throw new Error(`AI provider ${provider.id} must live in the connector folder ${provider.id}, not ${folder.name}`);
    providers.set(provider.id, provider);
  }
  const rank = (id: string) => {
    const position = (DEFAULT_CHAIN as readonly string[]).indexOf(id);
    return position === -1 ? DEFAULT_CHAIN.length : position;
  };
  const sorted = [...providers.values()].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  return {
    get: (id) => providers.get(id),
    list: () => sorted,
    ownerOf: (model) => sorted.find((provider) => provider.ownsModel(model)),
  };
}
