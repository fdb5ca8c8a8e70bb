// CLI entry (`npm run teams-sim`): runs the emulator as its own process for browser tests,
// benchmarks and people following the README.

import { POWER_AUTOMATE_WINDOWS } from "./rate-windows.ts";
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
const enforceWorkflowsWindows = flagFromEnv("TEAMS_SIM_ENFORCE_WORKFLOWS_WINDOWS", true);
const workflowsWindows = enforceWorkflowsWindows ? [...POWER_AUTOMATE_WINDOWS] : [];

const sim = await startTeamsSim({ port, host, quiet, enforceLegacyWindows, workflowsWindows }).catch(
  (error: unknown) =>
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
  POST ${base}/_sim/webhooks  {"kind":"legacy"|"workflows","channel":"ops","cu":16,"oauth":{"tenantId":"<tid>"}}
  POST ${base}/_sim/flows     {"path":"<workflows url or pathname>","state":"on"|"off"|"deleted"}
  POST ${base}/_sim/entra/apps  {"tenantId":"<tid>"}  -> {tenantId, clientId, clientSecret, objectId}
  GET  ${base}/_sim/entra/token-requests?clientId=<id>
Entra authority (HERALD_ENTRA_AUTHORITY): ${sim.authority}  (POST /<tenantId>/oauth2/v2.0/token)
  POST ${base}/_sim/behavior  {"path":"<url or pathname, or * for the default>","behavior":"gone","times":2}
Teams bot (Herald: HERALD_BOT_APP_ID=${sim.bot.appId} HERALD_BOT_APP_SECRET=${sim.bot.appSecret}
           HERALD_BOT_TENANT_ID=${sim.bot.homeTenantId} HERALD_BOT_OPENID_METADATA=${sim.bot.openIdMetadataUrl}
           HERALD_BOT_SERVICE_URLS=${host} HERALD_ENTRA_AUTHORITY=${sim.authority}):
  serviceUrl ${sim.bot.serviceUrl}
  POST ${base}/_sim/bot/config  {"messagingEndpoint":"http://127.0.0.1:3000/bot/messages"}
  POST ${base}/_sim/bot/teams   {"name":"Ops","channels":["Alerts"]}; then /_sim/bot/teams/<id>/install
  POST ${base}/_sim/bot/teams/<id>/messages  {"text":"link K7QX-M2PD"}
  POST ${base}/_sim/reset
Legacy rate windows ${enforceLegacyWindows ? "enforced" : "off"}; Workflows 4/1 s throttle ${enforceWorkflowsWindows ? "enforced" : "off"} (TEAMS_SIM_ENFORCE_WORKFLOWS_WINDOWS); per-request log ${quiet ? "off" : "on"} (TEAMS_SIM_QUIET).
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
