import {
  ChangePasswordRequest,
  CSRF_COOKIE,
  LoginRequest,
  LoginResponse,
  LogoutEverywhereResponse,
  ResetPasswordRequest,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  SignupRequest,
  SignupResponse,
} from "@herald/contract";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../context.ts";
import type { AppEnv } from "../hono-env.ts";
import { sessionTokenOf } from "../middleware/session-auth/index.ts";
import { login } from "../services/auth/login.ts";
import { changePassword, resetPassword } from "../services/auth/password.ts";
import { csrfTokenFor, endSession, endUserSessions, readSessionToken } from "../services/auth/session.ts";
import { signup } from "../services/auth/signup.ts";
import { errorResponses, json, jsonBody } from "./responses.ts";

const signupRoute = createRoute({
  method: "post",
  path: "/v1/auth/signup",
  operationId: "signUp",
  description:
    'Creates a tenant on the trial plan with one instance named "Developer Instance" and its first user, and signs them in: the session token is in the answer and in the HttpOnly `herald_session` cookie (with the readable `herald_csrf` cookie for forms).',
  security: [],
  summary: "Create a tenant on the trial plan, with a Developer Instance",
  tags: ["Console"],
  request: {
    body: jsonBody(SignupRequest),
  },
  responses: {
    201: json(SignupResponse, "Signed up"),
    ...errorResponses(400, 409, 415, 429, 503),
  },
});

const loginRoute = createRoute({
  method: "post",
  path: "/v1/auth/login",
  operationId: "logIn",
  description:
    "Checks the email and password and answers a session token (also set as cookies). Failed attempts are throttled per account and per client address: 429 rate_limited with Retry-After.",
  security: [],
  summary: "Sign in",
  tags: ["Console"],
  request: { body: jsonBody(LoginRequest) },
  responses: {
    200: json(LoginResponse, "Signed in"),
    ...errorResponses(400, 401, 415, 429, 503),
  },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/v1/auth/logout",
  operationId: "logOut",
  description:
    "Ends the session the request carries (Bearer token or cookie) on every replica and clears the cookies; 204 also when there was no session.",
  security: [],
  summary: "Sign out: ends this session on every replica and clears the session cookie",
  tags: ["Console"],
  responses: { 204: { description: "Signed out" } },
});

const logoutEverywhereRoute = createRoute({
  method: "post",
  path: "/v1/auth/logout-everywhere",
  operationId: "logOutEverywhere",
  description: "Ends every session of the signed-in user, on every device and browser, this one included.",
  summary: "Sign out everywhere: ends every session of this user, this one included",
  tags: ["Console"],
  security: [{ Session: [] }],
  responses: {
    200: json(LogoutEverywhereResponse, "Signed out everywhere"),
    ...errorResponses(401),
  },
});

const changePasswordRoute = createRoute({
  method: "post",
  path: "/v1/auth/password",
  operationId: "changePassword",
  description:
    "Changes the signed-in user's password after checking the current one; the user's other sessions end.",
  summary: "Change the password (signs out every other session)",
  tags: ["Console"],
  security: [{ Session: [] }],
  request: {
    body: jsonBody(ChangePasswordRequest),
  },
  responses: { 204: { description: "Changed" }, ...errorResponses(400, 401, 415, 429, 503) },
});

const resetPasswordRoute = createRoute({
  method: "post",
  path: "/v1/auth/reset-password",
  operationId: "resetPassword",
  security: [],
  summary: "Set a new password with a one-time reset link's token (from `herald users reset-password`)",
  description: "Ends every session of the user and clears the account's sign-in lockout.",
  tags: ["Console"],
  request: { body: jsonBody(ResetPasswordRequest) },
  responses: { 204: { description: "Password set; sign in with it" }, ...errorResponses(400, 415, 429, 503) },
});

/**
 * The console keeps the session in an HttpOnly cookie, plus a readable CSRF token (derived from
 * the session) it echoes in a header. Secure whenever Herald is served over https: by
 * HERALD_PUBLIC_URL or a trusted proxy, not only by what the socket looks like.
 */
function setSessionCookies(c: Context<AppEnv>, ctx: AppContext, token: string) {
  const secure = c.get("clientHttps") || new URL(c.req.url).protocol === "https:";
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure,
    maxAge: SESSION_TTL_SECONDS,
  });
  setCookie(c, CSRF_COOKIE, csrfTokenFor(ctx, readSessionToken(ctx, token).sessionId), {
    httpOnly: false,
    sameSite: "Strict",
    path: "/",
    secure,
    maxAge: SESSION_TTL_SECONDS,
  });
}

function clearSessionCookies(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  deleteCookie(c, CSRF_COOKIE, { path: "/" });
}

export function authRoutes(ctx: AppContext) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(signupRoute, async (c) => {
    const result = await signup({ ctx, input: c.req.valid("json"), clientAddress: c.get("clientAddress") });
    setSessionCookies(c, ctx, result.token);
    return c.json(result, 201);
  });
  app.openapi(loginRoute, async (c) => {
    const result = await login({ ctx, input: c.req.valid("json"), clientAddress: c.get("clientAddress") });
    setSessionCookies(c, ctx, result.token);
    return c.json({ token: result.token }, 200);
  });
  app.openapi(logoutRoute, async (c) => {
    const { token } = sessionTokenOf(c);
    if (token) {
      try {
        await endSession(ctx, readSessionToken(ctx, token));
      } catch {
        // Not a live token of ours: there is nothing to end, and signing out still succeeds.
      }
    }
    clearSessionCookies(c);
    return c.body(null, 204);
  });
  app.openapi(logoutEverywhereRoute, async (c) => {
    const sessionsEnded = await endUserSessions(ctx, c.get("session"));
    clearSessionCookies(c);
    return c.json({ sessionsEnded }, 200);
  });
  app.openapi(changePasswordRoute, async (c) => {
    await changePassword({
      ctx,
      session: c.get("session"),
      input: c.req.valid("json"),
      clientAddress: c.get("clientAddress"),
    });
    return c.body(null, 204);
  });
  app.openapi(resetPasswordRoute, async (c) => {
    await resetPassword({ ctx, input: c.req.valid("json"), clientAddress: c.get("clientAddress") });
    return c.body(null, 204);
  });
  return app;
}
