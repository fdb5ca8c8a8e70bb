// The tenant console in a real browser: sign up, binding keys, a channel on the Teams emulator,
// test connection, a message through the API counted on the Channels tab and the usage dashboard,
// and a removed connector (410) disabling the channel with its reason in the Error Log.
import { readFileSync } from "node:fs";
import { Herald, type HeraldError } from "@herald/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTIFACTS,
  DESKTOP,
  launchChromium,
  NARROW,
  newContext,
  screenshot,
  unreachableMenuItems,
  watchProblems,
} from "./support/chromium.ts";
import { type ServedHerald, serveHerald } from "./support/serve.ts";

let herald: ServedHerald;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

const email = `ops-${Date.now().toString(36)}@contoso.example`;
const password = "correct horse battery";

beforeAll(async () => {
  [herald, browser] = await Promise.all([serveHerald(), launchChromium()]);
  context = await newContext(browser, herald.baseUrl);
  page = await context.newPage();
  problems = watchProblems(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await herald?.close();
});

/** The Channels tab's row of a channel (on the walk-through's page unless another is given). */
const row = (webhookId: string, on: Page = page) => on.locator(`tr[data-webhook-id="${webhookId}"]`);

/** Opens a channel's Actions menu (a popover) and checks every item in it can be reached. */
async function openActions(webhookId: string) {
  await row(webhookId)
    .getByRole("button", { name: /^Actions for / })
    .click();
  const menu = page.locator(`#actions-${webhookId}`);
  await menu.waitFor({ state: "visible" });
  expect(await unreachableMenuItems(page, `#actions-${webhookId}`)).toEqual([]);
  return menu;
}

/** Every visible form control must have a label a screen reader can announce. */
async function expectLabelledControls() {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((el) => el instanceof HTMLElement && el.offsetParent !== null)
      .filter(
        (el) =>
          (el as HTMLInputElement).labels?.length === 0 &&
          !el.getAttribute("aria-label") &&
          !el.getAttribute("aria-labelledby"),
      )
      .map((el) => el.outerHTML),
  );
  expect(unlabelled).toEqual([]);
}

