// The ceiling on this machine: a bare Hono route on @hono/node-server that parses the same JSON
// body as sendMessage and answers. Two of them: /v1/... reads the body the idiomatic way
// (c.req.json(), which makes @hono/node-server build a web Request), /fast/v1/... the way Herald
// does (its body reader, straight off Node's request), a stricter ceiling. Prints its port.
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { bodyReader } from "../apps/api/src/middleware/body-reader/index.ts";

const send = async (c: Context) => {
  const body = (await c.req.json()) as { webhookId?: string };
  return c.json(
    { SentMessage: false, Message: "Queued.", messageId: body.webhookId ?? null, status: "queued" },
    202,
  );
};
const validate = async (c: Context) => {
  const body = (await c.req.json()) as { licenseKey?: string };
  return c.json({ valid: true, key: body.licenseKey ?? null });
};

const app = new Hono();
app.use("/fast/*", bodyReader({ maxBytes: 1024 * 1024, tooLarge: () => new Error("too large") }));
for (const prefix of ["", "/fast"]) {
  app.post(`${prefix}/v1/messages`, send);
  app.post(`${prefix}/v1/licenses/validate`, validate);
}
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  console.log(JSON.stringify({ port: info.port })),
);
