// Sign in, sign up and sign out: forms that call the api's /v1/auth routes and pass on its cookies.
import { Hono } from "hono";
import type { ConsoleOptions } from "../context.ts";
import { setFlash, takeFlash } from "../flash.ts";
import { readForm, safeNext } from "../form.ts";
import { problemFromResponse } from "../problems.ts";
import { heraldFor } from "../session.ts";
import { SignInPage, SignUpPage } from "../views/auth.tsx";

/** The api sets the session and CSRF cookies; the console hands them to the browser unchanged. */
function passCookies(
  from: Response,
  to: { header: (name: string, value: string, o: { append: true }) => void },
) {
  for (const cookie of from.headers.getSetCookie()) to.header("Set-Cookie", cookie, { append: true });
}

export function authRoutes(options: ConsoleOptions) {
  const app = new Hono();

  app.get("/console/login", (c) =>
    c.html(<SignInPage next={safeNext(c.req.query("next"))} flash={takeFlash(c)} />),
  );

  app.post("/console/login", async (c) => {
    const form = await readForm(c);
    const email = (form.email ?? "").trim();
    const res = await heraldFor(c, options).raw("POST", "/v1/auth/login", {
      email,
      password: form.password ?? "",
    });
    if (res.status !== 200) {
      const problem = await problemFromResponse(res);
      const message =
        problem.code === "invalid_credentials"
          ? "That email and password do not match an account."
          : problem.message;
      return c.html(
        <SignInPage email={email} next={safeNext(form.next)} error={message} />,
        res.status === 429 ? 429 : 401,
      );
    }
    passCookies(res, c);
    return c.redirect(safeNext(form.next) ?? "/console", 303);
  });

  app.get("/console/signup", (c) => c.html(<SignUpPage />));

  app.post("/console/signup", async (c) => {
    const form = await readForm(c);
    const input = {
      organization: (form.organization ?? "").trim(),
      email: (form.email ?? "").trim(),
      password: form.password ?? "",
    };
    const res = await heraldFor(c, options).raw("POST", "/v1/auth/signup", input);
    if (res.status !== 201) {
      const problem = await problemFromResponse(res);
      const fields = { ...problem.fields };
      if (problem.code === "email_taken") fields.email = problem.message;
      const general = Object.keys(fields).length
        ? "Please correct the fields marked below."
        : problem.message;
      return c.html(
        <SignUpPage organization={input.organization} email={input.email} error={general} fields={fields} />,
        problem.status === 409 ? 409 : 400,
      );
    }
    const { instanceId } = (await res.json()) as { instanceId: string };
    passCookies(res, c);
    setFlash(c, {
      tone: "success",
      title: `Welcome to Herald, ${input.organization}.`,
      detail:
        "Your trial is running. Add a Teams channel to get its webhook ID, then create binding keys for the app that sends.",
    });
    return c.redirect(`/console/i/${instanceId}/channels`, 303);
  });

  app.post("/console/logout", async (c) => {
    const res = await heraldFor(c, options).raw("POST", "/v1/auth/logout");
    passCookies(res, c);
    setFlash(c, { tone: "info", title: "You have signed out." });
    return c.redirect("/console/login", 303);
  });

  return app;
}
