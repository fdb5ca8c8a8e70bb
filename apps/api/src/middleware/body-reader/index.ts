import type { IncomingMessage } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";

export interface BodyReaderOptions {
  maxBytes: number;
  /** Thrown when the body is larger than maxBytes. */
  tooLarge: () => Error;
}

/**
 * Reads a request body once, up to `maxBytes`, before the route runs, so that a too-large body is a
 * 413 and a client that leaves mid-body is a 400 wherever the route reads it.
 *
 * On @hono/node-server a body with a declared length is read with `c.req.text()`: the adapter reads
 * it straight off Node's request (no web Request, AbortSignal or ReadableStream per call) and Hono
 * keeps the text for `c.req.json()`. Hono's own bodyLimit is not used there because it touches
 * `c.req.raw.body`, which makes the adapter build that web Request. A chunked body is counted while
 * it is read and handed to Hono as a new Request, as bodyLimit does. Elsewhere (app.request in
 * tests, other runtimes) it is Hono's bodyLimit.
 */
export function bodyReader({ maxBytes, tooLarge }: BodyReaderOptions): MiddlewareHandler {
  const fallback = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async function bodyReaderMiddleware(c, next) {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (!incoming || typeof incoming.on !== "function") return fallback(c, next);
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = incoming.headers["content-length"];
    if (declared !== undefined && incoming.headers["transfer-encoding"] === undefined) {
      if (Number(declared) > maxBytes) throw tooLarge();
      await c.req.text().catch((cause: unknown) => {
        throw endedEarly(cause);
      });
    } else {
      const text = await readText(incoming, maxBytes, tooLarge);
      c.req.raw = new Request(c.req.url, { method: c.req.method, headers: c.req.raw.headers, body: text });
    }
    return next();
  };
}

// The client went away or broke the stream mid-body: a 400 (it will likely not read it), rather
// than a 500 in the logs.
function endedEarly(cause?: unknown): HTTPException {
  return new HTTPException(400, { message: "The request body ended early; send the whole body.", cause });
}

function readText(incoming: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Discard the rest without holding it, so the 413 can still be answered.
        incoming.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (cause?: unknown) => {
      cleanup();
      reject(endedEarly(cause));
    };
    const onAborted = () => onError();
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("aborted", onAborted);
    if (incoming.readableEnded) onEnd();
  });
}
