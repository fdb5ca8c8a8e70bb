// The delivery worker on its own (`npm run worker`): the runtime without the HTTP app. Imported as
// `@herald/api/worker` so that a worker process loads no routes, console or docs.
import type { DeliveryWorker } from "@herald/delivery";
import { createWorker, openRuntime, type RuntimeCore, type RuntimeOptions } from "./runtime.ts";

export { type Config, ConfigError, loadConfigOrExit } from "./config.ts";
export { serveWorkerMetrics } from "./routes/metrics.ts";
export { createLogger } from "./runtime.ts";

export interface WorkerRuntime extends RuntimeCore {
  worker: DeliveryWorker;
}

export async function startWorkerRuntime(options: RuntimeOptions): Promise<WorkerRuntime> {
  const core = await openRuntime(options);
  const worker = createWorker(core.ctx, options.workerOptions);
  await worker.start();
  return {
    ...core,
    worker,
    async close() {
      await worker.stop();
      await core.close();
    },
  };
}
