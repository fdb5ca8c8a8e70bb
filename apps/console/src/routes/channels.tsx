// The Channels tab and its actions: add, edit, activate/inactivate, test connection, delete.
import { HeraldError, type Webhook } from "@herald/sdk";
import { Hono } from "hono";
import type { ConsoleOptions, Flash } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { fieldProblems, problemFromError, problemStatus } from "../problems.ts";
import { type InstanceShell, loadInstanceShell, PageNotFound } from "../session.ts";
import { ChannelFormPage } from "../views/channel-form.tsx";
import { ChannelsPage } from "../views/channels.tsx";
import { ConfirmPage } from "../views/confirm.tsx";

const BASE = "/console/i/:instanceId/channels";
const URL_PROBLEMS = { webhook_url_not_allowed: "url" };

/** The webhook, if it belongs to the page's instance; anything else is "not found". */
async function channelOf(shell: InstanceShell, webhookId: string): Promise<Webhook> {
  try {
    const webhook = await shell.herald.getWebhook(webhookId);
    if (webhook.instanceId === shell.instance.id) return webhook;
  } catch (error) {
    if (!(error instanceof HeraldError && error.status === 404)) throw error;
  }
  throw new PageNotFound(`No channel ${webhookId} in ${shell.instance.name}.`);
}

function testFlash(name: string, r: { status: string; Message: string; httpStatus: number | null }): Flash {
  const teams = r.httpStatus === null ? "" : ` (HTTP ${r.httpStatus})`;
  if (r.status === "delivered")
    return {
      tone: "success",
      title: `Teams accepted the test message for “${name}”${teams}.`,
      detail: r.Message,
    };
  if (r.status === "queued")
    return { tone: "info", title: `The test message for “${name}” is queued${teams}.`, detail: r.Message };
  return {
    tone: "error",
    title: `Teams did not take the test message for “${name}”${teams}.`,
    detail: r.Message,
  };
}

export function channelRoutes(options: ConsoleOptions) {
  const app = new Hono();
  const listUrl = (shell: InstanceShell) => `/console/i/${shell.instance.id}/channels`;

  app.get(BASE, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const { items } = await shell.herald.listWebhooks(shell.instance.id);
    return c.html(<ChannelsPage shell={shell} instance={shell.instance} channels={items} />);
  });

  app.get(`${BASE}/new`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    return c.html(<ChannelFormPage shell={shell} instance={shell.instance} csrf={shell.csrf} />);
  });

  app.post(BASE, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const form = await readForm(c);
    const values = {
      name: (form.name ?? "").trim(),
      url: (form.url ?? "").trim(),
      description: (form.description ?? "").trim() || undefined,
    };
    try {
      const webhook = await shell.herald.createWebhook(shell.instance.id, values);
      setFlash(c, {
        tone: "success",
        title: `Channel “${webhook.name}” added.`,
        detail: `Its webhook ID is ${webhook.webhookId}: give it to sendMessage. Test the connection from the channel's Actions menu.`,
      });
      return c.redirect(listUrl(shell), 303);
    } catch (error) {
      const problem = problemFromError(error);
      const fields = fieldProblems(problem, URL_PROBLEMS);
      return c.html(
        <ChannelFormPage
          shell={shell}
          instance={shell.instance}
          csrf={shell.csrf}
          values={values}
          fields={fields}
          error={
            Object.keys(fields).length
              ? "The channel was not added; correct the fields below."
              : problem.message
          }
        />,
        problemStatus(problem),
      );
    }
  });

  app.get(`${BASE}/:webhookId/edit`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const webhook = await channelOf(shell, c.req.param("webhookId"));
    return c.html(
      <ChannelFormPage shell={shell} instance={shell.instance} csrf={shell.csrf} webhook={webhook} />,
    );
  });

  app.post(`${BASE}/:webhookId`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const webhook = await channelOf(shell, c.req.param("webhookId"));
    const form = await readForm(c);
    const values = {
      name: (form.name ?? "").trim(),
      url: (form.url ?? "").trim(),
      description: (form.description ?? "").trim(),
    };
    try {
      await shell.herald.updateWebhook(webhook.webhookId, {
        name: values.name,
        description: values.description || null,
        ...(values.url ? { url: values.url } : {}),
      });
      setFlash(c, { tone: "success", title: `Channel “${values.name}” saved.` });
      return c.redirect(listUrl(shell), 303);
    } catch (error) {
      const problem = problemFromError(error);
      const fields = fieldProblems(problem, URL_PROBLEMS);
      return c.html(
        <ChannelFormPage
          shell={shell}
          instance={shell.instance}
          csrf={shell.csrf}
          webhook={webhook}
          values={values}
          fields={fields}
          error={
            Object.keys(fields).length ? "Nothing was saved; correct the fields below." : problem.message
          }
        />,
        problemStatus(problem),
      );
    }
  });

  app.post(`${BASE}/:webhookId/active`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const webhook = await channelOf(shell, c.req.param("webhookId"));
    const active = (await readForm(c)).active === "true";
    await shell.herald.updateWebhook(webhook.webhookId, { active });
    setFlash(
      c,
      active
        ? {
            tone: "success",
            title: `Channel “${webhook.name}” activated.`,
            detail: "Messages are posted to it again; its pause and error counters were cleared.",
          }
        : {
            tone: "info",
            title: `Channel “${webhook.name}” inactivated.`,
            detail: "sendMessage to its webhook ID is refused until you activate it again.",
          },
    );
    return c.redirect(listUrl(shell), 303);
  });

  app.post(`${BASE}/:webhookId/test`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const webhook = await channelOf(shell, c.req.param("webhookId"));
    try {
      setFlash(c, testFlash(webhook.name, await shell.herald.testWebhook(webhook.webhookId)));
    } catch (error) {
      const problem = problemFromError(error);
      setFlash(c, { tone: "error", title: `Could not test “${webhook.name}”.`, detail: problem.message });
    }
    return c.redirect(listUrl(shell), 303);
  });

  app.post(`${BASE}/:webhookId/delete`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const webhook = await channelOf(shell, c.req.param("webhookId"));
    if ((await readForm(c)).confirm !== "yes") {
      return c.html(
        <ConfirmPage
          shell={shell}
          section="channels"
          question={`Delete the channel “${webhook.name}”?`}
          detail="Apps sending to its webhook ID will be refused, and queued messages fail. Reconfigure those workflows to notify another channel first. This cannot be undone."
          action={c.req.path}
          confirmLabel="Delete channel"
          cancelHref={listUrl(shell)}
        />,
      );
    }
    await shell.herald.deleteWebhook(webhook.webhookId);
    setFlash(c, { tone: "success", title: `Channel “${webhook.name}” deleted.` });
    return c.redirect(listUrl(shell), 303);
  });

  return app;
}
