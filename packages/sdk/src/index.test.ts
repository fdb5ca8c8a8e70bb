// The SDK's own behaviour against a scripted transport: what it sends, and how it retries. The
// integration suite (test/integration/sdk.test.ts) runs it against the real app.
import { describe, expect, it } from "vitest";
import { Herald, HeraldError } from "./index.ts";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers from a script (a Response, or an Error to throw). */
function scripted(answers: Array<Response | Error>) {
  const seen: Seen[] = [];
  const fetch = async (request: Request) => {
    const text = await request.text();
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: text ? JSON.parse(text) : undefined,
    });
    const answer = answers.shift();
    if (answer === undefined) throw new Error("no scripted answer left");
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { seen, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const delivered = {
  SentMessage: true,
  Message: "Delivered to Teams.",
  messageId: "msg_1",
  status: "delivered",
};
const unavailable = {
  SentMessage: false,
  Message: "The database is unavailable; retry shortly.",
  messageId: null,
  status: "rejected",
  error: {
    code: "service_unavailable",
    message: "The database is unavailable; retry shortly.",
    requestId: "r1",
  },
};

const activity = (fetch: (r: Request) => Promise<Response>, retries?: number) =>
  new Herald({
    baseUrl: "http://herald.test/",
    licenseKey: "hk_key",
    licenseSecret: "hs_secret",
    fetch,
    retries,
  });

describe("sendMessage", () => {
  it("posts webhookId and textMessage with the license headers and an idempotency key of its own", async () => {
    const t = scripted([json(200, delivered)]);
    const answer = await activity(t.fetch).sendMessage("wh_1", "Ticket #1234 was raised", {
      wait: 5,
      source: "Support portal",
    });
    expect(answer).toEqual({ httpStatus: 200, ...delivered });
    expect(t.seen).toHaveLength(1);
    const [request] = t.seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("http://herald.test/v1/messages?wait=5");
    expect(request?.headers).toMatchObject({
      "x-license-key": "hk_key",
      "x-license-secret": "hs_secret",
      "content-type": "application/json",
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.body).toMatchObject({
      webhookId: "wh_1",
      textMessage: "Ticket #1234 was raised",
      source: "Support portal",
      idempotencyKey: expect.stringMatching(/^sdk-[0-9a-f-]{36}$/),
    });
  });

  it("retries a 503 with the same idempotency key and answers with the retry's outcome", async () => {
    const t = scripted([json(503, unavailable), json(200, delivered)]);
    const answer = await activity(t.fetch).sendMessage("wh_1", "hello");
    expect(answer).toMatchObject({ httpStatus: 200, status: "delivered" });
    expect(t.seen).toHaveLength(2);
    const keys = t.seen.map((s) => (s.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
  });

  it("retries a network error (the answer was lost) with the same idempotency key", async () => {
    const t = scripted([
      new TypeError("fetch failed"),
      json(202, { ...delivered, SentMessage: false, status: "queued" }),
    ]);
    const answer = await activity(t.fetch).sendMessage("wh_1", "hello", { idempotencyKey: "order-17" });
    expect(answer).toMatchObject({ httpStatus: 202, status: "queued" });
    expect(t.seen.map((s) => (s.body as { idempotencyKey: string }).idempotencyKey)).toEqual([
      "order-17",
      "order-17",
    ]);
  });

  it("retries a load balancer's 502 and 504 too", async () => {
    const t = scripted([
      new Response("<html>Bad Gateway</html>", { status: 502 }),
      new Response("<html>Gateway Timeout</html>", { status: 504 }),
      json(200, delivered),
    ]);
    expect(await activity(t.fetch).sendMessage("wh_1", "hello")).toMatchObject({ status: "delivered" });
    expect(t.seen).toHaveLength(3);
  });

  it("gives up after `retries` and answers with the last SendMessageResponse", async () => {
    const t = scripted([json(503, unavailable), json(503, unavailable)]);
    const answer = await activity(t.fetch, 1).sendMessage("wh_1", "hello");
    expect(answer).toMatchObject({
      httpStatus: 503,
      status: "rejected",
      error: { code: "service_unavailable" },
    });
    expect(t.seen).toHaveLength(2);
  });

  it("throws the network error once the retries are spent", async () => {
    const t = scripted([new TypeError("fetch failed"), new TypeError("fetch failed")]);
    await expect(activity(t.fetch, 1).sendMessage("wh_1", "hello")).rejects.toThrow("fetch failed");
  });

  it("does not retry a rejection that would fail again", async () => {
    const quota = {
      SentMessage: false,
      Message: "Monthly quota used up.",
      messageId: null,
      status: "rejected",
      error: { code: "quota_exhausted", message: "Monthly quota used up.", requestId: "r2" },
    };
    const t = scripted([json(429, quota)]);
    const answer = await activity(t.fetch).sendMessage("wh_1", "hello");
    expect(answer).toMatchObject({ httpStatus: 429, error: { code: "quota_exhausted" } });
    expect(t.seen).toHaveLength(1);
  });
});

describe("console and operator calls", () => {
  it("sends the session token as a bearer token and keeps it across with()", async () => {
    const t = scripted([
      json(201, { token: "jwt-1", tenantId: "ten_1", instanceId: "ins_1" }),
      json(200, { items: [] }),
    ]);
    const herald = new Herald({ baseUrl: "http://herald.test", fetch: t.fetch });
    await herald.signup({ email: "ops@contoso.com", password: "a-long-password", organization: "Contoso" });
    expect(herald.sessionToken).toBe("jwt-1");
    await herald.with({}).listInstances();
    expect(t.seen[1]?.headers.authorization).toBe("Bearer jwt-1");
  });

  it("turns an error body into a HeraldError with the code, status and request id", async () => {
    const t = scripted([
      json(
        404,
        {
          error: {
            code: "not_found",
            message: "No webhook with id wh_x in your account.",
            requestId: "req-9",
          },
        },
        { "x-request-id": "req-9" },
      ),
    ]);
    const herald = new Herald({ baseUrl: "http://herald.test", token: "jwt", fetch: t.fetch });
    const error = await herald.getWebhook("wh_x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeraldError);
    expect(error).toMatchObject({
      status: 404,
      code: "not_found",
      requestId: "req-9",
      message: "No webhook with id wh_x in your account.",
    });
  });

  it("calls the operator API with the admin token", async () => {
    const t = scripted([json(200, { items: [] }), new Response(null, { status: 204 })]);
    const admin = new Herald({ baseUrl: "http://herald.test", token: "admin-token", fetch: t.fetch });
    await admin.listTenants({ limit: 5 });
    await admin.setTenantPlan("ten_1", "unlimited");
    expect(t.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET http://herald.test/admin/v1/tenants?limit=5",
      "PUT http://herald.test/admin/v1/tenants/ten_1/plan",
    ]);
    expect(t.seen[1]?.body).toEqual({ plan: "unlimited" });
    expect(t.seen[1]?.headers.authorization).toBe("Bearer admin-token");
  });

  it("reports readiness without throwing on 503", async () => {
    const t = scripted([json(503, { status: "not_ready", reason: "database unreachable" })]);
    const ready = await new Herald({ baseUrl: "http://herald.test", fetch: t.fetch }).ready();
    expect(ready).toEqual({ ready: false, status: "not_ready", reason: "database unreachable" });
  });
});

describe("path parameters", () => {
  // Every call that puts a caller's value in the path, and where that value goes.
  const calls: Array<[string, (h: Herald, id: string) => Promise<unknown>, (id: string) => string]> = [
    ["getMessage", (h, id) => h.getMessage(id), (id) => `/v1/messages/${id}`],
    ["renameInstance", (h, id) => h.renameInstance(id, "x"), (id) => `/v1/instances/${id}`],
    ["createBindingKey", (h, id) => h.createBindingKey(id, "x"), (id) => `/v1/instances/${id}/binding-keys`],
    ["listBindingKeys", (h, id) => h.listBindingKeys(id), (id) => `/v1/instances/${id}/binding-keys`],
    [
      "revokeBindingKey (instance)",
      (h, id) => h.revokeBindingKey(id, "bk_1"),
      (id) => `/v1/instances/${id}/binding-keys/bk_1`,
    ],
    [
      "revokeBindingKey (key)",
      (h, id) => h.revokeBindingKey("ins_1", id),
      (id) => `/v1/instances/ins_1/binding-keys/${id}`,
    ],
    [
      "createWebhook",
      (h, id) => h.createWebhook(id, { name: "x", url: "https://x" }),
      (id) => `/v1/instances/${id}/webhooks`,
    ],
    ["listWebhooks", (h, id) => h.listWebhooks(id), (id) => `/v1/instances/${id}/webhooks`],
    ["getWebhook", (h, id) => h.getWebhook(id), (id) => `/v1/webhooks/${id}`],
    ["updateWebhook", (h, id) => h.updateWebhook(id, { name: "x" }), (id) => `/v1/webhooks/${id}`],
    ["deleteWebhook", (h, id) => h.deleteWebhook(id), (id) => `/v1/webhooks/${id}`],
    ["testWebhook", (h, id) => h.testWebhook(id), (id) => `/v1/webhooks/${id}/test`],
    [
      "webhookErrors",
      (h, id) => h.webhookErrors(id, { limit: 5 }),
      (id) => `/v1/webhooks/${id}/errors?limit=5`,
    ],
    [
      "instanceErrors",
      (h, id) => h.instanceErrors(id, { limit: 5 }),
      (id) => `/v1/instances/${id}/errors?limit=5`,
    ],
    [
      "createEntraApp",
      (h, id) => h.createEntraApp(id, { name: "x", tenantId: "t", clientId: "c", clientSecret: "s" }),
      (id) => `/v1/instances/${id}/entra-apps`,
    ],
    ["listEntraApps", (h, id) => h.listEntraApps(id), (id) => `/v1/instances/${id}/entra-apps`],
    ["deleteEntraApp", (h, id) => h.deleteEntraApp(id), (id) => `/v1/entra-apps/${id}`],
    ["updateMessage", (h, id) => h.updateMessage(id, { textMessage: "x" }), (id) => `/v1/messages/${id}`],
    ["deleteMessage", (h, id) => h.deleteMessage(id), (id) => `/v1/messages/${id}`],
    ["createTeamLink", (h, id) => h.createTeamLink(id), (id) => `/v1/instances/${id}/teams-links`],
    ["listTeams", (h, id) => h.listTeams(id), (id) => `/v1/instances/${id}/teams`],
    [
      "instanceMessage (instance)",
      (h, id) => h.instanceMessage(id, "msg_1"),
      (id) => `/v1/instances/${id}/messages/msg_1`,
    ],
    [
      "instanceMessage (message)",
      (h, id) => h.instanceMessage("ins_1", id),
      (id) => `/v1/instances/ins_1/messages/${id}`,
    ],
    ["putPlan", (h, id) => h.putPlan(id, {}), (id) => `/admin/v1/plans/${id}`],
    ["setTenantPlan", (h, id) => h.setTenantPlan(id, "unlimited"), (id) => `/admin/v1/tenants/${id}/plan`],
  ];
  const hostile = ["wh_a/b", "wh_a%2Fb", "a..b", "../../v1/usage", "..%2F..%2Fv1%2Fusage", "x?y=1#z", "wh 1"];

  describe.each(calls)("%s", (_, call, target) => {
    it.each(hostile)("sends %j as one encoded segment of its own route", async (id) => {
      const t = scripted([json(200, { items: [] })]);
      const credentials = { token: "jwt", licenseKey: "HK-1", licenseSecret: "secret" };
      await call(new Herald({ baseUrl: "http://herald.test", ...credentials, fetch: t.fetch }), id);
      expect(t.seen.map((s) => s.url)).toEqual([`http://herald.test${target(encodeURIComponent(id))}`]);
    });

    it.each(["", ".", ".."])("refuses %j as not found without a request", async (id) => {
      const t = scripted([]);
      const error = await call(new Herald({ baseUrl: "http://herald.test", fetch: t.fetch }), id).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HeraldError);
      expect(error).toMatchObject({ status: 404, code: "not_found" });
      expect(t.seen).toEqual([]);
    });
  });
});
