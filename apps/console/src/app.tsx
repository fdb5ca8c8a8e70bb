// The console as a Hono app the api mounts: security headers, CSRF, assets, pages, and HTML error pages.
import { HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { assetRoutes } from "./assets.ts";
import type { ConsoleOptions } from "./context.ts";
import { csrfProtection } from "./csrf.ts";
import { accountRoutes } from "./routes/account.tsx";
import { authRoutes } from "./routes/auth.tsx";
import { billingRoutes } from "./routes/billing.tsx";
import { botTeamsRoutes } from "./routes/bot-teams.tsx";
import { channelRoutes } from "./routes/channels.tsx";
import { errorRoutes } from "./routes/errors.tsx";
import { instanceRoutes } from "./routes/instances.tsx";
import { keyRoutes } from "./routes/keys.tsx";
import { teamsRoutes } from "./routes/teams.tsx";
import { usageRoutes } from "./routes/usage.tsx";
import { securityHeaders, TEAMS_FRAME_ANCESTORS, TEAMS_JS_CONNECT } from "./security-headers.ts";
import { expectedCsrfToken, PageNotFound } from "./session.ts";
import { ErrorPage } from "./views/error-page.tsx";

interface ConsoleEnv {
  Variables: { requestId?: string };
}

const MAX_FORM_BYTES = 64 * 1024;

export function consoleRoutes(options: ConsoleOptions) {
  const app = new Hono<ConsoleEnv>();

  const formTargets = options.formTargets ?? [];
  app.use("/", securityHeaders({ formTargets }));
  app.use("/console", securityHeaders({ formTargets }));
  app.use("/console/*", securityHeaders({ formTargets }));
  app.use(
    "/teams/*",
    securityHeaders({ frameAncestors: TEAMS_FRAME_ANCESTORS, connect: TEAMS_JS_CONNECT, formTargets }),
  );
  app.use(
    "/console/*",
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) =>
        c.html(<ErrorPage title="Too much text" message="That form was larger than 64 KB." />, 413),
    }),
  );
  app.use(
    "/console/*",
    csrfProtection({
      exempt: ["/console/login", "/console/signup", "/console/reset-password"],
      expected: (c) => expectedCsrfToken(c, options),
      publicUrl: options.publicUrl,
      refuse: (c, reason) => c.html(<ErrorPage title="Form refused" message={reason} />, 403),
    }),
  );

  for (const routes of [
    assetRoutes(),
    accountRoutes(options),
    authRoutes(options),
    instanceRoutes(options),
    channelRoutes(options),
    botTeamsRoutes(options),
    errorRoutes(options),
    keyRoutes(options),
    usageRoutes(options),
    billingRoutes(options),
    teamsRoutes(options),
  ]) {
    app.route("/", routes);
  }

  app.all("/console/*", (c) =>
    c.html(<ErrorPage title="Page not found" message={`There is no console page at ${c.req.path}.`} />, 404),
  );

  app.onError((error, c) => {
    const requestId = c.get("requestId");
    if (error instanceof PageNotFound)
      return c.html(<ErrorPage title="Not found" message={error.message} />, 404);
    if (error instanceof HeraldError && error.status === 401) return c.redirect("/console/login", 303);
    options.logger?.error({ err: error, requestId, path: c.req.path }, "console page failed");
    const message =
      error instanceof HeraldError && error.status < 500
        ? error.message
        : "Something went wrong on our side. Try again; if it keeps happening, quote the request ID below.";
    return c.html(<ErrorPage title="Something went wrong" message={message} requestId={requestId} />, 500);
  });

  return app;
}
