// Small node:http helpers shared by the webhook handler and the control API.

import type { IncomingMessage, ServerResponse } from "node:http";

export interface ReceivedBody {
  /** Truncated to the reading cap; `bytes` is the full size. */
  text: string;
  bytes: number;
}

/** Reads the whole body, keeping at most `cap` bytes so an oversized post cannot exhaust memory. */
export function readBody(req: IncomingMessage, cap: number, done: (body: ReceivedBody) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (kept >= cap) return;
    const room = cap - kept;
    const piece = chunk.length <= room ? chunk : chunk.subarray(0, room);
    chunks.push(piece);
    kept += piece.length;
  });
  req.on("end", () => {
    const first = chunks[0];
    const text =
      chunks.length === 1 && first !== undefined
        ? first.toString("utf8")
        : Buffer.concat(chunks).toString("utf8");
    done({ text, bytes });
  });
  // A client that goes away mid-body: nothing to answer.
  req.on("error", () => {});
}

export function readBodyAsync(req: IncomingMessage, cap: number): Promise<ReceivedBody> {
  return new Promise((resolve) => readBody(req, cap, resolve));
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, JSON.stringify(value), {
    "content-type": "application/json; charset=utf-8",
    "access-control-allow-origin": "*",
  });
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" },
): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, headers);
  res.end(body);
}
