export { BOT_AUDIENCE, type BotClient, type BotConfig, createBotClient } from "./bot-client.ts";
export { disableBotTeam } from "./bot-team.ts";
export {
  type Clock,
  type DeliveryConfig,
  type DeliveryContext,
  type DeliveryMetrics,
  DeliverySignals,
  type DisabledWebhook,
  type FinalState,
  systemClock,
  type UrlKeyring,
  utcDay,
} from "./context.ts";
export { EntraTokens, type TokenResult } from "./entra-tokens.ts";
export { HOUSEKEEPING_MS, Housekeeping, type PeriodicJob } from "./housekeeping.ts";
export {
  type DecidedWithoutAnswer,
  type Delivery,
  type EndpointKind,
  type EndpointKindName,
  endpointKind,
  type SendResult,
  type SendTools,
} from "./kinds/index.ts";
export { createPoster, guardedLookup, type Poster, type RefusedPost } from "./poster.ts";
export { type TenantWindowEnv, takeTenantSlot } from "./tenant-window.ts";
export { WakeUp } from "./wake-up.ts";
export { DeliveryWorker, type WorkerOptions } from "./worker.ts";
