// Console sessions are revocable (issue #15, finding 4): sign-out, sign-out everywhere, password
// change and reset, and deleting the user or tenant end them, on every replica within 5 s; a
// token without `exp` is refused; the CSRF token is bound to its session.
import { createHmac, randomBytes } from "node:crypto";
import { createPasswordReset, periodicJobs } from "@herald/api";
import { Housekeeping } from "@herald/delivery";
import { Herald } from "@herald/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";

let a: Harness;
/** A second replica on the same PostgreSQL (the embedded database serves one process: see data-dir-lock). */
let b: Harness | undefined;

beforeAll(async () => {
  a = await startHarness({ worker: false });
  if (a.engine === "postgres") b = await startHarness({ worker: false });
});
afterAll(async () => {
  await b?.close();
  await a.close();
});

const status = async (h: Harness, token: string) =>
  (await h.client({ token }).raw("GET", "/v1/instances")).status;

/** Polls until the token is refused on that replica; returns how long it took. */
async function refusedWithin(h: Harness, token: string, boundMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < boundMs + 1000) {
    if ((await status(h, token)) === 401) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number.POSITIVE_INFINITY;
}

async function signIn(h: Harness, t: TestTenant): Promise<string> {
  const { token } = await h.client().login({ email: t.email, password: t.password });
  return token;
}

describe("revocation", () => {
  it("sign-out ends the session at once here and within 5 s on another replica", async () => {
    const t = await a.tenant();
    const token = await signIn(a, t);
    expect(await status(a, token)).toBe(200);
    if (b) expect(await status(b, token)).toBe(200); // b now holds the session in its cache
    const out = await a.client({ token }).raw("POST", "/v1/auth/logout");
    expect(out.status).toBe(204);
    expect(await status(a, token)).toBe(401);
    if (b) {
      const ms = await refusedWithin(b, token, 5000);
      console.log(`sign-out reached the other replica in ${ms} ms`);
      expect(ms).toBeLessThan(5000);
    }
  });

  it("deleting the user, or its tenant, ends its sessions on every replica within 5 s", async () => {
    for (const what of ["user", "tenant"] as const) {
      const t = await a.tenant();
      const token = t.console.sessionToken ?? "";
      expect(await status(a, token)).toBe(200);
      if (b) expect(await status(b, token)).toBe(200);
      if (what === "user") await a.sql`DELETE FROM users WHERE email = ${t.email}`;
      else await a.sql`DELETE FROM tenants WHERE id = ${t.tenantId}`;
      for (const replica of b ? [a, b] : [a]) {
        const ms = await refusedWithin(replica, token, 5000);
        console.log(`deleted ${what}: token refused after ${ms} ms`);
        expect(ms).toBeLessThan(5000);
      }
    }
  });

  it("sign out everywhere ends every session of the user", async () => {
    const t = await a.tenant();
    const first = t.console.sessionToken ?? "";
    const second = await signIn(a, t);
    const res = await a.client({ token: second }).raw("POST", "/v1/auth/logout-everywhere");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sessionsEnded: 2 });
    expect(await status(a, first)).toBe(401);
    expect(await status(a, second)).toBe(401);
  });

  it("a password change keeps this session, ends the others, and only the new password signs in", async () => {
    const t = await a.tenant();
    const other = await signIn(a, t);
    const here = t.console.sessionToken ?? "";
    const weak = await t.console.raw("POST", "/v1/auth/password", {
      currentPassword: t.password,
      newPassword: "          ",
    });
    expect(weak.status).toBe(400);
    const wrong = await t.console.raw("POST", "/v1/auth/password", {
      currentPassword: "not the password",
      newPassword: "a new long passphrase",
    });
    expect(wrong.status).toBe(401);
    const changed = await t.console.raw("POST", "/v1/auth/password", {
      currentPassword: t.password,
      newPassword: "a new long passphrase",
    });
    expect(changed.status).toBe(204);
    expect(await status(a, here)).toBe(200);
    expect(await status(a, other)).toBe(401);
    const old = await a.client().raw("POST", "/v1/auth/login", { email: t.email, password: t.password });
    expect(old.status).toBe(401);
    await a.client().login({ email: t.email, password: "a new long passphrase" });
  });

  it("a one-time reset link sets a new password once, ends every session and lifts the lockout", async () => {
    const t = await a.tenant();
    const token = t.console.sessionToken ?? "";
    for (let i = 0; i < 11; i++)
      await a.client().raw("POST", "/v1/auth/login", { email: t.email, password: "wrong password!" });
    const locked = await a.client().raw("POST", "/v1/auth/login", { email: t.email, password: t.password });
    expect(locked.status).toBe(429);
    const reset = await createPasswordReset(a.runtime.ctx, {
      email: t.email,
      baseUrl: "https://herald.test",
    });
    const link = new URL(reset?.link ?? "");
    expect(link.pathname).toBe("/console/reset-password");
    const resetToken = link.searchParams.get("token") ?? "";
    const body = { token: resetToken, newPassword: "reset long passphrase" };
    expect((await a.client().raw("POST", "/v1/auth/reset-password", body)).status).toBe(204);
    expect((await a.client().raw("POST", "/v1/auth/reset-password", body)).status).toBe(400);
    expect(await status(a, token)).toBe(401);
    await a.client().login({ email: t.email, password: "reset long passphrase" });
    const rows = await a.sql`SELECT token_hash FROM password_resets`;
    for (const row of rows)
      expect(Buffer.from(row.tokenHash as Uint8Array).toString()).not.toContain(resetToken);
  });
});

