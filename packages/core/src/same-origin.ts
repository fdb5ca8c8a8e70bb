// Whether a request a browser may send on its own (a cookie, a form post) comes from Herald's own
// pages. The api checks it for cookie-authenticated calls and the console for its forms; both must
// decide alike, or a request one refuses could be sent through the other.
import { timingSafeEqual } from "node:crypto";

/** What of a request the check reads; Hono's `c.req` is one. */
export interface OriginRequest {
  readonly url: string;
  header(name: string): string | undefined;
}

/**
 * Browsers say where a request comes from in Sec-Fetch-Site; those that do not (older ones, some
 * embedded views) still send Origin, which must then name this host (or HERALD_PUBLIC_URL's).
 */
export function isSameOrigin(request: OriginRequest, publicUrl: string | undefined): boolean {
  const site = request.header("sec-fetch-site");
  if (site !== undefined) return site === "same-origin" || site === "none";
  const origin = request.header("origin");
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const ours = [new URL(request.url).host, request.header("host")];
  if (publicUrl) ours.push(new URL(publicUrl).host);
  return ours.includes(host);
}

/** Compares a token a request carries with the expected one in time that does not depend on where they differ. */
export function sameToken(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}
