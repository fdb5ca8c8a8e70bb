import type { HttpBindings } from "@hono/node-server";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../hono-env.ts";

export interface ClientAddressOptions {
  /** Proxies in front of Herald whose X-Forwarded-For entries are believed (HERALD_TRUST_PROXY). */
  trustProxyHops: number;
  /** HERALD_PUBLIC_URL: when it is https, Herald is served over https whatever the socket says. */
  publicUrl: string | undefined;
}

/** What an in-process caller (the console, calling the api with app.fetch) passes as the env. */
export interface ForwardedClient {
  clientAddress?: string | undefined;
  clientHttps?: boolean | undefined;
}

/**
 * Who is calling and whether over https, for throttles, audit and access logs, and the cookies'
 * Secure flag. The socket's peer address, unless trusted proxies stand in front: then the entry
 * the nearest trusted proxy appended to X-Forwarded-For (anything further left is the client's
 * own claim). In-process calls from the console carry the browser's address in their env; calls
 * with neither (tests, scripts using app.fetch) have no address, and per-address throttles skip them.
 */
export function clientAddress({
  trustProxyHops,
  publicUrl,
}: ClientAddressOptions): MiddlewareHandler<AppEnv> {
  const publicHttps = publicUrl?.startsWith("https://") ?? false;
  return async function clientAddressMiddleware(c, next) {
    const { address, https } = identify(c, trustProxyHops);
    c.set("clientAddress", address);
    c.set("clientHttps", publicHttps || https);
    await next();
  };
}

function identify(c: Context, hops: number): { address: string | undefined; https: boolean } {
  const env = c.env as (Partial<HttpBindings> & ForwardedClient) | undefined;
  const socket = env?.incoming?.socket;
  if (!socket) return { address: env?.clientAddress, https: env?.clientHttps ?? false };
  const peer = normalise(socket.remoteAddress);
  if (hops <= 0) return { address: peer, https: false };
  const forwarded = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const address = forwarded.length >= hops ? forwarded[forwarded.length - hops] : forwarded[0];
  const proto = (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim().toLowerCase();
  return { address: normalise(address) ?? peer, https: proto === "https" };
}

/** IPv4 peers on a dual-stack socket arrive as ::ffff:a.b.c.d; one address, one spelling. */
function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
