// Instances, the instance switcher, and where /console itself leads.
import { HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { problemFromError, problemStatus } from "../problems.ts";
import { loadShell, PageNotFound } from "../session.ts";
import { InstancesPage } from "../views/instances.tsx";

const TABS = new Set(["channels", "errors", "keys"]);

export function instanceRoutes(options: ConsoleOptions) {
  const app = new Hono();

  app.get("/", (c) => c.redirect("/console", 302));

  app.get("/console", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    return c.redirect(shell.home ? `/console/i/${shell.home.id}/channels` : "/console/instances", 302);
  });

  app.get("/console/switch", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const target = shell.instances.find((i) => i.id === c.req.query("instance"));
    if (!target) throw new PageNotFound("That instance is not in your account.");
    const to = c.req.query("to") ?? "channels";
    return c.redirect(`/console/i/${target.id}/${TABS.has(to) ? to : "channels"}`, 303);
  });

  app.get("/console/instances", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    return c.html(<InstancesPage shell={shell} />);
  });

  app.post("/console/instances", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const name = ((await readForm(c)).name ?? "").trim();
    try {
      const created = await shell.herald.createInstance(name);
      setFlash(c, {
        tone: "success",
        title: `Instance “${created.name}” created.`,
        detail: "Add its Teams channels here.",
      });
      return c.redirect(`/console/i/${created.id}/channels`, 303);
    } catch (error) {
      const problem = problemFromError(error);
      return c.html(
        <InstancesPage shell={shell} name={name} error={problem.fields.name ?? problem.message} />,
        problemStatus(problem),
      );
    }
  });

  app.post("/console/instances/:instanceId", async (c) => {
    const shell = await loadShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const name = ((await readForm(c)).name ?? "").trim();
    try {
      const renamed = await shell.herald.renameInstance(c.req.param("instanceId"), name);
      setFlash(c, { tone: "success", title: `Instance renamed to “${renamed.name}”.` });
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      setFlash(c, { tone: "error", title: "The instance was not renamed.", detail: error.message });
    }
    return c.redirect("/console/instances", 303);
  });

  return app;
}
