// `npm start`'s runtime: the HTTP app and, unless turned off, the delivery worker in the same
// process. The test harness starts Herald through here too.
import type { DeliveryWorker } from "@herald/delivery";
import { createApp } from "./app.ts";
import { createWorker, openRuntime, type RuntimeCore, type RuntimeOptions } from "./runtime.ts";

export interface HeraldRuntime extends RuntimeCore {
  app: ReturnType<typeof createApp>["app"];
  worker: DeliveryWorker | undefined;
}

export async function startRuntime(options: RuntimeOptions & { worker?: boolean }): Promise<HeraldRuntime> {
  const core = await openRuntime(options);
  const { app } = createApp(core.ctx);
  const runWorker = options.worker ?? options.config.worker === "in-process";
  const worker = runWorker ? createWorker(core.ctx, options.workerOptions) : undefined;
  await worker?.start();
  return {
    ...core,
    app,
    worker,
    async close() {
      await worker?.stop();
      await core.close();
    },
  };
}
