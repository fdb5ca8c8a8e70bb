// The deployment files, checked without Docker: docker-compose.yml is valid YAML naming the images,
// services and environment Herald needs (and that environment passes Herald's own config parser);
// the Dockerfile is multi-stage, non-root, and copies every workspace manifest npm ci needs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "@herald/api";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, runProcess } from "../support/cli.ts";
import { TEST_SECRET } from "../support/harness.ts";
import { startApiProcess } from "../support/processes.ts";
import { scratchDatabase } from "../support/scratch-db.ts";

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  restart?: string;
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as Compose;
const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const HERALD_SERVICES = ["migrate", "api", "worker"];

/** Compose's interpolation: ${VAR}, ${VAR:-default} and ${VAR:?error}. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const given = env[name];
    if (given !== undefined && given !== "") return given;
    if (op === "?") throw new Error(`${name}: ${arg}`);
    return op === "-" ? (arg ?? "") : "";
  });
}

const environmentOf = (service: string, env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [
      k,
      interpolate(String(v), env),
    ]),
  );

describe("docker-compose.yml", () => {
  it("names PostgreSQL, a one-shot migration, two api replicas and two workers, all of Herald's image", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["api", "migrate", "postgres", "worker"]);
    expect(compose.services.postgres?.image).toMatch(/^postgres:1[4-9]/);
    for (const name of HERALD_SERVICES) {
      const service = compose.services[name];
      expect(service?.image, name).toBe("herald:local");
      expect(service?.build, name).toBe(".");
    }
    expect(compose.services.migrate?.command).toEqual(["node", "apps/cli/bin/herald.js", "migrate"]);
    expect(compose.services.migrate?.restart).toBe("no");
    expect(compose.services.api?.deploy?.replicas).toBe(2);
    expect(compose.services.worker?.deploy?.replicas).toBe(2);
    expect(compose.services.worker?.command).toEqual(["node", "apps/cli/bin/herald.js", "worker"]);
    expect(existsSync(join(ROOT, "apps/cli/bin/herald.js"))).toBe(true);
    // Replicas start after the migration finished, which starts once PostgreSQL answers.
    expect(compose.services.migrate?.depends_on?.postgres?.condition).toBe("service_healthy");
    for (const name of ["api", "worker"]) {
      expect(compose.services[name]?.depends_on?.migrate?.condition, name).toBe(
        "service_completed_successfully",
      );
    }
    expect(compose.volumes).toHaveProperty("pgdata");
  });

  it("gives every Herald service the environment it needs, pointing at the postgres service", () => {
    for (const name of HERALD_SERVICES) {
      const env = compose.services[name]?.environment ?? {};
      for (const variable of [
        "DATABASE_URL",
        "HERALD_SECRET",
        "HERALD_WEBHOOK_HOSTS",
        "HERALD_ADMIN_TOKEN",
      ]) {
        expect(env, `${name} ${variable}`).toHaveProperty(variable);
      }
      const url = new URL(interpolate(env.DATABASE_URL ?? "", {}));
      const pg = compose.services.postgres?.environment ?? {};
      expect(url.hostname).toBe("postgres");
      expect(url.username).toBe(pg.POSTGRES_USER);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(decodeURIComponent(url.password)).toBe(interpolate(pg.POSTGRES_PASSWORD ?? "", {}));
    }
    expect(compose.services.api?.environment?.HERALD_WORKER).toBe("off");
    expect(compose.services.worker?.environment?.HERALD_WORKER).toBeUndefined();
  });

  it("requires HERALD_SECRET, and its environment passes Herald's configuration parser", () => {
    expect(() => environmentOf("api", {})).toThrow(/HERALD_SECRET: set HERALD_SECRET/);
    const shell = {
      HERALD_SECRET: "0123456789abcdef0123456789abcdef",
      HERALD_ADMIN_TOKEN: "admin-token-0123456789",
    };
    const api = loadConfig(environmentOf("api", shell));
    expect(api).toMatchObject({
      worker: "off",
      port: 3000,
      adminToken: shell.HERALD_ADMIN_TOKEN,
      secret: shell.HERALD_SECRET,
    });
    expect(api.databaseUrl).toMatch(/^postgres:\/\/herald:.+@postgres:5432\/herald$/);
    expect(api.webhookHosts.length).toBeGreaterThan(0); // empty HERALD_WEBHOOK_HOSTS: Microsoft's hosts
    const worker = loadConfig(environmentOf("worker", shell));
    expect(worker).toMatchObject({ worker: "in-process", metricsPort: 9464 });
    expect(loadConfig(environmentOf("migrate", shell)).databaseUrl).toBe(api.databaseUrl);
  });
});

describe("npm start", () => {
  it("runs JavaScript compiled from the sources: no tsx and no TypeScript file in the process", async () => {
    const build = await runProcess(process.execPath, ["scripts/build.mjs"]);
    expect(build.code, build.stderr).toBe(0);
    const db = await scratchDatabase();
    // NODE_DEBUG=esm makes Node log every module it loads.
    const api = await startApiProcess(
      { DATABASE_URL: db.url, DATABASE_POOL_SIZE: "1", HERALD_SECRET: TEST_SECRET, NODE_DEBUG: "esm" },
      { compiled: true },
    );
    try {
      expect((await fetch(`${api.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      // After the exit, so that the whole log has been read.
      await api.kill("SIGTERM");
      await db.drop();
    }
    const loaded = [
      ...new Set([...api.output().matchAll(/(file:\/\/\S+?\.[cm]?[jt]sx?)\b/g)].map((m) => m[1] ?? "")),
    ];
    const ours = loaded.filter((url) => url.startsWith(`file://${ROOT}`) && !url.includes("/node_modules/"));
    // The entry, then the server bundled from every workspace's dist/ (scripts/build.mjs).
    for (const entry of ["apps/api/dist/main.js", "apps/api/dist/serve-main.js"])
      expect(ours).toContain(`file://${ROOT}${entry}`);
    expect(ours.filter((url) => !/\/(apps|packages)\/[\w-]+\/dist\/.+\.js$/.test(url))).toEqual([]);
    expect(loaded.filter((url) => /\/node_modules\/tsx\/|\.tsx?$/.test(url))).toEqual([]);
  });
});

describe("Dockerfile", () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => m[1]);

  it("builds in stages on Node 24 LTS and runs compiled JavaScript as the unprivileged node user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(["node:24-slim", "deps"]).toContain(image);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(runtime).toMatch(/^FROM node:24-slim AS runtime$/m);
    expect(runtime).toMatch(/^USER node$/m);
    // Exactly what `npm start` runs, V8 flags included.
    const start = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
    ).scripts.start;
    expect(start).toMatch(/^node .*apps\/api\/dist\/main\.js$/);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? "[]";
    expect((JSON.parse(cmd) as string[]).join(" ")).toBe(start);
    expect(runtime).not.toMatch(/tsx/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/RUN node scripts\/build\.mjs/);
  });

  it("copies the manifest of every workspace before npm ci", () => {
    const workspaces = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] }
    ).workspaces;
    const dirs = workspaces.flatMap((pattern) =>
      pattern.endsWith("/*")
        ? readdirSync(join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
            .filter(
              (d) => d.isDirectory() && existsSync(join(ROOT, pattern.slice(0, -2), d.name, "package.json")),
            )
            .map((d) => `${pattern.slice(0, -2)}/${d.name}`)
        : [pattern],
    );
    expect(dirs.length).toBeGreaterThan(5);
    for (const dir of dirs) expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
  });

  it("keeps local data, dependencies and secrets out of the build context", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of [".herald-data", "**/node_modules", ".env", ".git"]) expect(ignored).toContain(entry);
    expect(ignored).toContain("!test/package.json");
  });
});
