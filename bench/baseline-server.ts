// The ceilings on this machine, for every ratio the bench reports. Prints one JSON line with two
// ports:
//   idiomatic: a bare Hono route on @hono/node-server (the adapter and version Herald runs) that
//              parses the same JSON body with c.req.json() and answers a body of the same shape;
//   strict:    the same route on plain node:http, no framework: what Node itself costs.
// It runs through tsx like the other bench scripts: tsx compiles at load, the routes then run as built.
import { createServer } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const sendAnswer = (webhookId: unknown) => ({
  SentMessage: false,
  Message: "Queued.",
  messageId: typeof webhookId === "string" ? webhookId : null,
  status: "queued",
});

const app = new Hono();
app.post("/v1/messages", async (c) => {
  const body = (await c.req.json()) as { webhookId?: unknown };
  return c.json(sendAnswer(body.webhookId), 202);
});
app.post("/v1/licenses/validate", async (c) => {
  const body = (await c.req.json()) as { licenseKey?: unknown };
  return c.json({ valid: true, key: body.licenseKey ?? null });
});

const strict = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      webhookId?: unknown;
      licenseKey?: unknown;
    };
    const send = req.url === "/v1/messages";
    const answer = JSON.stringify(send ? sendAnswer(body.webhookId) : { valid: true, key: body.licenseKey });
    res.writeHead(send ? 202 : 200, { "content-type": "application/json" });
    res.end(answer);
  });
});

const idiomaticPort = await new Promise<number>((resolve) => {
  serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
});
await new Promise<void>((resolve) => strict.listen(0, "127.0.0.1", resolve));
const address = strict.address();
const strictPort = typeof address === "object" && address ? address.port : 0;
console.log(JSON.stringify({ port: idiomaticPort, strictPort }));
