// The account page's forms and the reset link's page: each calls one /v1/auth route.
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { setFlash } from "../flash.ts";
import { readForm } from "../form.ts";
import { problemFromResponse } from "../problems.ts";
import { heraldFor, loadShell } from "../session.ts";
import { AccountPage, ResetPasswordPage } from "../views/account.tsx";

function passCookies(from: Response, to: { header: (n: string, v: string, o: { append: true }) => void }) {
  for (const cookie of from.headers.getSetCookie()) to.header("Set-Cookie", cookie, { append: true });
}

export function accountRoutes(options: ConsoleOptions) {
  const app = new Hono();

  app.get("/console/account", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    return c.html(<AccountPage shell={shell} />);
  });

  app.post("/console/account/password", async (c) => {
    const shell = await loadShell(c, options);
    if (shell instanceof Response) return shell;
    const form = await readForm(c);
    const res = await shell.herald.raw("POST", "/v1/auth/password", {
      currentPassword: form.currentPassword ?? "",
      newPassword: form.newPassword ?? "",
    });
    if (res.status !== 204) {
      const problem = await problemFromResponse(res);
      const fields = { ...problem.fields };
      if (problem.code === "invalid_credentials") fields.currentPassword = "is wrong";
      return c.html(
        <AccountPage shell={shell} error={problem.message} fields={fields} />,
        res.status === 429 ? 429 : 400,
      );
    }
    setFlash(c, { tone: "success", title: "Password changed; your other sessions were signed out." });
    return c.redirect("/console/account", 303);
  });

  app.post("/console/account/logout-everywhere", async (c) => {
    const res = await heraldFor(c, options).raw("POST", "/v1/auth/logout-everywhere");
    passCookies(res, c);
    setFlash(c, { tone: "info", title: "You have signed out everywhere." });
    return c.redirect("/console/login", 303);
  });

  app.get("/console/reset-password", (c) => c.html(<ResetPasswordPage token={c.req.query("token") ?? ""} />));

  app.post("/console/reset-password", async (c) => {
    const form = await readForm(c);
    const token = form.token ?? "";
    const res = await heraldFor(c, options).raw("POST", "/v1/auth/reset-password", {
      token,
      newPassword: form.newPassword ?? "",
    });
    if (res.status !== 204) {
      const problem = await problemFromResponse(res);
      const detail = problem.fields?.newPassword
        ? `New password ${problem.fields.newPassword}.`
        : problem.message;
      return c.html(<ResetPasswordPage token={token} error={detail} />, res.status === 429 ? 429 : 400);
    }
    setFlash(c, { tone: "success", title: "Your password is set; sign in with it." });
    return c.redirect("/console/login", 303);
  });

  return app;
}
