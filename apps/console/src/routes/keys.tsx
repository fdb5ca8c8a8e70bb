// Binding keys: the creating post redirects to the list, which shows the new LicenseSecret that once.

import type { BindingKey } from "@herald/sdk";
import { HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { holdForOneView, takeHeld } from "../held.ts";
import { problemFromError, problemStatus } from "../problems.ts";
import { loadInstanceShell, PageNotFound } from "../session.ts";
import { ConfirmPage } from "../views/confirm.tsx";
import { KeysPage } from "../views/keys.tsx";

type CreatedKey = BindingKey & { licenseSecret: string };

/** What was held across the redirect, if it is a created key (anything else is ignored). */
function createdKey(value: unknown): CreatedKey | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" &&
    typeof v.name === "string" &&
    typeof v.licenseKey === "string" &&
    typeof v.licenseSecret === "string"
    ? (value as CreatedKey)
    : undefined;
}

export function keyRoutes(options: ConsoleOptions) {
  const app = new Hono();
  const BASE = "/console/i/:instanceId/keys";

  const held = (instanceId: string) => ({
    key: options.oneViewKey,
    path: `/console/i/${instanceId}/keys`,
  });

  app.get(BASE, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const created = createdKey(takeHeld(c, held(shell.instance.id)));
    const { items } = await shell.herald.listBindingKeys(shell.instance.id);
    // The page that shows a secret must not be kept by any cache or the back/forward cache.
    if (created) c.header("Cache-Control", "no-store");
    return c.html(<KeysPage shell={shell} instance={shell.instance} keys={items} created={created} />);
  });

  app.post(BASE, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const name = ((await readForm(c)).name ?? "").trim();
    try {
      const created = await shell.herald.createBindingKey(shell.instance.id, name);
      holdForOneView(c, created, held(shell.instance.id));
      return c.redirect(`/console/i/${shell.instance.id}/keys`, 303);
    } catch (error) {
      const problem = problemFromError(error);
      const { items } = await shell.herald.listBindingKeys(shell.instance.id);
      return c.html(
        <KeysPage
          shell={shell}
          instance={shell.instance}
          keys={items}
          name={name}
          nameError={problem.fields.name ?? problem.message}
        />,
        problemStatus(problem),
      );
    }
  });

  app.post(`${BASE}/:keyId/revoke`, async (c) => {
    const shell = await loadInstanceShell(c, options, c.req.param("instanceId"));
    if (shell instanceof Response) return shell;
    const keyId = c.req.param("keyId");
    const key = (await shell.herald.listBindingKeys(shell.instance.id)).items.find((k) => k.id === keyId);
    if (!key) throw new PageNotFound(`No binding keys ${keyId} in ${shell.instance.name}.`);
    const listUrl = `/console/i/${shell.instance.id}/keys`;
    if ((await readForm(c)).confirm !== "yes") {
      return c.html(
        <ConfirmPage
          shell={shell}
          section="keys"
          question={`Revoke the keys “${key.name}”?`}
          detail="Apps using this LicenseKey are refused with license_invalid from now on. This cannot be undone."
          action={c.req.path}
          confirmLabel="Revoke keys"
          cancelHref={listUrl}
        />,
      );
    }
    try {
      await shell.herald.revokeBindingKey(shell.instance.id, key.id);
      setFlash(c, {
        tone: "success",
        title: `Keys “${key.name}” revoked.`,
        detail: `${key.licenseKey} no longer works.`,
      });
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      setFlash(c, { tone: "error", title: `Could not revoke “${key.name}”.`, detail: error.message });
    }
    return c.redirect(listUrl, 303);
  });

  return app;
}