describe("tenant console", () => {
  let licenseKey = "";
  let licenseSecret = "";
  let webhookId = "";
  let emulatorUrl = "";

  it("signs a new tenant up", async () => {
    await page.goto("/console");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/console/login");
    await expectLabelledControls();
    await screenshot(page, "01-sign-in");

    await page.getByRole("link", { name: "Start a free trial" }).click();
    await screenshot(page, "02-sign-up");
    await page.getByLabel("Organization").fill("Contoso Support");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    // The browser's own validation stops a too-short password before it is sent.
    expect(new URL(page.url()).pathname).toBe("/console/signup");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/console\/i\/ins_\w+\/channels$/);
    await expect.poll(() => page.locator(".flash-success").textContent()).toContain("Welcome to Herald");
    await page.getByRole("heading", { name: "No channels yet" }).waitFor({ state: "visible" });
    await expectLabelledControls();
    await screenshot(page, "03-channels-empty");
  });

  it("creates binding keys and shows the secret once, with a copy button", async () => {
    await page.getByRole("link", { name: "Binding keys" }).click();
    await screenshot(page, "04-binding-keys-empty");
    await page.getByLabel("Name").fill("Support portal (production)");
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/keys")),
      page.getByRole("button", { name: "Create keys" }).click(),
    ]);
    // Post/redirect/get: the form's answer is a redirect, and the secret is on the page it leads to.
    expect(created.status()).toBe(303);
    await page.locator("[data-license-secret]").waitFor();

    licenseKey = (await page.locator("[data-license-key]").textContent()) ?? "";
    licenseSecret = (await page.locator("[data-license-secret]").textContent()) ?? "";
    expect(licenseKey).toMatch(/\S{8,}/);
    expect(licenseSecret).toMatch(/\S{16,}/);
    await page.getByRole("button", { name: "Copy LicenseSecret" }).click();
    await expect.poll(() => page.locator(".toast").textContent()).toBe("Copied the LicenseSecret.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(licenseSecret);
    await screenshot(page, "05-binding-key-created");

    // Never again: not on the list, not after a reload, and reloading creates no second pair.
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r.url());
    });
    await page.reload();
    const html = await page.content();
    expect(html).toContain(licenseKey);
    expect(html).not.toContain(licenseSecret);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
    await page.reload();
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(posts).toEqual([]);

    // A second pair, revoked after confirming; the first keeps working.
    await page.getByLabel("Name").fill("Old integration");
    await page.getByRole("button", { name: "Create keys" }).click();
    const old = page.locator("tr", { hasText: "Old integration" });
    await old.getByRole("button", { name: "Revoke Old integration" }).click();
    await page
      .getByRole("dialog", { name: "Revoke the keys “Old integration”?" })
      .getByRole("button", { name: "Revoke keys" })
      .click();
    await expect.poll(() => page.locator(".flash-success").textContent()).toContain("revoked");
    expect(await page.locator("tr", { hasText: "Old integration" }).textContent()).toContain("Revoked");
    expect(await page.locator("tr", { hasText: "Support portal" }).textContent()).toContain("Active");
  });

  it("adds a channel pointing at the Teams emulator; its URL is never shown in full", async () => {
    emulatorUrl = herald.harness.sim.legacyUrl("ops-alerts");
    await page.getByRole("link", { name: "Teams channels" }).click();
    await page.getByRole("link", { name: "Add channel" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add a Teams channel" });
    await dialog.waitFor({ state: "visible" });
    await dialog.getByLabel("Channel name").fill("Ops alerts");
    await dialog.getByLabel("Webhook URL").fill(emulatorUrl);
    await dialog.getByLabel("Description").fill("Ticket created, Ticket escalated");
    await screenshot(page, "06-add-channel-dialog");
    await dialog.getByRole("button", { name: "Add channel" }).click();

    await expect
      .poll(() => page.locator(".flash-success").textContent())
      .toContain("Channel “Ops alerts” added");
    webhookId = (await page.locator("tr[data-webhook-id]").getAttribute("data-webhook-id")) ?? "";
    expect(webhookId).toMatch(/^wh_/);
    expect(await row(webhookId).locator("[data-alerts-posted]").textContent()).toBe("0");
    expect(await row(webhookId).locator("[data-state]").textContent()).toContain("Active");
    const html = await page.content();
    expect(html).not.toContain(emulatorUrl);
    expect(html).not.toContain(new URL(emulatorUrl).pathname);

    await (await openActions(webhookId)).getByRole("button", { name: "Copy webhook ID" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(webhookId);
    await expect
      .poll(() => page.locator(".toast").textContent())
      .toBe("Copied the webhook ID of “Ops alerts”.");
  });

  it("tests the connection: the emulator receives the test message and Teams' answer is shown", async () => {
    await page.getByRole("link", { name: "Teams channels" }).click();
    const before = herald.harness.sim.requests(emulatorUrl).length;
    await (await openActions(webhookId)).getByRole("button", { name: "Test connection" }).click();
    await expect
      .poll(() => page.locator(".flash").textContent())
      .toContain("Teams accepted the test message");
    expect(await page.locator(".flash").textContent()).toContain("HTTP 200");
    const received = herald.harness.sim.requests(emulatorUrl);
    expect(received).toHaveLength(before + 1);
    expect(received.at(-1)?.text).toContain("Herald connection test");
    await screenshot(page, "07-test-connection");
    // A connection test is not an alert and not usage.
    await page.reload();
    expect(await row(webhookId).locator("[data-alerts-posted]").textContent()).toBe("0");
  });

  it("counts a message sent through the API on the Channels tab and the usage dashboard", async () => {
    const activity = new Herald({ baseUrl: herald.baseUrl, licenseKey, licenseSecret });
    const answer = await activity.sendMessage(webhookId, "Ticket #1234 was raised", {
      source: "Ticket created",
    });
    expect(answer).toMatchObject({ SentMessage: true, status: "delivered" });

    await page.getByRole("link", { name: "Teams channels" }).click();
    expect(await row(webhookId).locator("[data-alerts-posted]").textContent()).toBe("1");
    expect(await row(webhookId).locator("[data-senders]").textContent()).toBe("1");
    await screenshot(page, "08-channels");

    await page.getByRole("link", { name: "Usage" }).click();
    expect(await page.locator("[data-period=this-month] [data-messages-sent]").textContent()).toBe("1");
    // The three cards say the same thing in the same words.
    expect(await page.locator(".period .facts dt").allTextContents()).toEqual(
      Array(3).fill(["Failed", "Rate limited", "Webhooks added"]).flat(),
    );
    expect(await page.locator("[data-period=total]").textContent()).toContain("Since your trial began");
    expect(await page.locator("[data-top=top-sent] tbody tr").allTextContents()).toEqual(["Ops alerts1"]);
    expect(await page.locator("[data-top=top-failed]").textContent()).toContain("No failed messages");
    expect(await page.locator("[data-burn]").textContent()).toMatch(
      /At this month's pace: about \d+ messages by/,
    );
    const [daily] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Daily CSV" }).click(),
    ]);
    const dailyCsv = readFileSync(await daily.path(), "utf8").split("\r\n");
    expect(dailyCsv[0]).toBe("day,sent,failed,rate_limited");
    expect(dailyCsv).toHaveLength(32);
    expect(dailyCsv[30]).toMatch(/^\d{4}-\d{2}-\d{2},1,0,0$/);
    const [channelsCsv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Channels CSV" }).click(),
    ]);
    expect(readFileSync(await channelsCsv.path(), "utf8")).toBe(
      `webhook_id,channel,deleted,sent,failed,queued\r\n${webhookId},Ops alerts,no,1,0,0\r\n`,
    );
    expect(await page.locator("[data-period=total] [data-messages-sent]").textContent()).toBe("1");
    expect(await page.locator("[data-quota=quota-webhooks] .quota-value").textContent()).toBe("1 of 2");
    expect(await page.locator("[data-quota=quota-messages] .quota-value").textContent()).toBe("1 of 500");
    await page.locator("#usage-chart canvas").first().waitFor();
    await screenshot(page, "09-usage");
  });

  it("disables the channel when Teams answers 410, with the reason in the Error Log", async () => {
    herald.harness.sim.setBehavior(emulatorUrl, "gone");
    const activity = new Herald({ baseUrl: herald.baseUrl, licenseKey, licenseSecret });
    const answer = await activity.sendMessage(webhookId, "Ticket #1235 was raised", {
      source: "Ticket created",
    });
    expect(answer).toMatchObject({ SentMessage: false, status: "failed" });

    await page.getByRole("link", { name: "Teams channels" }).click();
    const state = row(webhookId).locator("[data-state]");
    expect(await state.getAttribute("data-state")).toBe("disabled");
    expect(await state.textContent()).toMatch(/Disabled.*removed in Teams \(HTTP 410\)/);
    // The retirement advice is said once in the row, by its "Connector retired" warning.
    expect(((await row(webhookId).textContent()) ?? "").split("Microsoft retired").length - 1).toBe(1);
    await screenshot(page, "10-channel-disabled");

    await page.getByRole("link", { name: "Error Log" }).click();
    // One event, one row: the 410 and the disabling it caused.
    expect(await page.locator("tbody tr").count()).toBe(1);
    const entry = page.locator("tr[data-classification=gone]");
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain("410 Invalid Webhook");
    expect(await entry.textContent()).toContain("The connector was removed in Teams.");
    expect(await entry.textContent()).toContain("Message failed; channel disabled");
    expect(await entry.textContent()).toContain("Ops alerts");
    expect(await entry.textContent()).not.toContain("message(s)");
    await expectLabelledControls();
    await screenshot(page, "11-error-log");

    // Each filter submits its form: wait for the filtered page to load before the next choice,
    // or the choice lands on the page being left.
    await page.getByLabel("Kind").selectOption("throttled");
    await page.waitForURL((u) => u.searchParams.get("classification") === "throttled");
    await page.getByRole("heading", { name: "Nothing matches these filters" }).waitFor({ state: "visible" });
    await screenshot(page, "12-error-log-filtered");
    await page.getByLabel("Kind").selectOption("gone");
    await page.waitForURL((u) => u.searchParams.get("classification") === "gone");
    expect(await page.locator("tr[data-classification=gone]").count()).toBe(1);
    await page.getByLabel("Channel").selectOption({ label: "Ops alerts" });
    await page.waitForURL((u) => u.searchParams.get("webhookId") === webhookId);
    expect(new URL(page.url()).searchParams.get("classification")).toBe("gone");
    expect(await page.locator("tr[data-classification=gone]").count()).toBe(1);

    // The row links to the message it is about.
    await page.getByRole("link", { name: "View the message" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/messages\/msg_\w+$/);
    expect(await page.locator("[data-message-status]").getAttribute("data-message-status")).toBe("failed");
    expect(await page.locator("main").textContent()).toContain("Ticket created");
    expect(await page.locator(".event-list li").count()).toBe(1);
    await screenshot(page, "11b-message");
    await page.getByRole("link", { name: "Teams channels" }).click();
  });

  it("reads a bad payload and a connector's 429 inside a 200 as plain events, with local times", async () => {
    const signedIn = await new Herald({ baseUrl: herald.baseUrl })
      .login({ email, password })
      .then(({ token }) => new Herald({ baseUrl: herald.baseUrl, token }));
    const instanceId = (await signedIn.listInstances()).items[0]?.id ?? "";
    const url = herald.harness.sim.legacyUrl("night-desk");
    const { webhookId: desk } = await signedIn.createWebhook(instanceId, { name: "Night desk", url });
    const activity = new Herald({ baseUrl: herald.baseUrl, licenseKey, licenseSecret });
    try {
      herald.harness.sim.setBehavior(url, "bad_payload", { times: 1 });
      await activity.sendMessage(desk, "Ticket #1236 was raised", { wait: 0 });
      await expect
        .poll(async () => (await signedIn.webhookErrors(desk)).items.length, { timeout: 15_000 })
        .toBe(1);
      herald.harness.sim.setBehavior(url, "throttle_body", { times: 1 });
      await activity.sendMessage(desk, "Ticket #1237 was raised", { wait: 0 });
      await expect
        .poll(async () => (await signedIn.webhookErrors(desk)).items.length, { timeout: 15_000 })
        .toBe(2);

      await page.goto(`/console/i/${instanceId}/errors?webhookId=${desk}`);
      expect(await page.locator("tbody tr").count()).toBe(2);
      const bad = page.locator("tr[data-classification=bad_request]");
      expect(await bad.textContent()).toContain("400 Bad Payload");
      expect(await bad.textContent()).not.toContain("Unknown Error");
      expect(await bad.textContent()).toContain("could not read the message");
      const throttled = page.locator("tr[data-classification=throttled]");
      const said = (await throttled.textContent()) ?? "";
      // Teams' connector answered 200 with the 429 in its text: the row says so, in words.
      expect(said).toContain("HTTP 200, reporting HTTP 429 in its text");
      expect(said).toContain("legacy connectors answer errors inside a 200");
      // "Paused until" is shown in local time like every other time, never as a raw ISO string.
      expect(said).toMatch(/Paused until/);
      expect(said).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(await throttled.locator("time[data-local]").count()).toBeGreaterThanOrEqual(1);
      for (const entry of [bad, throttled]) {
        expect(await entry.getByRole("link", { name: "View the message" }).count()).toBe(1);
      }
      await screenshot(page, "11c-error-log-throttled-and-bad-payload");
    } finally {
      await signedIn.deleteWebhook(desk);
    }
  });

  it("edits, re-activates and deletes a channel after confirming", async () => {
    await page.getByRole("link", { name: "Channels", exact: true }).click();
    await (await openActions(webhookId)).getByRole("link", { name: "Edit" }).click();
    expect(await page.getByLabel("New webhook URL").inputValue()).toBe("");
    await screenshot(page, "13-edit-channel");
    await page.getByLabel("Description").fill("Ticket created");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.locator(".flash-success").textContent()).toContain("saved");
    expect(await row(webhookId).textContent()).toContain("Ticket created");

    herald.harness.sim.setBehavior(emulatorUrl, "ok");
    await (await openActions(webhookId)).getByRole("button", { name: "Activate" }).click();
    await expect.poll(() => row(webhookId).locator("[data-state]").getAttribute("data-state")).toBe("active");

    await (await openActions(webhookId)).getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete the channel “Ops alerts”?" });
    await confirm.waitFor({ state: "visible" });
    await screenshot(page, "14-delete-confirm");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect(await row(webhookId).count()).toBe(1);

    await (await openActions(webhookId)).getByRole("button", { name: "Delete" }).click();
    await confirm.getByRole("button", { name: "Delete channel" }).click();
    await expect.poll(() => page.locator(".flash-success").textContent()).toContain("deleted");
    expect(await row(webhookId).count()).toBe(0);
  });

  it("shows the whole Actions menu at both widths, on the table's only row", async () => {
    const keyboardId = await new Herald({ baseUrl: herald.baseUrl })
      .login({ email, password })
      .then(({ token }) => new Herald({ baseUrl: herald.baseUrl, token }))
      .then(async (h) => {
        const instanceId = (await h.listInstances()).items[0]?.id ?? "";
        return (
          await h.createWebhook(instanceId, { name: "Keyboard", url: herald.harness.sim.legacyUrl("kb") })
        ).webhookId;
      });
    await page.reload();
    expect(await page.locator("tr[data-webhook-id]").count()).toBe(1);
    // One row in a scrolling card is where the menu used to be cut off.
    for (const viewport of [{ width: 1280, height: 800 }, NARROW]) {
      await page.setViewportSize(viewport);
      await page.reload();
      const menu = await openActions(keyboardId);
      await menu.getByRole("button", { name: "Delete" }).waitFor({ state: "visible" });
      await page.screenshot({ path: `${ARTIFACTS}08b-menu-open-${viewport.width}.png` });
      await page.keyboard.press("Escape");
      await menu.waitFor({ state: "hidden" });
    }
    await page.setViewportSize(DESKTOP);
  });

  it("shows the Teams app page and downloads the app package", async () => {
    await page.getByRole("link", { name: "Teams app" }).click();
    await expectLabelledControls();
    await screenshot(page, "15-teams-app");
    await page.getByLabel("Connector ID").fill("0f8fad5b-d9cb-469f-a165-70867728950e");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download app package" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("Herald-teams-app.zip");
    const zip = readFileSync(await download.path());
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    for (const name of ["manifest.json", "color.png", "outline.png"]) expect(zip.includes(name)).toBe(true);
  });

  it("lists instances, hides billing without Stripe, and signs out", async () => {
    await page.getByRole("link", { name: "Instances" }).click();
    await page.getByLabel("New name for Developer Instance").fill("Development");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect
      .poll(() => page.locator(".flash-success").textContent())
      .toContain("renamed to “Development”");
    expect(await page.getByLabel("Instance", { exact: true }).locator("option:checked").textContent()).toBe(
      "Development",
    );
    await screenshot(page, "15b-instances");
    expect(await page.getByRole("link", { name: "Billing" }).count()).toBe(0);
    // Without Stripe the billing page says who assigns plans, and offers nothing to buy.
    const billing = await page.goto("/console/billing");
    expect(billing?.status()).toBe(200);
    expect(await page.locator("[data-billing-state]").getAttribute("data-billing-state")).toBe("operator");
    expect(await page.getByRole("button", { name: /^Choose/ }).count()).toBe(0);
    await screenshot(page, "16-billing-without-stripe");
    const missing = await page.goto("/console/nowhere");
    expect(missing?.status()).toBe(404);
    problems.splice(
      0,
      problems.length,
      ...problems.filter((p) => !/status of 404 .*\/console\/nowhere\)$/.test(p)),
    );
    await screenshot(page, "16b-not-found-page");
    await page.goto("/console/usage");
    // Signing out ends the session itself: the token it had stops working (not just the cookie).
    const token = (await context.cookies()).find((c) => c.name === "herald_session")?.value ?? "";
    expect(token).not.toBe("");
    const withToken = new Herald({ baseUrl: herald.baseUrl, token });
    expect((await withToken.listInstances()).items.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/console/login");
    expect(await page.locator(".flash").textContent()).toContain("signed out");
    expect(
      await withToken.listInstances().then(
        () => 200,
        (e: HeraldError) => e.status,
      ),
    ).toBe(401);
    await page.goto("/console/usage");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/console/login");
  });

  it("signs out everywhere from the account page: other browsers' sessions end too", async () => {
    const other = await newContext(browser, herald.baseUrl);
    const elsewhere = await other.newPage();
    const otherProblems = watchProblems(elsewhere);
    for (const p of [page, elsewhere]) {
      await p.goto("/console/login");
      await p.getByLabel("Email").fill(email);
      await p.getByLabel("Password").fill(password);
      await p.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => new URL(p.url()).pathname).toMatch(/\/channels$/);
    }
    await page.goto("/console/account");
    await screenshot(page, "16c-account");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/console/login");
    expect(await page.locator(".flash").textContent()).toContain("signed out everywhere");
    await elsewhere.goto("/console/usage");
    await expect.poll(() => new URL(elsewhere.url()).pathname).toBe("/console/login");
    expect(otherProblems).toEqual([]);
    await other.close();
  });

  it("reported no script errors or CSP violations", () => {
    expect(problems).toEqual([]);
  });
});

