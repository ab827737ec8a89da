// Turns the store's `GET /wp-json/wc/v3` index into a readable list of routes and methods (seed 002's
// "dynamic API discovery": what this particular store, with its plugins, exposes).
// Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#index
import { z } from 'zod';

const endpoint = z.looseObject({ methods: z.array(z.string()), args: z.record(z.string(), z.unknown()).or(z.array(z.unknown())).optional() });
export const apiIndex = z.looseObject({
  namespace: z.string(),
  routes: z.record(z.string(), z.looseObject({ methods: z.array(z.string()), endpoints: z.array(endpoint).optional() })),
});

export const discoveredRoute = z.object({
  /** As WordPress registers it, e.g. `/wc/v3/products/(?P<id>[\d]+)`. */
  route: z.string(),
  /** The same with named groups as placeholders, e.g. `/wc/v3/products/{id}`. */
  path: z.string(),
  methods: z.array(z.string()),
  /** Argument names per endpoint, when asked for. */
  endpoints: z.array(z.object({ methods: z.array(z.string()), args: z.array(z.string()) })).optional(),
});
export type DiscoveredRoute = z.infer<typeof discoveredRoute>;

/** `(?P<product_id>[\d]+)` → `{product_id}`; WordPress route patterns are PCRE with named groups. */
export function readablePath(route: string): string {
  return route.replace(/\(\?P<([A-Za-z_]\w*)>[^)]*\)/g, '{$1}');
}

export function listRoutes(index: z.infer<typeof apiIndex>, options: { includeArgs: boolean; contains?: string }): DiscoveredRoute[] {
  const needle = options.contains?.toLowerCase();
  return Object.entries(index.routes)
    .filter(([route]) => !needle || route.toLowerCase().includes(needle))
    .map(([route, entry]) => ({
      route,
      path: readablePath(route),
      // WordPress repeats methods across endpoints (GET, then POST/PUT/PATCH): keep each once, in order.
      methods: [...new Set(entry.methods)],
      ...(options.includeArgs
        ? {
            endpoints: (entry.endpoints ?? []).map((item) => ({
              methods: item.methods,
              // An endpoint without arguments comes back as `[]` rather than `{}`: PHP's empty array.
              args: item.args && !Array.isArray(item.args) ? Object.keys(item.args) : [],
            })),
          }
        : {}),
    }));
}
