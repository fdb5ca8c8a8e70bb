// The connector configuration page (/teams/configure) inside a test page that plays Microsoft Teams'
// side of teams-js: Save registers the channel's webhook in the chosen instance and stores a
// contentUrl for later edits; Remove deletes it.
import { Herald, HeraldError } from "@herald/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  newContext,
  screenshot,
  TEAMS_JS_VALID_DOMAINS,
  watchProblems,
} from "./support/chromium.ts";
import { type ServedHerald, serveHerald } from "./support/serve.ts";
import { installTeamsHost, type TeamsHostOptions } from "./support/teams-host.ts";

const HOST_PAGE = "/__test/teams-host";
const hostPage = (request: Request) =>
  new URL(request.url).pathname === HOST_PAGE
    ? new Response(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Teams</title></head><body></body></html>',
        {
          headers: { "content-type": "text/html; charset=utf-8" },
        },
      )
    : undefined;

// teams-js fetches Microsoft's list of Teams hosts when it loads; the page's CSP allows exactly that
// file (the test context serves it, see newContext). Nothing is expected in the console.

let herald: ServedHerald;
let browser: Browser;
const email = `teams-${Date.now().toString(36)}@contoso.example`;
const password = "correct horse battery";
let owner: Herald;
let instanceId = "";

beforeAll(async () => {
  [herald, browser] = await Promise.all([serveHerald({ extra: hostPage }), launchChromium()]);
  owner = new Herald({ baseUrl: herald.baseUrl });
  ({ instanceId } = await owner.signup({ email, password, organization: "Contoso Teams" }));
});

afterAll(async () => {
  await browser?.close();
  await herald?.close();
});

async function openInTeams(page: Page, options: Omit<TeamsHostOptions, "channel">) {
  await page.goto(HOST_PAGE);
  await page.evaluate(installTeamsHost, {
    ...options,
    channel: { id: "19:general@thread.tacv2", name: "General", team: "Contoso Support" },
  });
  return page.frameLocator("#teams-config-frame");
}

const hostState = (page: Page) => page.evaluate(() => window.teamsHost);

