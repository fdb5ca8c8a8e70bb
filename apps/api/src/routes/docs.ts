// GET /docs: the API reference, and the few Swagger UI files it needs, served from node_modules.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import { DOCS_SCRIPT, DOCS_STYLE, docsPage } from "../docs/page.ts";
import type { AppEnv } from "../hono-env.ts";

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** Only these names are served: the route never turns a request into an arbitrary file path. */
type AssetBody = string | Uint8Array<ArrayBuffer>;
const binary = async (path: string): Promise<AssetBody> => new Uint8Array(await readFile(path));

const ASSETS: Record<string, { type: string; load: () => Promise<AssetBody> }> = {
  "swagger-ui-bundle.js": {
    type: "text/javascript; charset=utf-8",
    load: () => readFile(join(swaggerUiDir, "swagger-ui-bundle.js"), "utf8"),
  },
  "swagger-ui.css": {
    type: "text/css; charset=utf-8",
    load: () => readFile(join(swaggerUiDir, "swagger-ui.css"), "utf8"),
  },
  "favicon-32x32.png": { type: "image/png", load: () => binary(join(swaggerUiDir, "favicon-32x32.png")) },
  "docs.js": { type: "text/javascript; charset=utf-8", load: async () => DOCS_SCRIPT },
  "docs.css": { type: "text/css; charset=utf-8", load: async () => DOCS_STYLE },
};

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes and injects a few style elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function docsRoutes() {
  const app = new Hono<AppEnv>();
  const cache = new Map<string, Promise<AssetBody>>();

  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    c.header("X-Content-Type-Options", "nosniff");
    return c.html(docsPage());
  });

  app.get("/docs/assets/:file", async (c) => {
    const name = c.req.param("file");
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.notFound();
    let body = cache.get(name);
    if (!body) {
      body = asset.load();
      cache.set(name, body);
      body.catch(() => cache.delete(name));
    }
    c.header("Content-Type", asset.type);
    c.header("Cache-Control", "public, max-age=3600");
    c.header("X-Content-Type-Options", "nosniff");
    const data = await body;
    return typeof data === "string" ? c.body(data, 200) : c.body(data, 200);
  });

  return app;
}
