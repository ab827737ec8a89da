// A workspace's AI routes: the stored ones, and the built-in defaults that apply until a route is saved —
// GLM → OpenAI → Claude → Mistral for chat, and the providers that can do embeddings or images for those.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.ts';
import type { AiProviders } from '../providers/registry.ts';
import { aiRoutes, type RouteTargetRow } from '../tables.ts';

export type RouteKind = 'chat' | 'embeddings' | 'images';

export interface AiRoute {
  name: string;
  kind: RouteKind;
  targets: RouteTargetRow[];
  timeoutMs: number;
  attemptTimeoutMs: number;
  firstTokenTimeoutMs: number;
  retries: number;
  /** False for a built-in default that has not been saved. */
  stored: boolean;
  updatedAt: string | null;
}

export const ROUTE_DEFAULTS = { timeoutMs: 60_000, attemptTimeoutMs: 30_000, firstTokenTimeoutMs: 20_000, retries: 1 } as const;
/** The route each kind uses when a request names none (`route:default` for chat). */
export const DEFAULT_ROUTE_NAME: Record<RouteKind, string> = { chat: 'default', embeddings: 'embeddings', images: 'images' };

export function builtInRoute(providers: AiProviders, kind: RouteKind, name = DEFAULT_ROUTE_NAME[kind]): AiRoute {
  const targets: RouteTargetRow[] = [];
  for (const provider of providers.list()) {
    const model = kind === 'chat' ? provider.defaultModels.chat : kind === 'embeddings' ? provider.defaultModels.embeddings : provider.defaultModels.images;
    if (model && (kind === 'chat' || provider[kind])) targets.push({ provider: provider.id, model });
  }
  return { name, kind, targets, ...ROUTE_DEFAULTS, stored: false, updatedAt: null };
}

function fromRow(row: typeof aiRoutes.$inferSelect): AiRoute {
  return {
    name: row.name,
    kind: row.kind,
    targets: row.targets,
    timeoutMs: row.timeoutMs,
    attemptTimeoutMs: row.attemptTimeoutMs,
    firstTokenTimeoutMs: row.firstTokenTimeoutMs,
    retries: row.retries,
    stored: true,
    updatedAt: row.updatedAt.toISOString(),
  };
}

// Routes change when someone edits one; a few seconds of staleness on other nodes is acceptable.
const TTL_MS = 2_000;

export interface RouteStore {
  /** Stored routes of the workspace, by name. */
  stored(workspaceId: string): Promise<Map<string, AiRoute>>;
  /**
   * The route serving a task type: its own stored route, else the kind's default route (stored or built in).
   * A stored route of another kind under that name is not used (an embeddings route cannot serve chat).
   */
  resolve(workspaceId: string, kind: RouteKind, name: string | undefined): Promise<AiRoute>;
  /** Stored and built-in routes together, as the dashboard lists them. */
  list(workspaceId: string): Promise<AiRoute[]>;
  invalidate(workspaceId: string): void;
}

export function createRouteStore(db: Db, providers: AiProviders, now: () => number): RouteStore {
  const cache = new Map<string, { at: number; value: Promise<Map<string, AiRoute>> }>();

  const stored = (workspaceId: string) => {
    const hit = cache.get(workspaceId);
    if (hit && now() - hit.at < TTL_MS) return hit.value;
    const value = db
      .select()
      .from(aiRoutes)
      .where(eq(aiRoutes.workspaceId, workspaceId))
      .then((rows) => new Map(rows.map((row) => [row.name, fromRow(row)])));
    value.catch(() => cache.delete(workspaceId));
    cache.set(workspaceId, { at: now(), value });
    return value;
  };

  return {
    stored,
    async resolve(workspaceId, kind, name) {
      const routes = await stored(workspaceId);
      const own = name ? routes.get(name) : undefined;
      if (own && own.kind === kind) return own;
      const fallbackName = DEFAULT_ROUTE_NAME[kind];
      const fallback = routes.get(fallbackName);
      return fallback && fallback.kind === kind ? fallback : builtInRoute(providers, kind);
    },
    async list(workspaceId) {
      const routes = await stored(workspaceId);
      const all = new Map(routes);
      for (const kind of ['chat', 'embeddings', 'images'] as const) {
        const name = DEFAULT_ROUTE_NAME[kind];
        if (!all.has(name)) all.set(name, builtInRoute(providers, kind));
      }
      return [...all.values()].sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
    },
    invalidate: (workspaceId) => void cache.delete(workspaceId),
  };
}

/** Creates or replaces a stored route. */
export async function saveRoute(db: Db, input: { id: string; workspaceId: string } & Omit<AiRoute, 'stored' | 'updatedAt'>): Promise<AiRoute> {
  const values = {
    kind: input.kind,
    targets: input.targets,
    timeoutMs: input.timeoutMs,
    attemptTimeoutMs: input.attemptTimeoutMs,
    firstTokenTimeoutMs: input.firstTokenTimeoutMs,
    retries: input.retries,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(aiRoutes)
    .values({ id: input.id, workspaceId: input.workspaceId, name: input.name, ...values })
    .onConflictDoUpdate({ target: [aiRoutes.workspaceId, aiRoutes.name], set: values })
    .returning();
  return fromRow(row!);
}

export async function deleteRoute(db: Db, workspaceId: string, name: string): Promise<boolean> {
  const deleted = await db.delete(aiRoutes).where(and(eq(aiRoutes.workspaceId, workspaceId), eq(aiRoutes.name, name))).returning({ id: aiRoutes.id });
  return deleted.length > 0;
}
