import { randomBytes } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../env.ts";
import { CSRF_COOKIE, SESSION_COOKIE } from "../middleware/session-auth/index.ts";
import { login } from "../services/auth/login.ts";
import { SESSION_TTL_SECONDS } from "../services/auth/session.ts";
import { signup } from "../services/auth/signup.ts";
import { errorResponses, json, jsonBody } from "./schemas.ts";

const Credentials = {
  email: z.email().max(254).openapi({ example: "ops@contoso.com" }),
  password: z.string().min(10, "must be at least 10 characters").max(200),
};

const signupRoute = createRoute({
  method: "post",
  path: "/v1/auth/signup",
  security: [],
  summary: "Create a tenant on the trial plan, with a Developer Instance",
  tags: ["Console"],
  request: {
    body: jsonBody(z.object({ ...Credentials, organization: z.string().trim().min(1).max(200) })),
  },
  responses: {
    201: json(z.object({ token: z.string(), tenantId: z.string(), instanceId: z.string() }), "Signed up"),
    ...errorResponses(400, 409),
  },
});

const loginRoute = createRoute({
  method: "post",
  path: "/v1/auth/login",
  security: [],
  summary: "Sign in",
  tags: ["Console"],
  request: { body: jsonBody(z.object({ email: z.string().max(254), password: z.string().max(200) })) },
  responses: { 200: json(z.object({ token: z.string() }), "Signed in"), ...errorResponses(400, 401, 429) },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/v1/auth/logout",
  security: [],
  summary: "Sign out of the console (clears the session cookie)",
  tags: ["Console"],
  responses: { 204: { description: "Signed out" } },
});

/** The console keeps the session in an HttpOnly cookie, plus a readable CSRF cookie it echoes in a header. */
function setSessionCookies(c: Context<AppEnv>, token: string) {
  const secure = new URL(c.req.url).protocol === "https:";
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure,
    maxAge: SESSION_TTL_SECONDS,
  });
  setCookie(c, CSRF_COOKIE, randomBytes(18).toString("base64url"), {
    httpOnly: false,
    sameSite: "Strict",
    path: "/",
    secure,
    maxAge: SESSION_TTL_SECONDS,
  });
}

export function authRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(signupRoute, async (c) => {
    const result = await signup({ ctx, input: c.req.valid("json") });
    setSessionCookies(c, result.token);
    return c.json(result, 201);
  });
  app.openapi(loginRoute, async (c) => {
    const result = await login({ ctx, input: c.req.valid("json") });
    setSessionCookies(c, result.token);
    return c.json({ token: result.token }, 200);
  });
  app.openapi(logoutRoute, (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    deleteCookie(c, CSRF_COOKIE, { path: "/" });
    return c.body(null, 204);
  });
  return app;
}
