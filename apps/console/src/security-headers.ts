import type { MiddlewareHandler } from "hono";

/** Where Microsoft Teams may embed the connector configuration page (its iframe's parents). */
export const TEAMS_FRAME_ANCESTORS = [
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://teams.live.com",
  "https://*.cloud.microsoft",
  "https://outlook.office.com",
  "https://outlook.office365.com",
];

/**
 * teams-js fetches Microsoft's current list of Teams host origins when it loads (it checks every
 * message from the host against it); the configuration page may fetch exactly that file.
 */
export const TEAMS_JS_CONNECT = ["https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json"];

export interface SecurityHeadersOptions {
  /** CSP frame-ancestors sources; none means the page may not be framed at all. */
  frameAncestors?: readonly string[];
  /** Origins a form may lead to besides this one (Stripe's checkout, which the billing form redirects to). */
  formTargets?: readonly string[];
  /** Sources a page may fetch from besides its own origin. */
  connect?: readonly string[];
}

/** Pages load only our own scripts and styles, with no inline script or style at all. */
export function securityHeaders({
  frameAncestors = [],
  formTargets = [],
  connect = [],
}: SecurityHeadersOptions = {}): MiddlewareHandler {
  const ancestors = frameAncestors.length ? ["'self'", ...frameAncestors].join(" ") : "'none'";
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(" ")}`,
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    `frame-ancestors ${ancestors}`,
  ].join("; ");
  return async function securityHeadersMiddleware(c, next) {
    await next();
    c.header("Content-Security-Policy", policy);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    if (!frameAncestors.length) c.header("X-Frame-Options", "DENY");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  };
}
