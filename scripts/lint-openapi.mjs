// Lints the API descriptions Herald serves, /openapi.json (3.1) and /openapi/swagger2.json (2.0, for
// Power Platform), with Redocly's recommended rules: any error fails CI. The documents are fetched
// from Herald itself, started on the embedded database in a scratch data directory, so what is
// linted is exactly what clients download.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "herald-openapi-"));

/** A port nothing listens on now. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const herald = spawn(
  process.execPath,
  ["--conditions=development", "--import", "tsx", "apps/api/src/main.ts"],
  {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HERALD_DATA_DIR: join(dir, "data"), HERALD_WORKER: "off" },
    stdio: ["ignore", "ignore", "inherit"],
  },
);
const stop = () => {
  herald.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
};

try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (herald.exitCode !== null)
      throw new Error(`Herald exited with ${herald.exitCode} before it was ready`);
    const ready = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error("Herald did not answer /healthz within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const files = [];
  for (const [path, name] of [
    ["/openapi.json", "openapi.json"],
    ["/openapi/swagger2.json", "swagger2.json"],
  ]) {
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    writeFileSync(join(dir, name), await res.text());
    files.push(join(dir, name));
  }
  const lint = spawn(
    process.execPath,
    [fileURLToPath(import.meta.resolve("@redocly/cli/bin/cli.js")), "lint", "--format=stylish", ...files],
    {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  const code = await new Promise((resolve) => lint.on("close", resolve));
  stop();
  process.exit(code ?? 1);
} catch (error) {
  stop();
  console.error(`lint-openapi: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
