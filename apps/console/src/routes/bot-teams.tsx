// The "Teams bot" tab: link codes, linked teams, and adding a team's channel as a bot channel.
import { HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { problemFromError } from "../problems.ts";
import { type InstanceShell, loadInstanceShell } from "../session.ts";
import { BotTeamsPage } from "../views/bot-teams.tsx";

const BASE = "/console/i/:instanceId/teams-bot";

export function botTeamsRoutes(options: ConsoleOptions) {
  const app = new Hono();
  const botConfigured = options.botAppId !== undefined;

  const page = async (
    shell: InstanceShell,
    link?: Awaited<ReturnType<InstanceShell["herald"]["createTeamLink"]>>,
  ) => {
    const [teams, { items }] = await Promise.all([
      botConfigured ? shell.herald.listTeams(shell.instance.id) : Promise.resolve([]),
      shell.herald.listWebhooks(shell.instance.id),
    ]);
    return (
      <BotTeamsPage
        shell={shell}
        instance={shell.instance}
        teams={teams}
        channels={items}
        link={link}
        botConfigured={botConfigured}
      />
    );
  };

  app.get(BASE, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    return c.html(await page(shell));
  });

  app.post(`${BASE}/link`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const link = await shell.herald.createTeamLink(shell.instance.id);
    return c.html(await page(shell, link));
  });

  app.post(`${BASE}/channels`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const form = await readForm(c);
    try {
      const webhook = await shell.herald.createWebhook(shell.instance.id, {
        name: (form.name ?? "").trim() || "Teams channel",
        teamsChannel: { teamId: form.teamId ?? "", channelId: form.channelId ?? "" },
      });
      setFlash(c, {
        tone: "success",
        title: `Bot channel “${webhook.name}” added.`,
        detail: `Its webhook ID is ${webhook.webhookId}. sendMessage answers with teamsMessageId; replyTo, PATCH and DELETE work on its messages.`,
      });
      return c.redirect(`/console/i/${shell.instance.id}/channels`, 303);
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      setFlash(c, {
        tone: "error",
        title: "The channel was not added.",
        detail: problemFromError(error).message,
      });
      return c.redirect(`/console/i/${shell.instance.id}/teams-bot`, 303);
    }
  });

  return app;
}
