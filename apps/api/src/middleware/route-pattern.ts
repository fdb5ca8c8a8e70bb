import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/**
 * The route pattern that answered (`/v1/messages/{messageId}`), never the raw path: ids in paths
 * would make unbounded metric series and put identifiers in logs. Unknown paths collapse to one label.
 */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    // Handlers carry a method; app.use() middleware is registered as ALL.
    if (route && route.method !== "ALL") return route.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
  }
  return "(unmatched)";
}
