// Posts one payload to Teams with undici: bounded connect/header/body times, redirects never
// followed, the answer body read up to a cap. Errors are reported without the URL (it is a secret).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import {
  checkWebhookUrl,
  isInternalAddress,
  isLoopbackHost,
  matchHost,
  type TeamsAnswer,
} from "@herald/core";
import { Agent, request } from "undici";
import { readCapped } from "./read-capped.ts";

const MAX_ANSWER_BYTES = 16 * 1024;

/** A post Herald refused to make: the URL is no longer allowed, or its host resolves to an internal address. */
export interface RefusedPost {
  type: "refused";
  reason: string;
}

export interface Poster {
  /** `headers` are added to the JSON content type (an Entra bearer token for a restricted flow). */
  post(
    url: string,
    body: string,
    headers?: Readonly<Record<string, string>>,
  ): Promise<TeamsAnswer | RefusedPost>;
  close(): Promise<void>;
}

const SSRF_REFUSED = "HERALD_SSRF_REFUSED";

/**
 * DNS lookup for outgoing connections that refuses internal addresses (loopback, private,
 * link-local, metadata…) unless HERALD_WEBHOOK_HOSTS names the host exactly. It checks the address
 * the socket will actually connect to, so a name that resolves differently later (DNS rebinding)
 * is caught at connect time, not only at registration.
 */
export function guardedLookup(allowedHosts: readonly string[]) {
  return function lookup(
    hostname: string,
    options: { all?: boolean; family?: number | string } | number,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void {
    const opts = typeof options === "number" ? { family: options } : options;
    dnsLookup(hostname, { family: Number(opts.family ?? 0) as 0 | 4 | 6, all: true }, (error, addresses) => {
      if (error) return callback(error, opts.all ? [] : "");
      const explicit = matchHost(hostname, allowedHosts) === "explicit";
      const internal = addresses.find((a) => isInternalAddress(a.address) || isLoopbackHost(a.address));
      if (internal && !explicit) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to an internal address; refused (list the host exactly in HERALD_WEBHOOK_HOSTS to allow it)`,
        );
        refused.code = SSRF_REFUSED;
        return callback(refused, opts.all ? [] : "");
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      return callback(null, first?.address ?? "", first?.family ?? 4);
    });
  };
}

export function createPoster(options: {
  timeoutMs: number;
  allowedHosts: readonly string[];
  connections?: number;
}): Poster {
  const agent = new Agent({
    connect: { timeout: Math.min(options.timeoutMs, 5000), lookup: guardedLookup(options.allowedHosts) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: options.connections ?? 16,
    keepAliveTimeout: 30_000,
  });
  return {
    async post(url, body, headers) {
      // The allowed hosts may have changed since the webhook was registered: check again each time.
      const check = checkWebhookUrl(url, options.allowedHosts);
      if (!check.ok) return { type: "refused", reason: check.reason };
      try {
        const res = await request(url, {
          method: "POST",
          dispatcher: agent,
          headers: {
            ...headers,
            "content-type": "application/json",
            "user-agent": "Herald/0.1 (+teams-connector)",
          },
          body,
        });
        const text = await readCapped(res.body, MAX_ANSWER_BYTES);
        const retryAfter = res.headers["retry-after"];
        return {
          type: "response",
          status: res.statusCode,
          body: text,
          retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
        };
      } catch (error) {
        const code = (error as { code?: string; cause?: { code?: string } }).code ?? "";
        const causeCode = (error as { cause?: { code?: string } }).cause?.code ?? "";
        const description = describe(error);
        if (code === SSRF_REFUSED || causeCode === SSRF_REFUSED)
          return { type: "refused", reason: description };
        if (code.includes("TIMEOUT")) return { type: "timeout", error: description };
        return { type: "network_error", error: description };
      }
    },
    close: () => agent.close(),
  };
}

/**
 * What a failed connection says in the error log: its kind only. The error's own text names the
 * address and port it tried (`ECONNREFUSED 127.0.0.1:6399`), which turned the error log into a
 * port scanner of whatever host a webhook URL may name; and webhook URLs embed credentials.
 */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = `${e.code ?? ""} ${e.cause?.code ?? ""}`;
  if (code.includes(SSRF_REFUSED))
    return (e.message ?? e.cause?.message ?? "").replace(/https?:\/\/\S+/g, "<webhook url>");
  if (code.includes("TIMEOUT")) return "The webhook host did not answer in time.";
  if (code.includes("ECONNREFUSED")) return "The webhook host refused the connection.";
  if (code.includes("ENOTFOUND") || code.includes("EAI_AGAIN"))
    return "The webhook host name could not be resolved.";
  if (code.includes("CERT") || code.includes("TLS") || code.includes("SSL"))
    return "The webhook host's TLS certificate was not accepted.";
  if (code.includes("ECONNRESET") || code.includes("EPIPE") || code.includes("SOCKET"))
    return "The connection to the webhook host was closed before it answered.";
  return "Could not reach the webhook host.";
}
