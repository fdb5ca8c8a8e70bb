// The ceiling on this machine: a bare Hono route on @hono/node-server that parses the same JSON
// body as sendMessage and answers. Prints its port.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/v1/messages", async (c) => {
  const body = (await c.req.json()) as { webhookId?: string };
  return c.json(
    { SentMessage: false, Message: "Queued.", messageId: body.webhookId ?? null, status: "queued" },
    202,
  );
});
app.post("/v1/licenses/validate", async (c) => {
  const body = (await c.req.json()) as { licenseKey?: string };
  return c.json({ valid: true, key: body.licenseKey ?? null });
});
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  console.log(JSON.stringify({ port: info.port })),
);
