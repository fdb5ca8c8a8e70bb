import type { IncomingMessage } from "node:http";
import { JsonDepthScanner, jsonNestingDepth } from "@herald/core";
import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";

export interface BodyReaderOptions {
  /** The largest body the request's route takes, in bytes. */
  maxBytes: number | ((c: Context) => number);
  /** Thrown when the body is larger than the route's limit. */
  tooLarge: (maxBytes: number) => Error;
  /** Arrays and objects nested deeper than this are refused before the body is parsed. */
  maxDepth?: number;
  /** Thrown when the body nests deeper than maxDepth. */
  tooDeep?: (maxDepth: number) => Error;
}

export const DEFAULT_MAX_DEPTH = 64;
/** Bodies larger than this (declared) are depth-scanned while they arrive rather than read first. */
const STREAM_SCAN_ABOVE = 64 * 1024;

/**
 * Reads a request body once, up to the route's limit, before the route runs, so that a too-large
 * body is a 413 and a client that leaves mid-body is a 400 wherever the route reads it. A body
 * nested deeper than maxDepth is refused before anything parses it (see jsonNestingDepth).
 *
 * On @hono/node-server a body with a declared length up to 64 KB is read with `c.req.text()`: the
 * adapter reads it straight off Node's request (no web Request, AbortSignal or ReadableStream per
 * call) and Hono keeps the text for `c.req.json()`. Hono's own bodyLimit is not used there because
 * it touches `c.req.raw.body`, which makes the adapter build that web Request. A chunked or larger
 * body is counted and depth-scanned while it is read and handed to Hono as a new Request, as
 * bodyLimit does. Elsewhere (app.request in
 * tests, other runtimes) it is Hono's bodyLimit.
 */
export function bodyReader({
  maxBytes,
  tooLarge,
  maxDepth = DEFAULT_MAX_DEPTH,
  tooDeep = (depth) => new HTTPException(400, { message: `JSON nested deeper than ${depth} levels.` }),
}: BodyReaderOptions): MiddlewareHandler {
  const limitOf = typeof maxBytes === "number" ? () => maxBytes : maxBytes;
  const fallbacks = new Map<number, MiddlewareHandler>();
  const fallbackFor = (limit: number) => {
    let fallback = fallbacks.get(limit);
    if (!fallback) {
      fallback = bodyLimit({
        maxSize: limit,
        onError: () => {
          throw tooLarge(limit);
        },
      });
      fallbacks.set(limit, fallback);
    }
    return fallback;
  };
  const checkDepth = (text: string) => {
    if (jsonNestingDepth(text, maxDepth) > maxDepth) throw tooDeep(maxDepth);
  };
  return async function bodyReaderMiddleware(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const limit = limitOf(c);
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (!incoming || typeof incoming.on !== "function") {
      return fallbackFor(limit)(c, async () => {
        checkDepth(await c.req.text());
        await next();
      });
    }
    const declared = incoming.headers["content-length"];
    const chunked = declared === undefined || incoming.headers["transfer-encoding"] !== undefined;
    if (!chunked && Number(declared) > limit) throw tooLarge(limit);
    if (!chunked && Number(declared) <= STREAM_SCAN_ABOVE) {
      checkDepth(
        await c.req.text().catch((cause: unknown) => {
          throw endedEarly(cause);
        }),
      );
    } else {
      // Scanned as it arrives: a megabyte of `[[[[` is refused after its first chunk.
      const text = await readText(incoming, limit, tooLarge, new JsonDepthScanner(maxDepth), () =>
        tooDeep(maxDepth),
      );
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

function readText(
  incoming: IncomingMessage,
  maxBytes: number,
  tooLarge: (maxBytes: number) => Error,
  scanner: JsonDepthScanner,
  tooDeep: () => Error,
): Promise<string> {
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
      const refusal = size > maxBytes ? tooLarge(maxBytes) : scanner.feed(chunk) ? undefined : tooDeep();
      if (refusal) {
        cleanup();
        // Discard the rest without holding it, so the answer can still be sent.
        incoming.resume();
        reject(refusal);
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
