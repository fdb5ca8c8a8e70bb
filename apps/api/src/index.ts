export type { PlanChanges } from "@herald/contract";
export { createApp } from "./app.ts";
export { type Config, ConfigError, loadConfig, loadConfigOrExit } from "./config.ts";
export { type AppContext, type Clock, systemClock } from "./context.ts";
export { createKeyring } from "./crypto.ts";
export { DomainError } from "./errors.ts";
export { HeraldMetrics } from "./metrics/index.ts";
export { serveWorkerMetrics } from "./routes/metrics.ts";
export {
  createLogger,
  createWorker,
  type HeraldRuntime,
  openRuntime,
  type RuntimeCore,
  startRuntime,
} from "./runtime.ts";
export { assignPlan, getTenants } from "./services/admin/index.ts";
export { createPasswordReset } from "./services/auth/password.ts";
export { reportOverage } from "./services/billing/meter.ts";
export { type RotationProgress, type RotationReport, rotateWebhookKeys } from "./services/keys/rotate.ts";
export { licenseCacheBytes } from "./services/licenses/authenticate.ts";
export { getPlans } from "./services/plans/list.ts";
export { putPlan } from "./services/plans/put.ts";
