// Static files: the console's own CSS and scripts (public/), and vendor builds read from node_modules
// (uPlot, Microsoft's teams-js), so nothing is fetched from a CDN.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

const require = createRequire(import.meta.url);
// Through the package's own package.json rather than this file's URL: the api's server bundle
// (scripts/build.mjs) runs this code from apps/api/dist.
const PUBLIC_DIR = join(dirname(require.resolve("@herald/console/package.json")), "public");
const own = (name: string) => () => join(PUBLIC_DIR, name);
const vendor = (specifier: string) => () => require.resolve(specifier);

const SOURCES: Record<string, () => string> = {
  "console.css": own("console.css"),
  "console.js": own("console.js"),
  "dom.js": own("dom.js"),
  "usage-chart.js": own("usage-chart.js"),
  "teams-configure.js": own("teams-configure.js"),
  "icon.svg": own("icon.svg"),
  "vendor/uPlot.iife.min.js": vendor("uplot/dist/uPlot.iife.min.js"),
  "vendor/uPlot.min.css": vendor("uplot/dist/uPlot.min.css"),
  "vendor/MicrosoftTeams.min.js": vendor("@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js"),
};

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

const cache = new Map<string, Asset>();

function load(name: string): Asset | undefined {
  const cached = cache.get(name);
  if (cached) return cached;
  // An own property only: "constructor" or "__proto__" must not find Object.prototype's.
  const source = Object.hasOwn(SOURCES, name) ? SOURCES[name] : undefined;
  if (!source) return undefined;
  const body = new Uint8Array(readFileSync(source()));
  const etag = createHash("sha256").update(body).digest("base64url").slice(0, 12);
  const asset = { body, type: TYPES[name.split(".").at(-1) ?? ""] ?? "application/octet-stream", etag };
  cache.set(name, asset);
  return asset;
}

/** The URL of an asset, versioned by its content so that browsers may cache it for good. */
export function assetUrl(name: keyof typeof SOURCES & string): string {
  const asset = load(name);
  if (!asset) throw new Error(`unknown console asset ${name}`);
  return `/console/assets/${name}?v=${asset.etag}`;
}

export function assetRoutes() {
  const app = new Hono();
  app.get("/console/assets/:name{.+}", (c) => {
    const asset = load(c.req.param("name"));
    if (!asset) return c.text("Not found", 404);
    const etag = `"${asset.etag}"`;
    const versioned = c.req.query("v") === asset.etag;
    c.header("Cache-Control", versioned ? "public, max-age=31536000, immutable" : "no-cache");
    c.header("ETag", etag);
    c.header("X-Content-Type-Options", "nosniff");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    c.header("Content-Type", asset.type);
    return c.body(asset.body);
  });
  return app;
}
