// `npm run bench:profile [send|sync|validate] [postgres|embedded]`: where a request's CPU goes. Runs
// Herald under `node --cpu-prof` with the sendMessage load (`sync`: wait=10 over 2,000 Workflows
// channels, the in-process worker delivering; `send`: wait=0, no worker), or license validation, then prints
// CPU time per request of Herald's process, of the PostgreSQL server processes and of the load
// generator, and the top frames of Herald's profile by self time (grouped by function and file).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTeamsSim } from "@herald/teams-sim";
import {
  DB_URL,
  load,
  postgresTicks,
  procStats,
  resetDatabase,
  startHerald,
  TICKS_PER_SECOND,
  tenant,
} from "./lib.ts";

const what = process.argv[2] === "validate" ? "validate" : process.argv[2] === "sync" ? "sync" : "send";
const engine = process.argv[3] === "embedded" ? "embedded" : "postgres";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function frameKey(frame: ProfileNode["callFrame"]): string {
  const where = frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(apps|packages)\//, "$1/");
  return `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber + 1}`;
}

/** Top frames by self time, and by inclusive time among frames of `inclusiveOf` (a URL pattern). */
function topFrames(dir: string, n: number, inclusiveOf: RegExp): { self: string[]; inclusive: string[] } {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return { self: ["(no profile written)"], inclusive: [] };
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const busy = profile.samples.filter((id) => byId.get(id)?.callFrame.functionName !== "(idle)").length;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // Inclusive time: each sample counts once for every distinct frame on its stack.
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id);
    if (!node) return 0;
    const key = frameKey(node.callFrame);
    const own = hits.get(id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + own);
    const fresh = !onStack.has(key);
    if (fresh) onStack.add(key);
    let total = own;
    for (const child of node.children ?? []) total += walk(child, onStack);
    if (fresh) {
      onStack.delete(key);
      if (inclusiveOf.test(node.callFrame.url)) inclusive.set(key, (inclusive.get(key) ?? 0) + total);
    }
    return total;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());
  const show = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([key]) => !key.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, count]) => `${((count / busy) * 100).toFixed(1).padStart(5)} %  ${key}`);
  return { self: show(self), inclusive: show(inclusive) };
}

const profileDir = mkdtempSync(join(tmpdir(), "herald-prof-"));
if (engine === "postgres") await resetDatabase();
const worker = what === "sync" ? {} : { HERALD_WORKER: "off" };
const env: Record<string, string> =
  engine === "postgres"
    ? { DATABASE_URL: DB_URL, ...worker }
    : { HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), "herald-prof-data-")), ...worker };
const herald = await startHerald(env, ["--cpu-prof", `--cpu-prof-dir=${profileDir}`]);
const sim = await startTeamsSim({ quiet: true, maxRecordedBodies: 100 });
// Synchronous sends go round 2,000 channels, so that the default Workflows windows never hold one back.
const urls = Array.from({ length: what === "sync" ? 2000 : 1 }, (_, i) => sim.workflowsUrl(`profile${i}`));
const t = await tenant(herald.baseUrl, urls);
const spec =
  what === "sync"
    ? {
        url: `${herald.baseUrl}/v1/messages?wait=10`,
        headers: {
          "content-type": "application/json",
          "x-license-key": t.licenseKey,
          "x-license-secret": t.licenseSecret,
        },
        body: JSON.stringify({ webhookId: "{{id}}", textMessage: "Profile message {{n}}" }),
        template: true,
        ids: t.webhookIds,
      }
    : what === "send"
      ? {
          url: `${herald.baseUrl}/v1/messages?wait=0`,
          headers: {
            "content-type": "application/json",
            "x-license-key": t.licenseKey,
            "x-license-secret": t.licenseSecret,
          },
          body: JSON.stringify({
            webhookId: t.webhookIds[0],
            textMessage: "Profile message {{n}}",
            source: "bench",
          }),
          template: true,
        }
      : {
          url: `${herald.baseUrl}/v1/licenses/validate`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ licenseKey: t.licenseKey, licenseSecret: t.licenseSecret }),
        };

await load({ ...spec, durationMs: 2000, warmupMs: 0 }); // JIT and caches warm before measuring
const herald0 = procStats(herald.child.pid ?? 0).cpuTicks;
const pg0 = postgresTicks();
const self0 = process.cpuUsage();
const result = await load({ ...spec, warmupMs: 0 });
const heraldMs = ((procStats(herald.child.pid ?? 0).cpuTicks - herald0) / TICKS_PER_SECOND) * 1000;
const pgMs = ((postgresTicks() - pg0) / TICKS_PER_SECOND) * 1000;
const selfUsage = process.cpuUsage(self0);
await herald.stop();
await sim.close();

const perRequest = (ms: number) => `${((ms * 1000) / result.requests).toFixed(0)} µs`;
console.log(`${what} on ${engine}: ${result.rps}/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
console.log(`CPU per request: Herald ${perRequest(heraldMs)}, PostgreSQL ${perRequest(pgMs)}`);
console.log(
  `(this script ${perRequest((selfUsage.user + selfUsage.system) / 1000)}; the load generator is a separate process)`,
);
const frames = topFrames(profileDir, 25, /\/(apps|packages)\/|hono|postgres\/src/);
console.log("\nHerald's top frames by self time (% of busy samples; startup included):");
for (const line of frames.self) console.log(line);
console.log("\nHerald's and its libraries' frames by inclusive time:");
for (const line of frames.inclusive) console.log(line);
process.exit(0);
