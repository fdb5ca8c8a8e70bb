// The usage dashboard, for the whole account or one instance.
import { type Context, Hono } from "hono";
import { type ConsoleOptions, nowOf, type Shell } from "../context.ts";
import { loadShell, PageNotFound } from "../session.ts";
import { fillDays, toCsv } from "../usage-series.ts";
import { UsagePage } from "../views/usage.tsx";

async function loadUsage(shell: Shell, wanted: string | undefined, now: Date) {
  const filter = wanted ? shell.instances.find((i) => i.id === wanted) : undefined;
  if (wanted && !filter) throw new PageNotFound(`No instance ${wanted} in your account.`);
  const [usage, account] = await Promise.all([
    shell.herald.usage({ instanceId: filter?.id, series: "daily", breakdown: "webhooks" }),
    // Quotas belong to the account: read them unfiltered even when one instance is shown.
    filter ? shell.herald.usage() : undefined,
  ]);
  return { usage, account, filter, now, daily: fillDays(usage.series ?? [], now) };
}

function csv(c: Context, name: string, rows: Array<Array<string | number>>) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${name}"`);
  return c.body(toCsv(rows));
}

export function usageRoutes(options: ConsoleOptions) {
  const app = new Hono();
  app.get("/console/usage", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const { usage, account, filter, now, daily } = await loadUsage(
      shell,
      c.req.query("instance"),
      nowOf(options),
    );
    return c.html(
      <UsagePage
        shell={shell}
        usage={usage}
        quota={(account ?? usage).quota}
        daily={daily}
        channels={usage.webhooks ?? []}
        filter={filter}
        now={now}
      />,
    );
  });

  app.get("/console/usage/daily.csv", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const { daily, now } = await loadUsage(shell, c.req.query("instance"), nowOf(options));
    return csv(c, `herald-usage-daily-${now.toISOString().slice(0, 10)}.csv`, [
      ["day", "sent", "failed", "rate_limited"],
      ...daily.map((d) => [d.day, d.sent, d.failed, d.throttled]),
    ]);
  });

  app.get("/console/usage/channels.csv", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const { usage, now } = await loadUsage(shell, c.req.query("instance"), nowOf(options));
    return csv(c, `herald-usage-channels-${now.toISOString().slice(0, 7)}.csv`, [
      ["webhook_id", "channel", "deleted", "sent", "failed", "queued"],
      ...(usage.webhooks ?? []).map((w) => [
        w.webhookId,
        w.name,
        w.deleted ? "yes" : "no",
        w.messagesSent,
        w.messagesFailed,
        w.messagesQueued,
      ]),
    ]);
  });
  return app;
}
