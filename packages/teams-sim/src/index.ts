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
export { BOT_TENANT_WINDOWS, BOT_THREAD_WINDOWS, splitConversation } from "./bot-connector.ts";
export type {
  ActivityDelivery,
  BotRequestRecord,
  BotRoute,
  BotSim,
  BotSimOptions,
  BotViolation,
  ForcedBotAnswer,
  ForgeKind,
  SendOptions,
  SimBotMessage,
  SimChannel,
  SimTeam,
} from "./bot-types.ts";
export { BOT_SIM_DEFAULTS } from "./bot-types.ts";
export { FLOW_AUDIENCE } from "./entra.ts";
export { ADAPTIVE_CARD_CONTENT_TYPE, MAX_ADAPTIVE_CARD_VERSION } from "./payloads.ts";
export { POWER_AUTOMATE_WINDOWS, TEAMS_LEGACY_WINDOWS } from "./rate-windows.ts";
export { startTeamsSim } from "./server.ts";
export type {
  BearerSeen,
  Behavior,
  EntraApp,
  FlowOAuth,
  FlowState,
  RateWindow,
  RecordedRequest,
  SimStats,
  TeamsSim,
  TeamsSimOptions,
  TokenRequestRecord,
  Violation,
  WebhookKind,
  WorkflowsUrlOptions,
} from "./types.ts";
