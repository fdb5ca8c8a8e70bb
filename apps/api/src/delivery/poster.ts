// Posts one payload to Teams with undici: bounded connect/header/body times, redirects never
// followed, the answer body read up to a cap. Errors are reported without the URL (it is a secret).
import type { TeamsAnswer } from "@herald/core";
import { Agent, request } from "undici";

const MAX_ANSWER_BYTES = 16 * 1024;

export interface Poster {
  post(url: string, body: string): Promise<TeamsAnswer>;
  close(): Promise<void>;
}

export function createPoster(options: { timeoutMs: number; connections?: number }): Poster {
  const agent = new Agent({
    connect: { timeout: Math.min(options.timeoutMs, 5000) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: options.connections ?? 16,
    keepAliveTimeout: 30_000,
  });
  return {
    async post(url, body) {
      try {
        const res = await request(url, {
          method: "POST",
          dispatcher: agent,
          headers: { "content-type": "application/json", "user-agent": "Herald/0.1 (+teams-connector)" },
          body,
        });
        const text = await readCapped(res.body);
        const retryAfter = res.headers["retry-after"];
        return {
          type: "response",
          status: res.statusCode,
          body: text,
          retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
        };
      } catch (error) {
        const code = (error as { code?: string }).code ?? "";
        const description = describe(error);
        if (code.includes("TIMEOUT")) return { type: "timeout", error: description };
        return { type: "network_error", error: description };
      }
    },
    close: () => agent.close(),
  };
}

async function readCapped(body: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (size < MAX_ANSWER_BYTES) chunks.push(buf.subarray(0, MAX_ANSWER_BYTES - size));
    size += buf.length;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  // Strip anything URL-shaped: webhook URLs embed credentials.
  const message = (e.message ?? String(error)).replace(/https?:\/\/\S+/g, "<webhook url>");
  return e.code ? `${e.code}: ${message}` : message;
}
