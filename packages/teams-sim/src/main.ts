// CLI entry (`npm run teams-sim`): runs the emulator as its own process for browser tests,
// benchmarks and people following the README.

import { startTeamsSim } from "./server.ts";

function fail(message: string): never {
  process.stderr.write(`teams-sim: ${message}\n`);
  process.exit(1);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`${name} must be a port number, got "${raw}"`);
  return port;
}

function flagFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  return fail(`${name} must be 1 or 0, got "${raw}"`);
}

const port = portFromEnv("PORT", 4010);
const host = process.env.HOST || "127.0.0.1";
// A line per request helps a person watching a terminal and slows a benchmark reading a pipe.
const quiet = flagFromEnv("TEAMS_SIM_QUIET", !process.stdout.isTTY);
const enforceLegacyWindows = flagFromEnv("TEAMS_SIM_ENFORCE_LEGACY_WINDOWS", true);

const sim = await startTeamsSim({ port, host, quiet, enforceLegacyWindows }).catch((error: unknown) =>
  fail(`cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`),
);

const base = sim.baseUrl;
process.stdout.write(`Teams emulator listening on ${base}
  status page:        ${base}/
  legacy webhook:     ${sim.legacyUrl("general")}
  workflows webhook:  ${sim.workflowsUrl("general")}
  (any other /webhookb2/... or /workflows/... path works too)

Try:   curl -H 'content-type: application/json' -d '{"text":"Hello World"}' '${sim.legacyUrl("general")}'
Control API:
  GET  ${base}/_sim/health
  GET  ${base}/_sim/requests?path=<pathname>&since=<seq>&limit=<n>
  GET  ${base}/_sim/violations?path=<pathname>
  POST ${base}/_sim/webhooks  {"kind":"legacy"|"workflows","channel":"ops"}
  POST ${base}/_sim/behavior  {"path":"<url or pathname, or * for the default>","behavior":"gone","times":2}
  POST ${base}/_sim/reset
Legacy rate windows ${enforceLegacyWindows ? "enforced" : "off"}; per-request log ${quiet ? "off" : "on"} (TEAMS_SIM_QUIET).
`);

let stopping = false;
function stop(signal: string): void {
  if (stopping) process.exit(1);
  stopping = true;
  process.stdout.write(`teams-sim: ${signal}, closing\n`);
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
