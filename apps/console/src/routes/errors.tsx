// The Error Log tab, filtered by channel and kind, paged by the api's cursor.

import { HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { loadInstanceShell, PageNotFound } from "../session.ts";
import { ERROR_KINDS, ErrorsPage } from "../views/errors.tsx";
import { MessagePage } from "../views/message.tsx";

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
      classification: ERROR_KINDS.find((k) => k.value === classification)?.value,
      webhookId: webhookId && /^[\w-]{1,64}$/.test(webhookId) ? webhookId : undefined,
      before: before && /^[\w-]{1,64}$/.test(before) ? before : undefined,
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

  app.get("/console/i/:instanceId/messages/:messageId", async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const messageId = c.req.param("messageId");
    const message = await shell.herald.instanceMessage(shell.instance.id, messageId).catch((error) => {
      if (error instanceof HeraldError && error.status === 404)
        throw new PageNotFound(`No message ${messageId} in ${shell.instance.name}.`);
      throw error;
    });
    const [channels, events] = await Promise.all([
      shell.herald.listWebhooks(shell.instance.id),
      shell.herald.instanceErrors(shell.instance.id, { messageId, limit: PAGE_SIZE }),
    ]);
    return c.html(
      <MessagePage
        shell={shell}
        instance={shell.instance}
        message={message}
        channel={channels.items.find((w) => w.webhookId === message.webhookId)}
        events={events.items}
      />,
    );
  });
  return app;
}
