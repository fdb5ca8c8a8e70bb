// /docs in Chromium: Swagger UI renders /openapi.json from Herald's own assets (nothing from a CDN,
// no CSP violation), the activity API first, and the error-code catalogue below it.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, newContext, screenshot, watchProblems } from "./support/chromium.ts";
import { type ServedHerald, serveHerald } from "./support/serve.ts";

let herald: ServedHerald;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [herald, browser] = await Promise.all([serveHerald(), launchChromium()]);
  context = await newContext(browser, herald.baseUrl);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await herald?.close();
});

describe("/docs", () => {
  it("renders the API reference and the error codes from local assets only", async () => {
    const problems = watchProblems(page);
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(herald.baseUrl)) elsewhere.push(request.url());
    });
    await page.goto("/docs");
    await page.locator(".swagger-ui .opblock").first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".swagger-ui .info .title").textContent()).toContain("Herald");
    expect(await page.locator(".swagger-ui .opblock-tag").first().textContent()).toMatch(/^Activity/);
    expect(await page.locator(".opblock-summary-path", { hasText: "/v1/messages" }).count()).toBeGreaterThan(
      0,
    );
    expect(await page.locator("#error-codes tbody tr").count()).toBeGreaterThan(10);
    expect(await page.locator("#error-license_invalid td").nth(1).textContent()).toBe("401");
    await screenshot(page, "30-api-docs");
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});
