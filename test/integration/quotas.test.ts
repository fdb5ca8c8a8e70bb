// Plans and quotas: the webhook limit with its numbers, the monthly message limit under concurrency
// (race-free on both engines), overage plans that never refuse, and trials that end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
const clock = new ManualClock();

const plan = (overrides: Record<string, unknown>) => ({
  displayName: "Test plan",
  webhookLimit: null,
  monthlyMessageLimit: null,
  billOverage: false,
  trialDays: null,
  requestsPerSecond: null,
  stripePriceId: null,
  stripeMeteredPriceId: null,
  ...overrides,
});

async function putPlan(name: string, overrides: Record<string, unknown>) {
  const res = await h.admin("PUT", `/admin/v1/plans/${name}`, plan(overrides));
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  h = await startHarness({ clock });
  await putPlan("test-twelve-messages", { monthlyMessageLimit: 12 });
  await putPlan("test-overage", { monthlyMessageLimit: 3, billOverage: true });
});
afterAll(() => h.close());

describe("webhook quota", () => {
  it("refuses the third webhook on the 2-webhook trial plan with the numbers, and deleting one frees the slot", async () => {
    const t = await h.tenant(); // signup: the trial plan
    await t.addWebhook(h.sim.legacyUrl(), "First");
    const second = await t.addWebhook(h.sim.legacyUrl(), "Second");

    const refused = await t.addWebhook(h.sim.legacyUrl(), "Third").catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: "quota_exhausted" });
    expect((refused as Error).message).toBe("Webhook quota reached: 2 of 2 on plan trial.");
    expect((refused as { body: unknown }).body).toMatchObject({
      error: { details: { used: 2, limit: 2, plan: "trial" } },
    });

    await t.console.deleteWebhook(second);
    await expect(t.addWebhook(h.sim.legacyUrl(), "Third")).resolves.toMatch(/^wh_/);
    const usage = await t.console.usage();
    expect(usage.quota.webhooks).toEqual({ used: 2, limit: 2 });
  });
});

describe("webhook quota under concurrency", () => {
  it("registers exactly as many webhooks as the plan allows when they arrive together", async () => {
    const t = await h.tenant(); // trial: 2 webhooks
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => t.addWebhook(h.sim.legacyUrl(), `Parallel ${i}`)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.reason).toMatchObject({ status: 429, code: "quota_exhausted" });
    expect((await t.console.listWebhooks(t.instanceId)).items).toHaveLength(2);
  });
});

describe("monthly message quota", () => {
  it(`hands out exactly the remaining allowance to 50 concurrent sendMessage calls (${process.env.DATABASE_URL ? "PostgreSQL" : "embedded"})`, async () => {
    const t = await h.tenant({ plan: "test-twelve-messages" });
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    for (const text of ["one", "two"]) {
      expect(await t.activity.sendMessage(webhookId, text, { wait: 0 })).toMatchObject({ httpStatus: 202 });
    }

    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.activity.sendMessage(webhookId, `burst ${i}`, { wait: 0 })),
    );
    const accepted = answers.filter((a) => a.httpStatus === 202);
    const refused = answers.filter((a) => a.httpStatus === 429);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const answer of refused) {
      expect(answer).toMatchObject({
        SentMessage: false,
        status: "rejected",
        messageId: null,
        error: { code: "quota_exhausted" },
      });
      expect(answer.Message).toMatch(
        /^Monthly message quota reached: 12 of 12 on plan test-twelve-messages; it resets on \d{4}-\d{2}-01\.$/,
      );
    }

    const usage = await t.console.usage();
    expect(usage.quota.messagesThisMonth).toMatchObject({ used: 12, limit: 12 });
    expect(usage.thisMonth.messagesAccepted).toBe(12);
  });

  it.runIf(process.env.DATABASE_URL)(
    "hands out exactly the remaining allowance across two replicas sharing PostgreSQL",
    async () => {
      const replica = await startHarness({ clock });
      try {
        const t = await h.tenant({ plan: "test-twelve-messages" });
        const webhookId = await t.addWebhook(h.sim.legacyUrl());
        const other = replica.client({ licenseKey: t.licenseKey, licenseSecret: t.licenseSecret });
        // Separate processes' group commits: concurrent transactions, one quota row.
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 === 0 ? t.activity : other).sendMessage(webhookId, `r ${i}`, { wait: 0 }),
          ),
        );
        expect(answers.filter((a) => a.httpStatus === 202)).toHaveLength(12);
        expect(answers.filter((a) => a.httpStatus === 429)).toHaveLength(38);
      } finally {
        await replica.close();
      }
    },
  );

  it("starts a new allowance with the next UTC month", async () => {
    const t = await h.tenant({ plan: "test-twelve-messages" });
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const answers = await Promise.all(
      Array.from({ length: 13 }, (_, i) => t.activity.sendMessage(webhookId, `m ${i}`, { wait: 0 })),
    );
    expect(answers.filter((a) => a.httpStatus === 429)).toHaveLength(1);

    const saved = clock.now();
    const d = clock.now();
    clock.set(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 0, 0, 1)));
    try {
      expect(await t.activity.sendMessage(webhookId, "new month", { wait: 0 })).toMatchObject({
        httpStatus: 202,
      });
    } finally {
      clock.set(saved);
    }
  });

  it("never refuses on a plan that bills overage", async () => {
    const t = await h.tenant({ plan: "test-overage" });
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.activity.sendMessage(webhookId, `over ${i}`, { wait: 0 })),
    );
    expect(answers.map((a) => a.httpStatus)).toEqual(Array(8).fill(202));
    const usage = await t.console.usage();
    expect(usage.quota.messagesThisMonth).toEqual({ used: 8, limit: 3, billOverage: true });
  });
});

