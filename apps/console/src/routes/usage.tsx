// The usage dashboard, for the whole account or one instance.
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { loadShell, PageNotFound } from "../session.ts";
import { fillDays } from "../usage-series.ts";
import { UsagePage } from "../views/usage.tsx";

export function usageRoutes(options: ConsoleOptions) {
  const app = new Hono();
  app.get("/console/usage", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const wanted = c.req.query("instance");
    const filter = wanted ? shell.instances.find((i) => i.id === wanted) : undefined;
    if (wanted && !filter) throw new PageNotFound(`No instance ${wanted} in your account.`);
    const [usage, account] = await Promise.all([
      shell.herald.usage({ instanceId: filter?.id, series: "daily" }),
      // Quotas belong to the account: read them unfiltered even when one instance is shown.
      filter ? shell.herald.usage() : undefined,
    ]);
    const now = new Date();
    return c.html(
      <UsagePage
        shell={shell}
        usage={usage}
        quota={(account ?? usage).quota}
        daily={fillDays(usage.series ?? [], now)}
        filter={filter}
        now={now}
      />,
    );
  });
  return app;
}
