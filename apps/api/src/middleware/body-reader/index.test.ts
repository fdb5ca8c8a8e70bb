// The body reader on a real @hono/node-server: the body arrives whole, too-large bodies (declared or
// chunked) answer 413, and a client that goes away mid-body is a 400, not a 500.
import { connect } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyReader } from "./index.ts";

class TooLarge extends Error {}

describe("bodyReader", () => {
  let server: ServerType;
  let base = "";
  const errors: number[] = [];

  beforeAll(async () => {
    const app = new Hono();
    app.use("*", bodyReader({ maxBytes: 1000, maxDepth: 8, tooLarge: () => new TooLarge("too large") }));
    app.post("/echo", async (c) => c.json({ got: await c.req.json() }));
    app.onError((error, c) => {
      const status = error instanceof TooLarge ? 413 : error instanceof HTTPException ? error.status : 500;
      errors.push(status);
      return c.json({ error: error.message }, status);
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs `parts` to /echo as a chunked body, one chunk a part. */
  function postChunked(parts: string[]): Promise<Response> {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    return fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
  }

  it("hands the whole body to c.req.json()", async () => {
    const res = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "héllo ✓" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { text: "héllo ✓" } });
  });

  it("answers 413 for a body over the limit, declared or chunked", async () => {
    const declared = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(2000) }),
    });
    expect(declared.status).toBe(413);
    const chunked = await postChunked(Array.from({ length: 5 }, () => "x".repeat(400)));
    expect(chunked.status).toBe(413);
  });

  it.each([
    ["declared", "Content-Length: 100", '{"text":'],
    ["chunked", "Transfer-Encoding: chunked", '8\r\n{"text":\r\n'],
  ])(
    "treats a client that leaves mid-body (%s) as a bad request, not a server error",
    async (_, framing, part) => {
      errors.length = 0;
      const url = new URL(base);
      const socket = connect(Number(url.port), url.hostname);
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(
        `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\n\r\n${part}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      for (let i = 0; i < 50 && errors.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(errors).toEqual([400]);
    },
  );

  it("hands a chunked body within the limit to c.req.json()", async () => {
    const res = await postChunked(['{"text":', '"two parts"}']);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { text: "two parts" } });
  });

  it("refuses a body nested deeper than the limit with a 400, on the server and in-process", async () => {
    const deep = `{"junk":${"[".repeat(9)}${"]".repeat(9)}}`;
    const shallow = `{"junk":${"[".repeat(7)}${"]".repeat(7)}}`;
    const post = (body: string) =>
      fetch(`${base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect((await post(deep)).status).toBe(400);
    expect((await post(shallow)).status).toBe(200);
    const app = new Hono();
    app.use("*", bodyReader({ maxBytes: 1000, maxDepth: 8, tooLarge: () => new TooLarge("too large") }));
    app.post("/echo", async (c) => c.json({ got: await c.req.json() }));
    app.onError((error, c) => c.json({}, error instanceof HTTPException ? error.status : 500));
    const inProcess = await app.request("/echo", { method: "POST", body: deep });
    expect(inProcess.status).toBe(400);
  });

  it("takes each route's own limit", async () => {
    const app = new Hono();
    app.use(
      "*",
      bodyReader({
        maxBytes: (c) => (c.req.path === "/big" ? 1000 : 10),
        tooLarge: () => new TooLarge("too large"),
      }),
    );
    app.post("*", async (c) => c.json({ got: await c.req.json() }));
    app.onError((error, c) => c.json({}, error instanceof TooLarge ? 413 : 500));
    const body = JSON.stringify({ text: "x".repeat(50) });
    expect((await app.request("/big", { method: "POST", body })).status).toBe(200);
    expect((await app.request("/small", { method: "POST", body })).status).toBe(413);
  });
});
