export { createApp } from "./app.ts";
export { formatPlans, PlansCommandError, runPlansCommand } from "./cli/plans.ts";
export { type Config, ConfigError, loadConfig } from "./config.ts";
export { type AppContext, type Clock, systemClock } from "./context.ts";
export { DeliveryWorker } from "./delivery/worker.ts";
export { createLogger, type HeraldRuntime, startRuntime } from "./runtime.ts";
export { reportOverage } from "./services/billing/meter.ts";
