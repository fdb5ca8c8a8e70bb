// Teams: the console page about the connector, the app package download, and the configuration page.
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { loadShell } from "../session.ts";
import { type AppPackageInput, checkAppPackageInput } from "../teams/manifest.ts";
import { appPackage } from "../teams/package.ts";
import { TeamsAppPage } from "../views/teams-app.tsx";
import { TeamsConfigurePage } from "../views/teams-configure.tsx";

export function teamsRoutes(options: ConsoleOptions) {
  const app = new Hono();
  const baseUrl = (requestUrl: string) =>
    (options.publicUrl ?? new URL(requestUrl).origin).replace(/\/$/, "");
  const inputFrom = (query: (name: string) => string | undefined, requestUrl: string): AppPackageInput => ({
    connectorId: (query("connectorId") ?? "").trim(),
    appName: (query("appName") ?? "Herald").trim(),
    developerName: (query("developerName") ?? "Herald").trim(),
    websiteUrl: (query("websiteUrl") ?? baseUrl(requestUrl)).trim(),
    baseUrl: baseUrl(requestUrl),
    botAppId: options.botAppId,
  });

  app.get("/console/teams", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    return c.html(<TeamsAppPage shell={shell} input={inputFrom((n) => c.req.query(n), c.req.url)} />);
  });

  app.get("/console/teams/app-package.zip", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const input = inputFrom((n) => c.req.query(n), c.req.url);
    const problems = checkAppPackageInput(input);
    if (Object.keys(problems).length)
      return c.html(<TeamsAppPage shell={shell} input={input} problems={problems} />, 400);
    const zip = appPackage(input);
    c.header("Content-Type", "application/zip");
    c.header(
      "Content-Disposition",
      `attachment; filename="${input.appName.replace(/[^\w.-]+/g, "-")}-teams-app.zip"`,
    );
    return c.body(new Uint8Array(zip));
  });

  app.get("/teams/configure", (c) => c.html(<TeamsConfigurePage />));

  return app;
}