// Its own tenant, channel and browser context, so it needs nothing the walk-through above leaves
// behind: a test reading another test's channel or page finds nothing when it runs without that
// test (vitest -t, or after that test failed).
describe("a channel's Actions menu", () => {
  let own: BrowserContext;
  let p: Page;
  let ownProblems: string[];
  let channelsPath = "";
  let id = "";

  beforeAll(async () => {
    const ownEmail = `keyboard-${Date.now().toString(36)}@contoso.example`;
    const owner = new Herald({ baseUrl: herald.baseUrl });
    const { instanceId } = await owner.signup({
      email: ownEmail,
      password,
      organization: "Contoso Keyboard",
    });
    ({ webhookId: id } = await owner.createWebhook(instanceId, {
      name: "Keyboard",
      url: herald.harness.sim.legacyUrl("keyboard"),
    }));
    channelsPath = `/console/i/${instanceId}/channels`;
    own = await newContext(browser, herald.baseUrl);
    p = await own.newPage();
    ownProblems = watchProblems(p);
    await p.goto("/console/login");
    await p.getByLabel("Email").fill(ownEmail);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL(/\/channels$/);
  });

  afterAll(async () => {
    await own?.close();
  });

  it("opens an action menu from the keyboard", async () => {
    await p.goto(channelsPath);
    const button = row(id, p).getByRole("button", { name: /^Actions for / });
    const menu = p.locator(`#actions-${id}`);
    await button.focus();
    await p.keyboard.press("Enter");
    await menu.waitFor({ state: "visible" });
    expect(await unreachableMenuItems(p, `#actions-${id}`)).toEqual([]);
    // Focus goes to the first item (the menu's script moves it there just after the menu shows; a
    // key pressed before would go to the button); arrows move through the items; Escape closes.
    const focused = () => p.evaluate(() => document.activeElement?.textContent?.trim());
    await expect.poll(focused).toBe("Edit");
    await p.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Copy webhook ID");
    await p.keyboard.press("ArrowUp");
    await p.keyboard.press("ArrowUp");
    expect(await focused()).toBe("Delete");
    await p.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
    // Enter on a focused item acts: Test connection posts and lands back on the list.
    await p.keyboard.press("Enter");
    await menu.waitFor({ state: "visible" });
    await expect.poll(focused).toBe("Edit");
    await p.keyboard.press("ArrowDown");
    await p.keyboard.press("ArrowDown");
    await p.keyboard.press("Enter");
    await expect.poll(() => p.locator(".flash").textContent()).toContain("test message");
    expect(ownProblems).toEqual([]);
  });
});