describe("Teams connector configuration page", () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let webhookUrl = "";
  let saved: Record<string, unknown> | null = null;

  beforeAll(async () => {
    context = await newContext(browser, herald.baseUrl);
    page = await context.newPage();
    problems = watchProblems(page);
    webhookUrl = herald.harness.sim.legacyUrl("general");
  });
  afterAll(() => context.close());

  it("explains itself when opened outside Teams", async () => {
    const cdn = page.waitForRequest(TEAMS_JS_VALID_DOMAINS);
    await page.goto("/teams/configure");
    await page.locator("#tc-outside").waitFor({ state: "visible" });
    // The list of Teams hosts was fetched (not refused by the CSP).
    expect((await (await cdn).response())?.status()).toBe(200);
    await screenshot(page, "20-teams-configure-outside");
  });

  it("registers the channel's webhook in the chosen instance on Save", async () => {
    await page.goto("/console/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/channels$/);

    const frame = await openInTeams(page, {
      src: "/teams/configure",
      frameContext: "settings",
      settings: { webhookUrl, appType: "teams", userObjectId: "5d8a4c3e-0000-4000-8000-000000000001" },
    });
    await frame.locator("#tc-settings").waitFor({ state: "visible" });
    expect(await frame.getByLabel("Herald instance").locator("option").allTextContents()).toEqual([
      "Developer Instance",
    ]);
    expect(await frame.getByLabel("Channel name in Herald").inputValue()).toBe("General");
    await page.waitForFunction(() => window.teamsHost?.valid === true);
    expect((await hostState(page))?.registered).toContain("save");

    // Save is offered only while the form is complete.
    await frame.getByLabel("Channel name in Herald").fill("");
    await page.waitForFunction(() => window.teamsHost?.valid === false);
    await frame.getByLabel("Channel name in Herald").fill("General");
    await page.waitForFunction(() => window.teamsHost?.valid === true);
    await screenshot(page, "21-teams-configure-settings");

    await page.evaluate(() => window.teamsHost?.save());
    await page.waitForFunction(() => window.teamsHost?.outcome !== null);
    const state = await hostState(page);
    expect(state?.outcome).toBe("settings.save.success");
    saved = state?.saved ?? null;
    const webhookId = String(saved?.entityId);
    expect(webhookId).toMatch(/^wh_/);
    expect(saved).toMatchObject({
      configName: "General",
      contentUrl: `${herald.baseUrl}/teams/configure?webhookId=${webhookId}`,
    });
    // The page asked Teams for the settings (and so the webhook URL) when Save was pressed.
    const funcs = state?.messages.map((m) => m.func) ?? [];
    expect(funcs.lastIndexOf("settings.getSettings")).toBeGreaterThan(funcs.indexOf("registerHandler"));

    const webhook = await owner.getWebhook(webhookId);
    expect(webhook).toMatchObject({ name: "General", instanceId, state: "active" });
    expect(await frame.locator("#tc-webhook-id").textContent()).toBe(webhookId);
    await screenshot(page, "22-teams-configure-saved");

    // The registered URL is the one Teams gave: a message through Herald reaches that channel.
    const key = await owner.createBindingKey(instanceId, "Teams test");
    const activity = new Herald({
      baseUrl: herald.baseUrl,
      licenseKey: key.licenseKey,
      licenseSecret: key.licenseSecret,
    });
    expect(await activity.sendMessage(webhookId, "Hello from Herald")).toMatchObject({ status: "delivered" });
    expect(herald.harness.sim.requests(webhookUrl).map((r) => r.text)).toEqual(["Hello from Herald"]);
  });

  it("reopens the saved configuration from its contentUrl and updates it", async () => {
    const webhookId = String(saved?.entityId);
    const frame = await openInTeams(page, {
      src: String(saved?.contentUrl),
      frameContext: "settings",
      settings: { ...saved, webhookUrl },
    });
    await frame.getByRole("heading", { name: "Update this channel's connection" }).waitFor();
    expect(await frame.getByLabel("Herald instance").isDisabled()).toBe(true);
    await frame.getByLabel("Channel name in Herald").fill("General (ops)");
    await page.waitForFunction(() => window.teamsHost?.valid === true);
    await page.evaluate(() => window.teamsHost?.save());
    await page.waitForFunction(() => window.teamsHost?.outcome !== null);
    expect((await hostState(page))?.outcome).toBe("settings.save.success");
    expect((await owner.getWebhook(webhookId)).name).toBe("General (ops)");
    expect((await owner.listWebhooks(instanceId)).items).toHaveLength(1);
  });

  it("deletes the webhook on Remove, signing in inside the page when Teams' iframe has no session", async () => {
    const webhookId = String(saved?.entityId);
    const fresh = await newContext(browser, herald.baseUrl);
    const removal = await fresh.newPage();
    const removalProblems = watchProblems(removal);
    const frame = await openInTeams(removal, {
      src: String(saved?.contentUrl),
      frameContext: "remove",
      settings: { ...saved, webhookUrl },
    });
    await frame.locator("#tc-signin").waitFor({ state: "visible" });
    await screenshot(removal, "23-teams-configure-sign-in");
    await frame.getByLabel("Email").fill(email);
    await frame.getByLabel("Password").fill(password);
    await frame.getByRole("button", { name: "Sign in" }).click();
    await frame.locator("#tc-remove").waitFor({ state: "visible" });
    expect(await frame.locator("#tc-remove-id").textContent()).toBe(webhookId);
    expect((await hostState(removal))?.registered).toContain("remove");
    await screenshot(removal, "24-teams-configure-remove");

    await removal.evaluate(() => window.teamsHost?.remove());
    await removal.waitForFunction(() => window.teamsHost?.outcome !== null);
    expect((await hostState(removal))?.outcome).toBe("settings.remove.success");
    const gone = await owner.getWebhook(webhookId).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(HeraldError);
    expect((gone as HeraldError).status).toBe(404);
    expect(removalProblems).toEqual([]);
    await fresh.close();
  });

  it("reported no script errors or CSP violations", () => {
    expect(problems).toEqual([]);
  });
});
