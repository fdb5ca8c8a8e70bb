// Compiles every workspace's src/ to dist/ (one .js per .ts/.tsx, the same layout), which is what
// `npm start`, `npm run worker`, the `herald` command and the Docker image run. Tests and `npm run
// dev` run the TypeScript sources instead, through the "development" export condition (README,
// "How it is built").
//
// esbuild rather than tsc: it compiles the whole repository in well under a second, so `npm start`
// can rebuild on every start and dist/ is never older than src/; type checking stays in `npm run
// typecheck`. Each file is its own entry point with every import kept as an import (nothing is
// bundled in this step), so file-relative paths (import.meta.url) mean what they mean in src/, and
// a relative import's .ts/.tsx extension is rewritten to .js, as tsc's
// rewriteRelativeImportExtensions does.
//
// One file is then bundled: the api server that `npm start` loads (apps/api/dist/serve-main.js,
// after main.js has turned on the compile cache). Resolving its ~600 modules one by one (a
// package.json lookup and a stat for each) took about 0.4 s of a 2 s cold start on a 2-core machine;
// from one file it takes none. Packages that find their own files at run time stay imports: PGlite
// (its WebAssembly and data, next to its module), pino (its transports run in worker threads),
// stripe (imported only when billing is on), swagger-ui-dist (served from its folder). Herald's own
// code finds its files through its packages' package.json (console assets, migrations), which means
// the same from the bundle as from a workspace's dist/.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  // A production install (npm ci --omit=dev) has no build tools; it runs the dist/ built before.
  console.error("build: esbuild is not installed (a production install); using the existing dist/");
  process.exit(0);
}

const keepImports = {
  name: "keep-imports",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const relative = args.path.startsWith("./") || args.path.startsWith("../");
      return { path: relative ? args.path.replace(/\.tsx?$/, ".js") : args.path, external: true };
    });
  },
};

const started = performance.now();
const workspaces = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).workspaces;
const packages = workspaces
  .filter((pattern) => pattern.endsWith("/*"))
  .flatMap((pattern) => {
    const parent = join(ROOT, pattern.slice(0, -2));
    return readdirSync(parent).map((name) => join(parent, name));
  })
  .filter((dir) => existsSync(join(dir, "package.json")) && existsSync(join(dir, "src")));

let files = 0;
await Promise.all(
  packages.map(async (dir) => {
    const entryPoints = readdirSync(join(dir, "src"), { recursive: true })
      .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.endsWith(".d.ts"))
      .map((file) => join(dir, "src", file));
    files += entryPoints.length;
    rmSync(join(dir, "dist"), { recursive: true, force: true });
    await esbuild.build({
      entryPoints,
      outdir: join(dir, "dist"),
      outbase: join(dir, "src"),
      bundle: true,
      plugins: [keepImports],
      format: "esm",
      platform: "node",
      target: "node20.18",
      tsconfig: join(ROOT, "tsconfig.base.json"),
      sourcemap: "linked",
      logLevel: "warning",
    });
  }),
);

// The server bundle, from the per-file output just written (the workspaces resolve to their dist/).
const server = join(ROOT, "apps/api/dist/serve-main.js");
const bundled = await esbuild.build({
  entryPoints: [server],
  outfile: server,
  allowOverwrite: true,
  write: false,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  sourcemap: "linked",
  logLevel: "warning",
  external: ["@electric-sql/pglite", "@electric-sql/pglite/*", "pino", "stripe", "swagger-ui-dist"],
  // CommonJS dependencies (undici, prom-client) require Node's built-ins; an ES module has no require.
  banner: {
    js: "import { createRequire as __heraldRequire } from 'node:module'; const require = __heraldRequire(import.meta.url);",
  },
});
for (const file of bundled.outputFiles) writeFileSync(file.path, file.contents);

if (process.argv.includes("--verbose") || process.env.CI)
  console.error(
    `build: ${files} files of ${packages.length} packages in ${Math.round(performance.now() - started)} ms`,
  );