describe("without JavaScript", () => {
  it("adds channels on their own page, shows refusals, and deletes through a confirmation page", async () => {
    const plain = await browser.newContext({
      baseURL: herald.baseUrl,
      viewport: DESKTOP,
      javaScriptEnabled: false,
    });
    const p = await plain.newPage();
    await p.goto("/console/login");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => new URL(p.url()).pathname).toMatch(/\/channels$/);
    const channelsPath = new URL(p.url()).pathname;

    const addChannel = async (name: string, url: string) => {
      await p.getByRole("link", { name: "Add channel" }).first().click();
      expect(new URL(p.url()).pathname).toMatch(/\/channels\/new$/);
      await p.getByLabel("Channel name").fill(name);
      await p.getByLabel("Webhook URL").fill(url);
      await p.getByRole("button", { name: "Add channel" }).click();
    };

    // A URL outside the allowed Teams hosts is refused, on the URL field.
    await addChannel("Elsewhere", "https://example.com/webhookb2/abc");
    expect(await p.locator(".field-invalid").textContent()).toContain("example.com");
    await p.goto(channelsPath);

    await addChannel("Night shift", herald.harness.sim.legacyUrl("night"));
    await expect
      .poll(() => p.locator(".flash-success").textContent())
      .toContain("Channel “Night shift” added");

    // The trial allows two webhooks; the third is refused with the numbers.
    await addChannel("One too many", herald.harness.sim.legacyUrl("third"));
    expect(await p.locator(".flash-error").textContent()).toMatch(/2 of 2/);
    await screenshot(p, "17-add-channel-refused");

    await p.goto(channelsPath);
    const night = p.locator("tr", { hasText: "Night shift" });
    // The menu is a popover: it opens without the script, and its copy button (which needs the script) is hidden.
    await night.getByRole("button", { name: /^Actions for / }).click();
    expect(await night.getByRole("button", { name: "Copy webhook ID" }).isVisible()).toBe(false);
    await screenshot(p, "17b-menu-without-javascript");
    await night.getByRole("button", { name: "Delete" }).click();
    await p.getByRole("heading", { name: "Delete the channel “Night shift”?" }).waitFor();
    await screenshot(p, "18-delete-confirm-page");
    await p.getByRole("button", { name: "Delete channel" }).click();
    await expect.poll(() => p.locator(".flash-success").textContent()).toContain("deleted");
    expect(await p.locator("tr", { hasText: "Night shift" }).count()).toBe(0);
    await plain.close();
  });
});