describe("subscription state", () => {
  it("answers subscription_inactive once the trial has ended, and sendMessage refuses with license_invalid", async () => {
    const t = await h.tenant(); // trial: 30 days from the (injected) now
    const webhookId = await t.addWebhook(h.sim.legacyUrl());
    expect(await t.activity.validateLicense()).toMatchObject({ httpStatus: 200, valid: true, plan: "trial" });

    const saved = clock.now();
    clock.advanceDays(31);
    try {
      const validation = await t.activity.validateLicense();
      expect(validation).toMatchObject({
        httpStatus: 401,
        valid: false,
        reason: "subscription_inactive",
        message: expect.stringMatching(/trial of .* ended on \d{4}-\d{2}-\d{2}/),
      });

      const answer = await t.activity.sendMessage(webhookId, "after the trial");
      expect(answer).toMatchObject({
        httpStatus: 401,
        SentMessage: false,
        status: "rejected",
        error: { code: "license_invalid", details: { reason: "subscription_inactive" } },
      });
    } finally {
      clock.set(saved);
    }
    expect(await t.activity.validateLicense()).toMatchObject({ valid: true });
  });

  it("answers subscription_inactive for a cancelled or unpaid subscription", async () => {
    for (const status of ["canceled", "unpaid"]) {
      const t = await h.tenant({ plan: "test-twelve-messages" });
      const webhookId = await t.addWebhook(h.sim.legacyUrl());
      // Before the key's first use, so no cached license hides the change.
      await h.sql`UPDATE tenants SET subscription_status = ${status} WHERE id = ${t.tenantId}`;
      const answer = await t.activity.sendMessage(webhookId, "x", { wait: 0 });
      expect(answer).toMatchObject({
        httpStatus: 401,
        error: { code: "license_invalid", details: { reason: "subscription_inactive" } },
      });
      expect(answer.Message).toContain(status);
    }
  });
});

describe("plans are data", () => {
  it("are defined and changed by PUT, which keeps the settings not given and clears those given as null", async () => {
    const put = async (body: Record<string, unknown>) => {
      const res = await h.admin("PUT", "/admin/v1/plans/test-cli", body);
      expect(res.status).toBe(200);
      return res.json();
    };
    await put({ displayName: "From the API", webhookLimit: 4, monthlyMessageLimit: 100, billOverage: true });
    expect(await put({ monthlyMessageLimit: null, trialDays: 7 })).toEqual({
      name: "test-cli",
      displayName: "From the API",
      webhookLimit: 4,
      monthlyMessageLimit: null,
      billOverage: true,
      trialDays: 7,
      requestsPerSecond: null,
      stripePriceId: null,
      stripeMeteredPriceId: null,
    });
    expect(await put({ trialDays: null })).toMatchObject({ webhookLimit: 4, trialDays: null });
    const listed = (await (await h.admin("GET", "/admin/v1/plans")).json()) as { items: { name: string }[] };
    expect(listed.items.find((p) => p.name === "test-cli")).toMatchObject({ displayName: "From the API" });
  });

  it("refuse a bad plan name or setting with invalid_request naming the field", async () => {
    const badName = await h.admin("PUT", "/admin/v1/plans/Not_A_Name", { displayName: "x" });
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ error: { code: "invalid_request" } });
    const badLimit = await h.admin("PUT", "/admin/v1/plans/test-cli", { webhookLimit: -1 });
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({
      error: { code: "invalid_request", details: { fields: [{ field: "webhookLimit" }] } },
    });
  });

  it("apply to a tenant at once when the operator moves it to another plan", async () => {
    const t = await h.tenant(); // trial: 2 webhooks
    await t.addWebhook(h.sim.legacyUrl());
    await t.addWebhook(h.sim.legacyUrl());
    expect(await t.activity.validateLicense()).toMatchObject({ plan: "trial" }); // cached now
    const res = await h.admin("PUT", `/admin/v1/tenants/${t.tenantId}/plan`, { plan: "test-cli" });
    expect(res.status).toBe(204);
    expect(await t.activity.validateLicense()).toMatchObject({ plan: "test-cli" });
    await expect(t.addWebhook(h.sim.legacyUrl())).resolves.toMatch(/^wh_/);
  });
});
