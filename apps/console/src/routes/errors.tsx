// The Error Log tab, filtered by channel and kind, paged by the api's cursor.
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { loadInstanceShell } from "../session.ts";
import { ERROR_KINDS, ErrorsPage } from "../views/errors.tsx";

const PAGE_SIZE = 50;

export function errorRoutes(options: ConsoleOptions) {
  const app = new Hono();
  app.get("/console/i/:instanceId/errors", async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const classification = c.req.query("classification");
    const webhookId = c.req.query("webhookId");
    const before = c.req.query("before");
    const filters = {
      classification: ERROR_KINDS.some((k) => k.value === classification) ? classification : undefined,
      webhookId: webhookId && /^[\w-]{1,64}$/.test(webhookId) ? webhookId : undefined,
      before: before && /^\d+$/.test(before) ? before : undefined,
    };
    const [channels, page] = await Promise.all([
      shell.herald.listWebhooks(shell.instance.id),
      shell.herald.instanceErrors(shell.instance.id, { ...filters, limit: PAGE_SIZE }),
    ]);
    return c.html(
      <ErrorsPage
        shell={shell}
        instance={shell.instance}
        channels={channels.items}
        items={page.items}
        nextCursor={page.nextCursor}
        filters={filters}
      />,
    );
  });
  return app;
}
