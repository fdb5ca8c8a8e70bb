// Debian's Chromium through playwright-core (never a downloaded browser), and screenshots of each
// page at a desktop and a phone width into test/artifacts/ (ignored by git).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.HERALD_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../../artifacts/browser/", import.meta.url));
export const DESKTOP = { width: 1280, height: 860 };
export const NARROW = { width: 390, height: 844 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A context at desktop width whose pages collect script errors and CSP violations. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  return context;
}

/** Problems a page reported: uncaught errors and console errors (CSP violations among them). */
export function watchProblems(page: Page, ignore: RegExp[] = []): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = `${message.text()} (${message.location().url})`;
    if (!ignore.some((pattern) => pattern.test(text))) problems.push(`console: ${text}`);
  });
  return problems;
}

/** Saves the whole page at desktop and narrow widths as <name>-desktop.png and <name>-narrow.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${ARTIFACTS}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(NARROW);
  await page.screenshot({ path: `${ARTIFACTS}${name}-narrow.png`, fullPage: true });
  await page.setViewportSize(original);
}
