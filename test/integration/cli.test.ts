// The `herald` command against a running Herald and a real database: `send` prints the
// SendMessageResponse, `rotate-key` moves every webhook URL and channel hash to a new secret.
import type { AddressInfo } from "node:net";
import { createKeyring, createLogger, loadConfig, startRuntime } from "@herald/api";
import { Herald } from "@herald/sdk";
import { startTeamsSim, type TeamsSim } from "@herald/teams-sim";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHerald } from "../support/cli.ts";
import { type Harness, startHarness, type TestTenant } from "../support/harness.ts";
import { scratchDatabase } from "../support/scratch-db.ts";

let h: Harness;
let t: TestTenant;
let base: string;
let server: ReturnType<typeof serve>;
beforeAll(async () => {
  h = await startHarness();
  t = await h.tenant({ plan: "unlimited" });
  server = serve({ fetch: h.runtime.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.close();
});

describe("herald send", () => {
  it("sends a first message with a binding key and prints the SendMessageResponse", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const result = await runHerald(
      ["send", webhookId, "Ticket", "#1234", "was raised", "--source", "cli test"],
      {
        HERALD_URL: base,
        HERALD_LICENSE_KEY: t.licenseKey,
        HERALD_LICENSE_SECRET: t.licenseSecret,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const response = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(response).toMatchObject({
      SentMessage: true,
      status: "delivered",
      messageId: expect.stringMatching(/^msg_/),
    });
    expect(Object.keys(response).sort()).toEqual(["Message", "SentMessage", "messageId", "status"]);
    expect(h.sim.requests(url).map((r) => r.text)).toEqual(["Ticket #1234 was raised"]);
  });

  it("reads the text from a pipe, as in `echo … | herald send wh_…`", async () => {
    const url = h.sim.legacyUrl();
    const webhookId = await t.addWebhook(url);
    const env = {
      HERALD_URL: base,
      HERALD_LICENSE_KEY: t.licenseKey,
      HERALD_LICENSE_SECRET: t.licenseSecret,
    };
    const piped = await runHerald(["send", webhookId], env, 60_000, "Backup finished: 12 GB\n");
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ status: "delivered" });
    const dash = await runHerald(["send", webhookId, "-"], env, 60_000, "line one\nline two\n");
    expect(dash.code, dash.stderr).toBe(0);
    expect(h.sim.requests(url).map((r) => r.text)).toEqual(["Backup finished: 12 GB", "line one\nline two"]);
    // Nothing piped and no text: a usage error (2), and nothing is sent.
    const empty = await runHerald(["send", webhookId], env, 60_000, "");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("piped to stdin");
    expect(h.sim.requests(url)).toHaveLength(2);
  });

  it("exits 1 and still prints the answer when the message is rejected", async () => {
    const result = await runHerald(["send", "wh_unknown", "hello", "--url", base], {
      HERALD_LICENSE_KEY: t.licenseKey,
      HERALD_LICENSE_SECRET: t.licenseSecret,
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ SentMessage: false, status: "rejected" });
  });

  it("explains what is missing without a binding key", async () => {
    const result = await runHerald(["send", "wh_x", "hello", "--url", base]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/HERALD_LICENSE_KEY/);
  });
});

describe("herald rotate-key", () => {
  const OLD = "old-secret-0123456789abcdef0123456789abcdef";
  const NEW = "new-secret-fedcba9876543210fedcba9876543210";
  let sim: TeamsSim;
  beforeAll(async () => {
    sim = await startTeamsSim();
  });
  afterAll(() => sim.close());

  it("re-encrypts every URL under the new secret and merges channels split by the change", async () => {
    const scratch = await scratchDatabase();
    const start = async (secret: string, previous?: string) => {
      const database = await scratch.connect();
      const config = loadConfig({
        DATABASE_URL: scratch.url,
        HERALD_SECRET: secret,
        ...(previous ? { HERALD_SECRET_PREVIOUS: previous } : {}),
        HERALD_WEBHOOK_HOSTS: "127.0.0.1:*",
        HERALD_LOG_LEVEL: "silent",
      });
      const runtime = await startRuntime({
        config,
        logger: createLogger({ logLevel: "silent" }),
        worker: true,
        workerOptions: { pollMs: 100 },
        database,
      });
      const client = new Herald({ baseUrl: "http://herald.test", fetch: (r) => runtime.app.fetch(r) });
      return {
        runtime,
        client,
        async stop() {
          await runtime.close();
          await database.close();
        },
      };
    };
    // Sessions are signed with the current secret: each phase signs in again.
    const credentials = { email: "rotate@example.com", password: "correct horse battery" };
    const urlA = sim.legacyUrl("rotation-a");
    const urlB = sim.legacyUrl("rotation-b");
    try {
      // Under the old secret: a tenant with two webhooks.
      const before = await start(OLD);
      const { instanceId, tenantId } = await before.client.signup({
        ...credentials,
        organization: "Rotation",
      });
      const key = await before.client.createBindingKey(instanceId, "app");
      const a = (await before.client.createWebhook(instanceId, { name: "A", url: urlA })).webhookId;
      const b = (await before.client.createWebhook(instanceId, { name: "B", url: urlB })).webhookId;
      await before.stop();

      // The operator lifts the trial's two-webhook limit from the command line.
      const operator = { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: "1", HERALD_SECRET: OLD };
      const moved = await runHerald(["tenants", "set-plan", tenantId, "unlimited"], operator);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toContain(`Tenant ${tenantId} is on plan unlimited.`);
      const listed = await runHerald(["tenants", "list", "--json"], operator);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({ id: tenantId, plan: "unlimited" }),
      ]);

      // Replicas now run with the new secret and the old one as previous: old URLs still decrypt, and
      // the same URL registered again lands on a second channel (its hash is keyed by the new secret).
      const during = await start(NEW, OLD);
      const owner = during.client.with({});
      await owner.login(credentials);
      const activity = during.client.with({ licenseKey: key.licenseKey, licenseSecret: key.licenseSecret });
      expect((await activity.sendMessage(a, "during rotation")).status).toBe("delivered");
      const a2 = (await owner.createWebhook(instanceId, { name: "A again", url: urlA })).webhookId;
      const channelOf = async (id: string) =>
        (
          await during.runtime.ctx.sql<
            { channelId: string }[]
          >`SELECT channel_id::text FROM webhooks WHERE id = ${id}`
        )[0]?.channelId;
      expect(await channelOf(a2)).not.toBe(await channelOf(a));
      await during.stop();

      const env = {
        DATABASE_URL: scratch.url,
        DATABASE_POOL_SIZE: "1",
        HERALD_SECRET: NEW,
        HERALD_SECRET_PREVIOUS: OLD,
      };
      const result = await runHerald(["rotate-key", "--batch-size", "1"], env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Webhook URLs: 2 re-encrypted");
      expect(result.stdout).toMatch(/Channels: 3 checked, 1 re-keyed, 1 merged with a twin/);
      expect(result.stderr).toContain("re-encrypting webhook URLs: 2/2 (100%)");
      expect(result.stderr).toContain("re-keying channels: 3/3 (100%)");
      const again = await runHerald(["rotate-key"], env);
      expect(again.stdout).toContain("Webhook URLs: 0 re-encrypted");

      // The old secret is gone: everything still decrypts, and one URL is one channel again.
      const after = await start(NEW);
      const rows = await after.runtime.ctx.sql<{ id: string; urlKeyId: string; channelId: string }[]>`
        SELECT id, url_key_id, channel_id::text FROM webhooks ORDER BY id`;
      expect(new Set(rows.map((r) => r.urlKeyId))).toEqual(new Set([createKeyring(NEW).urlKeyId]));
      const channel = (id: string) => rows.find((r) => r.id === id)?.channelId;
      expect(channel(a2)).toBe(channel(a));
      expect(channel(b)).not.toBe(channel(a));
      const activityAfter = after.client.with({
        licenseKey: key.licenseKey,
        licenseSecret: key.licenseSecret,
      });
      for (const id of [a, a2, b])
        expect((await activityAfter.sendMessage(id, `after ${id}`)).status).toBe("delivered");
      const ownerAfter = after.client.with({});
      await ownerAfter.login(credentials);
      const a3 = (await ownerAfter.createWebhook(instanceId, { name: "A third", url: urlA })).webhookId;
      const channels = await after.runtime.ctx.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM channels`;
      expect(channels[0]?.n).toBe(2);
      expect(
        (
          await after.runtime.ctx.sql<
            { channelId: string }[]
          >`SELECT channel_id::text FROM webhooks WHERE id = ${a3}`
        )[0]?.channelId,
      ).toBe(channel(a));
      await after.stop();
    } finally {
      await scratch.drop();
    }
  });
});
