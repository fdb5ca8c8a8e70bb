// Billing pages: the api's /v1/billing routes do the Stripe work; the console links to what they return.
import { type Herald, HeraldError } from "@herald/sdk";
import { Hono } from "hono";
import { type ConsoleOptions, nowOf } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { loadShell, PageNotFound } from "../session.ts";
import { BillingPage } from "../views/billing.tsx";

/** Stripe's hosted pages (or the local emulator's, in tests): absolute http(s) URLs only. */
function hostedPage(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function billingRoutes(options: ConsoleOptions) {
  const app = new Hono();

  app.get("/console/billing", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    // Without Stripe the page still says what plan this is and who assigns plans.
    const billing =
      shell.billing ??
      (await shell.herald.billing().catch((error: unknown) => {
        if (error instanceof HeraldError && error.status === 404)
          throw new PageNotFound("Billing is not available on this Herald.");
        throw error;
      }));
    // Stripe Checkout sends the browser back here with how it went.
    const checkout = c.req.query("checkout");
    const flash =
      checkout === "success"
        ? {
            tone: "success" as const,
            title: "Thank you: your subscription is being set up.",
            detail: "Stripe confirms it within moments; reload this page to see your new plan.",
          }
        : checkout === "canceled"
          ? { tone: "info" as const, title: "Checkout cancelled; nothing was charged." }
          : shell.flash;
    return c.html(<BillingPage shell={{ ...shell, flash }} billing={billing} now={nowOf(options)} />);
  });

  const hostedPageRoute = (
    path: string,
    open: (herald: Herald, form: Record<string, string>) => Promise<{ url: string }>,
  ) =>
    app.post(path, async (c) => {
      const shell = await loadShell(c, options);
      if (shell instanceof Response) return shell;
      try {
        const target = hostedPage((await open(shell.herald, await readForm(c))).url);
        if (target) return c.redirect(target, 303);
        setFlash(c, { tone: "error", title: "Stripe did not return a page to open; try again." });
      } catch (error) {
        if (!(error instanceof HeraldError)) throw error;
        setFlash(c, { tone: "error", title: "Billing is unavailable right now.", detail: error.message });
      }
      return c.redirect("/console/billing", 303);
    });
  hostedPageRoute("/console/billing/checkout", (herald, form) => herald.startCheckout(form.plan ?? ""));
  hostedPageRoute("/console/billing/portal", (herald) => herald.openBillingPortal());

  return app;
}