describe("tokens", () => {
  function forge(claims: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    const signature = createHmac("sha256", a.runtime.ctx.keys.sessionKey)
      .update(`${header}.${payload}`)
      .digest("base64url");
    return `${header}.${payload}.${signature}`;
  }

  it("refuses a correctly signed token without exp, past exp, or without a live session", async () => {
    const t = await a.tenant();
    const [row] = await a.sql<{ id: string; userId: string }[]>`
      SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ${t.email}`;
    const base = { sub: row?.userId, tid: t.tenantId, sid: row?.id, iss: "herald", aud: "herald-console" };
    const now = Math.floor(Date.now() / 1000);
    expect(await status(a, forge({ ...base, exp: now + 60 }))).toBe(200);
    expect(await status(a, forge(base))).toBe(401);
    expect(await status(a, forge({ ...base, exp: now - 1 }))).toBe(401);
    expect(await status(a, forge({ ...base, sid: "ses_unknown", exp: now + 60 }))).toBe(401);
  });

  it("binds the CSRF token to the session and checks Origin when Sec-Fetch-Site is absent", async () => {
    const t = await a.tenant();
    const mine = await a.client().raw("POST", "/v1/auth/login", { email: t.email, password: t.password });
    const cookies = mine.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
    const session = cookies.find((c) => c.startsWith("herald_session=")) ?? "";
    const csrf = (cookies.find((c) => c.startsWith("herald_csrf=")) ?? "").slice("herald_csrf=".length);
    const other = await a.tenant();
    const theirs = await a
      .client()
      .raw("POST", "/v1/auth/login", { email: other.email, password: other.password });
    const theirCsrf = (
      theirs.headers
        .getSetCookie()
        .map((c) => c.split(";")[0] ?? "")
        .find((c) => c.startsWith("herald_csrf=")) ?? ""
    ).slice("herald_csrf=".length);
    const post = (token: string, headers: Record<string, string> = {}) =>
      new Herald({ baseUrl: "http://herald.test", fetch: (r) => a.runtime.app.fetch(r) }).raw(
        "POST",
        "/v1/instances",
        { name: "by cookie" },
        { cookie: `${session}; herald_csrf=${token}`, "x-csrf-token": token, ...headers },
      );
    expect((await post(theirCsrf)).status).toBe(401);
    expect((await post(csrf, { origin: "https://evil.example" })).status).toBe(401);
    expect((await post(csrf, { origin: "http://herald.test" })).status).toBe(201);
  });
});

describe("housekeeping", () => {
  it("prunes sessions that are over once they no longer record a sign-in address, on the context's clock", async () => {
    const t = await a.tenant();
    const [user] = await a.sql<{ id: string }[]>`SELECT id FROM users WHERE email = ${t.email}`;
    const DAY = 86_400_000;
    // The job's clock runs two days ahead of the wall clock: what it prunes is decided by it alone.
    const now = Date.now() + 2 * DAY;
    const rows = {
      expiredLongAgo: { createdDaysAgo: 40, expiresInDays: -33, revoked: false },
      revokedLongAgo: { createdDaysAgo: 31, expiresInDays: -24, revoked: true },
      revokedRecently: { createdDaysAgo: 3, expiresInDays: 4, revoked: true },
      live: { createdDaysAgo: 1, expiresInDays: 6, revoked: false },
    };
    for (const [name, row] of Object.entries(rows)) {
      await a.sql`INSERT INTO sessions (id, user_id, tenant_id, created_at, expires_at, revoked_at)
        VALUES (${`ses_${name}_${t.tenantId}`}, ${user?.id ?? ""}, ${t.tenantId},
                ${new Date(now - row.createdDaysAgo * DAY)}, ${new Date(now + row.expiresInDays * DAY)},
                ${row.revoked ? new Date(now - row.createdDaysAgo * DAY) : null})`;
    }
    // Only by the job's clock is this one past the 30 days (29 by the wall clock).
    await a.sql`INSERT INTO sessions (id, user_id, tenant_id, created_at, expires_at, revoked_at)
      VALUES (${`ses_byClock_${t.tenantId}`}, ${user?.id ?? ""}, ${t.tenantId},
              ${new Date(Date.now() - 29 * DAY)}, ${new Date(Date.now() - 22 * DAY)}, null)`;
    for (const expiresAt of [now - 60_000, now + 60_000])
      await a.sql`INSERT INTO password_resets (token_hash, user_id, expires_at)
        VALUES (${randomBytes(32)}, ${user?.id ?? ""}, ${new Date(expiresAt)})`;
    const ctx = { ...a.runtime.ctx, clock: { now: () => new Date(now) } };
    const housekeeping = new Housekeeping(ctx, periodicJobs(ctx));
    await housekeeping.runDue(now);
    await housekeeping.runDue(now + 60 * 60_000);
    await housekeeping.settle();
    const left = await a.sql<
      { id: string }[]
    >`SELECT id FROM sessions WHERE tenant_id = ${t.tenantId} ORDER BY id`;
    const inserted = left.map((r) => r.id).filter((id) => id.endsWith(`_${t.tenantId}`));
    expect(inserted.map((id) => id.split("_")[1])).toEqual(["live", "revokedRecently"]);
    const resets = await a.sql<
      { expiresAt: Date }[]
    >`SELECT expires_at FROM password_resets WHERE user_id = ${user?.id ?? ""}`;
    expect(resets.map((r) => r.expiresAt.getTime())).toEqual([now + 60_000]);
    expect(await status(a, t.console.sessionToken ?? "")).toBe(200);
  });
});
