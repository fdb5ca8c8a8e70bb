// Builds the Hono app: one error model, request ids, auth declared per path prefix, then the routes.
import { consoleRoutes } from "@herald/console";
import { databaseFault } from "@herald/db";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppContext } from "./context.ts";
import { DomainError, type ErrorCode, invalidRequest, statusForCode } from "./errors.ts";
import type { AppEnv } from "./hono-env.ts";
import { accessLog } from "./middleware/access-log/index.ts";
import { adminAuth } from "./middleware/admin-auth/index.ts";
import { bodyReader, DEFAULT_MAX_DEPTH as MAX_JSON_DEPTH } from "./middleware/body-reader/index.ts";
import { clientAddress } from "./middleware/client-address/index.ts";
import { httpMetrics } from "./middleware/http-metrics/index.ts";
import { licenseAuth } from "./middleware/license-auth/index.ts";
import { assertRoutesDeclareSecurity, routeAuth } from "./middleware/route-auth/index.ts";
import { sessionAuth } from "./middleware/session-auth/index.ts";
import { keyThrottle } from "./middleware/throttle/index.ts";
import { openApiHeader } from "./openapi/header.ts";
import { activityRoutes } from "./routes/activity.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authRoutes } from "./routes/auth.ts";
import { billingRoutes } from "./routes/billing.ts";
import { docsRoutes } from "./routes/docs.ts";
import { entraAppRoutes } from "./routes/entra-apps.ts";
import { instanceRoutes } from "./routes/instances.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { opsRoutes } from "./routes/ops.ts";
import { swagger2Routes } from "./routes/swagger2.ts";
import { teamsRoutes } from "./routes/teams.ts";
import { usageRoutes } from "./routes/usage.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { csrfTokenForToken } from "./services/auth/session.ts";
import { Enqueuer } from "./services/messages/enqueue.ts";

/** sendMessage carries cards (28 KB for Teams, but callers send MessageCards that shrink on conversion). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Sign-up, sign-in and password bodies: an email, a password and a name. */
export const MAX_AUTH_BODY_BYTES = 4 * 1024;
/** Configuration and operator bodies: names, a webhook URL, a description, a plan. */
export const MAX_CONFIG_BODY_BYTES = 16 * 1024;

/** A Teams activity: a message a user typed, or an install event; Teams' own messages stay under 100 KB. */
export const MAX_BOT_ACTIVITY_BYTES = 256 * 1024;

/** Each route takes the smallest body that fits it, so that only sendMessage reads a megabyte. */
function bodyLimitFor(path: string): number {
  if (path === "/v1/messages" || path.startsWith("/v1/messages/")) return MAX_BODY_BYTES;
  if (path === "/bot/messages") return MAX_BOT_ACTIVITY_BYTES;
  if (path.startsWith("/v1/auth/")) return MAX_AUTH_BODY_BYTES;
  return MAX_CONFIG_BODY_BYTES;
}

export interface HeraldApp {
  app: OpenAPIHono<AppEnv>;
  enqueuer: Enqueuer;
}

