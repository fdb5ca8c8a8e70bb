// A local Microsoft Teams incoming-webhook emulator (legacy connectors and Workflows) for tests and benchmarks.

export {
  BAD_PAYLOAD,
  CHANNEL_NOT_FOUND,
  CONNECTOR_GONE,
  GARBAGE,
  REDIRECT_LOCATION,
  SUMMARY_REQUIRED,
  teamsEndpointError,
} from "./answers.ts";
export { ADAPTIVE_CARD_CONTENT_TYPE, MAX_ADAPTIVE_CARD_VERSION } from "./payloads.ts";
export { TEAMS_LEGACY_WINDOWS } from "./rate-windows.ts";
export { startTeamsSim } from "./server.ts";
export type {
  Behavior,
  RateWindow,
  RecordedRequest,
  SimStats,
  TeamsSim,
  TeamsSimOptions,
  Violation,
  WebhookKind,
} from "./types.ts";
