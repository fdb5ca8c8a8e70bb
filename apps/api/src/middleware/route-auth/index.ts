// Authentication declared once per route: each OpenAPI route's `security` (in its createRoute)
// decides which credentials it requires, so mounting a route cannot forget its authentication and
// the document generators read is the rule the server enforces. `security: []` marks a route as
// public; a /v1 or /admin route that declares nothing stops the app from being built.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "../../hono-env.ts";

export type SecurityRequirement = Record<string, readonly string[]>;

export interface RouteAuthOptions {
  /** The app whose OpenAPI registry holds the routes (read once, on the first request). */
  app: OpenAPIHono<AppEnv>;
  /** The middleware that checks each security scheme named in the document. */
  schemes: Readonly<Record<string, readonly MiddlewareHandler<AppEnv>[]>>;
}

export interface DeclaredRoute {
  method: string;
  path: string;
  security: readonly SecurityRequirement[] | undefined;
}

/** The routes in the app's OpenAPI registry, with their declared security. */
export function declaredRoutes(app: OpenAPIHono<AppEnv>): DeclaredRoute[] {
  return app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === "route"
      ? [{ method: d.route.method.toUpperCase(), path: d.route.path, security: d.route.security }]
      : [],
  );
}

export function routeAuth(options: RouteAuthOptions): MiddlewareHandler<AppEnv> {
  let router: TrieRouter<readonly MiddlewareHandler<AppEnv>[]> | undefined;

  const build = () => {
    const r = new TrieRouter<readonly MiddlewareHandler<AppEnv>[]>();
    for (const route of declaredRoutes(options.app)) {
      r.add(route.method, route.path.replace(/\{(\w+)\}/g, ":$1"), chainFor(route));
    }
    return r;
  };

  const chainFor = (route: DeclaredRoute): readonly MiddlewareHandler<AppEnv>[] => {
    // Undeclared routes outside /v1 and /admin (ops, docs) are public; assertRoutesDeclareSecurity
    // refuses undeclared ones inside them when the app is built.
    if (route.security === undefined || route.security.length === 0) return [];
    // Alternatives (e.g. license headers or Basic) are checked by one middleware per scheme family;
    // the first alternative names it.
    const names = Object.keys(route.security[0] ?? {});
    return names.flatMap((name) => {
      const chain = options.schemes[name];
      if (!chain) throw new Error(`${route.method} ${route.path}: unknown security scheme ${name}`);
      return chain;
    });
  };

  return async function routeAuthMiddleware(c, next) {
    router ??= build();
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const [matches] = router.match(method, c.req.path);
    const chain = matches[0]?.[0];
    if (!chain || chain.length === 0) return next();
    const run = async (i: number): Promise<void> => {
      const handler = chain[i];
      if (!handler) return next();
      await handler(c, () => run(i + 1));
    };
    await run(0);
  };
}

/** Checked when the app is built, so a route without a declaration fails every test at once. */
export function assertRoutesDeclareSecurity(
  app: OpenAPIHono<AppEnv>,
  guardedPrefixes: readonly string[] = ["/v1/", "/admin/"],
) {
  const missing = declaredRoutes(app).filter(
    (r) => r.security === undefined && guardedPrefixes.some((p) => r.path.startsWith(p)),
  );
  if (missing.length > 0) {
    throw new Error(
      `Routes without a security declaration: ${missing.map((r) => `${r.method} ${r.path}`).join(", ")}. ` +
        "Declare security in createRoute (security: [] for a public route).",
    );
  }
}