export function createApp(ctx: AppContext): HeraldApp {
  const enqueuer = new Enqueuer(ctx);
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.error.issues);
    },
  });

  app.use("*", requestId({ headerName: "X-Request-Id" }));
  app.use("*", clientAddress({ trustProxyHops: ctx.config.trustProxyHops, publicUrl: ctx.config.publicUrl }));
  app.use("*", async function strictTransport(c, next) {
    await next();
    // Only when https is known to be what browsers use (HERALD_PUBLIC_URL or a trusted proxy).
    if (c.get("clientHttps")) c.header("Strict-Transport-Security", "max-age=31536000");
  });
  app.use("*", accessLog({ logger: ctx.logger }));
  app.use("*", httpMetrics({ metrics: ctx.metrics }));
  const readBody = bodyReader({
    maxBytes: (c) => bodyLimitFor(c.req.path),
    tooLarge: (limit) =>
      new DomainError("payload_too_large", `Request body is larger than ${limit} bytes, this route's limit.`),
    maxDepth: MAX_JSON_DEPTH,
    tooDeep: (depth) =>
      new DomainError(
        "invalid_request",
        `Request body nests arrays or objects deeper than ${depth} levels; flatten it (Adaptive Cards need far fewer).`,
      ),
  });
  app.use("/v1/*", readBody);
  app.use("/admin/*", readBody);
  app.use("/bot/*", readBody);

  // The validation body is optional: an empty one, even labelled JSON, means "the credentials are
  // in the headers", not malformed JSON. Without a content type the route's optional body is {}.
  app.use("/v1/licenses/validate", async (c, next) => {
    if (c.req.method === "POST" && (await c.req.text()).trim() === "") {
      const headers = new Headers(c.req.raw.headers);
      headers.delete("content-type");
      c.req.raw = new Request(c.req.url, { method: "POST", headers });
    }
    await next();
  });
  const license = [licenseAuth({ ctx }), keyThrottle({ ctx })];
  app.use(
    "*",
    routeAuth({
      app,
      schemes: {
        Session: [sessionAuth({ ctx })],
        LicenseHeaders: license,
        LicenseBasic: license,
        Admin: [adminAuth({ ctx, token: ctx.config.adminToken })],
      },
    }),
  );

  app.onError((error, c) => {
    const { code, message, status, details, retryAfter } = mapError(error);
    if (code === "storage_full") ctx.diskFull.report(error, ctx.clock.now().getTime());
    else if (status >= 500)
      ctx.logger.error({ err: error, requestId: c.get("requestId"), path: c.req.path }, message);
    if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
    // The rest of a too-large body is not worth reading: the connection closes after the answer.
    if (status === 413) c.header("Connection", "close");
    const body: Record<string, unknown> = {
      error: { code, message, requestId: c.get("requestId"), ...(details ? { details } : {}) },
    };
    // Activity callers always get a SendMessageResponse, rejections included.
    if (c.req.path === "/v1/messages" || c.req.path.startsWith("/v1/messages/")) {
      Object.assign(body, { SentMessage: false, Message: message, messageId: null, status: "rejected" });
    }
    if (c.req.path === "/v1/licenses/validate" && code === "license_invalid") {
      Object.assign(body, { valid: false, reason: details?.reason ?? "unknown_key", message });
    }
    return c.json(body, status as ContentfulStatusCode);
  });

  app.notFound((c) =>
    c.json(
      {
        error: {
          code: "not_found",
          message: `No route ${c.req.method} ${c.req.path}; see /docs.`,
          requestId: c.get("requestId"),
        },
      },
      404,
    ),
  );

  app.route("/", opsRoutes(ctx));
  if (ctx.config.metricsToken) app.route("/", metricsRoutes(ctx, { token: ctx.config.metricsToken }));
  else {
    app.get("/metrics", () => {
      throw new DomainError(
        "not_found",
        ctx.config.metricsPort
          ? `Metrics are served on port ${ctx.config.metricsPort} (HERALD_METRICS_PORT), not here.`
          : "Metrics are off on this port: set HERALD_METRICS_TOKEN (then send it as a Bearer token) or HERALD_METRICS_PORT.",
      );
    });
  }
  app.route("/", docsRoutes());
  app.route("/", swagger2Routes(ctx, app));
  app.route("/", authRoutes(ctx));
  app.route("/", activityRoutes(ctx, enqueuer));
  app.route("/", instanceRoutes(ctx));
  app.route("/", webhookRoutes(ctx, enqueuer));
  app.route("/", entraAppRoutes(ctx));
  app.route("/", teamsRoutes(ctx));
  app.route("/", usageRoutes(ctx));
  app.route("/", adminRoutes(ctx));
  app.route("/", billingRoutes(ctx));
  app.route(
    "/",
    consoleRoutes({
      // In-process: the browser's address and scheme travel in the env, as a socket's would.
      api: (r, client) => app.fetch(r, client),
      csrfFor: (token) => csrfTokenForToken(ctx, token),
      formTargets: stripeFormTargets(ctx),
      publicUrl: ctx.config.publicUrl,
      botAppId: ctx.config.bot?.appId,
      oneViewKey: ctx.keys.consoleKey,
      logger: ctx.logger,
      now: () => ctx.clock.now(),
    }),
  );

  app.openAPIRegistry.registerComponent("securitySchemes", "LicenseHeaders", {
    type: "apiKey",
    in: "header",
    name: "X-License-Key",
    description: "With X-License-Secret in a second header.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "LicenseBasic", {
    type: "http",
    scheme: "basic",
    description: "HTTP Basic: the LicenseKey as user name, the LicenseSecret as password.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "Session", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "Admin", { type: "http", scheme: "bearer" });
  assertRoutesDeclareSecurity(app);
  app.doc31("/openapi.json", openApiHeader(ctx.config.publicUrl));
  return { app, enqueuer };
}

/** Where the billing forms' redirects go: Stripe's hosted pages, or the emulator standing in for them. */
function stripeFormTargets(ctx: AppContext): string[] {
  if (!ctx.config.stripe) return [];
  const apiBase = ctx.config.stripe.apiBase;
  return apiBase ? [new URL(apiBase).origin] : ["https://checkout.stripe.com", "https://billing.stripe.com"];
}

interface MappedError {
  code: ErrorCode;
  message: string;
  status: number;
  details?: Record<string, unknown> | undefined;
  retryAfter?: number | undefined;
}

function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    return {
      code: error.code,
      message: error.message,
      status: statusForCode[error.code],
      details: error.details,
      retryAfter: error.retryAfterSeconds ?? (error.code === "service_unavailable" ? 5 : undefined),
    };
  }
  if (error instanceof HTTPException) {
    if (error.status === 413)
      return { code: "payload_too_large", message: "Request body is too large.", status: 413 };
    if (error.status === 415)
      return {
        code: "unsupported_media_type",
        message: "The body must be JSON: send it with the header Content-Type: application/json.",
        status: 415,
      };
    const malformed = /malformed json/i.test(error.message);
    return {
      code: "invalid_request",
      message: malformed
        ? "Request body is not valid JSON; send a JSON object with Content-Type: application/json."
        : error.message,
      status: 400,
    };
  }
  if (isUnstorableText(error)) {
    return {
      code: "invalid_request",
      message:
        "Text fields may not contain NUL characters (\\u0000) or invalid Unicode; remove them and try again.",
      status: 400,
    };
  }
  const fault = databaseFault(error);
  if (fault === "disk_full") {
    return {
      code: "storage_full",
      message:
        "Herald's database is out of disk space, so nothing was stored; retry later with the same idempotency key (the operator has been told to free space).",
      status: 503,
      retryAfter: 30,
    };
  }
  if (fault === "unreachable") {
    return {
      code: "service_unavailable",
      message: "The database is unavailable; retry shortly.",
      status: 503,
      retryAfter: 5,
    };
  }
  return {
    code: "internal_error",
    message: "Something went wrong on our side; the request id identifies it in our logs.",
    status: 500,
  };
}

/** PostgreSQL refuses NUL and invalid code points in text; that is the caller's input, not our fault. */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? "";
  return code === "22021" || code === "22P05";
}
