// Herald (api, console, in-process worker) on a real loopback port, with the Teams emulator.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type Harness, startHarness } from "../../support/harness.ts";

export interface ServedHerald {
  harness: Harness;
  baseUrl: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Configuration on top of the harness's (Stripe's, for instance). */
  env?: Record<string, string>;
  /**
   * Answers test-only paths on Herald's origin (the Teams host page must share it, as teams-js
   * trusts only Microsoft's hosts and its own origin).
   */
  extra?: (request: Request) => Response | undefined;
}

export async function serveHerald({
  env,
  extra = () => undefined,
}: ServeOptions = {}): Promise<ServedHerald> {
  const harness = await startHarness({ worker: true, ...(env ? { env } : {}) });
  const server = serve({
    fetch: (request: Request) => extra(request) ?? harness.runtime.app.fetch(request),
    port: 0,
    hostname: "127.0.0.1",
  });
  if (!server.listening) await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    harness,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
}
