// Debian's Chromium through playwright-core (never a downloaded browser), and screenshots of each
// page at a desktop and a phone width into test/artifacts/ (ignored by git).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.HERALD_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = fileURLToPath(new URL("../../artifacts/browser/", import.meta.url));
export const DESKTOP = { width: 1280, height: 800 };
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

/** The file teams-js fetches from Microsoft's CDN when it loads (its list of Teams host origins). */
export const TEAMS_JS_VALID_DOMAINS =
  "https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json";

/** What the CDN answers, shortened: the machines running the suite have no internet. */
const VALID_DOMAINS = {
  validOrigins: [
    "teams.microsoft.com",
    "teams.cloud.microsoft",
    "outlook.office.com",
    "*.teams.microsoft.com",
  ],
};

/** A context at desktop width, with Microsoft's CDN played by a fixture. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await context.route(TEAMS_JS_VALID_DOMAINS, (route) =>
    route.fulfill({
      json: VALID_DOMAINS,
      headers: { "access-control-allow-origin": "*" },
    }),
  );
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

/** The elements wider than the viewport, when the page scrolls sideways; [] when it does not. */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // A console table or card whose content is wider than the box: cut off, or scrolled out of sight.
    const hidden = [...document.querySelectorAll(".table-wrap, .card")]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${el.className} (content ${el.scrollWidth} px in ${el.clientWidth} px)`,
      );
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return hidden;
    return [
      ...hidden,
      ...[...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}.${el.className} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`,
        ),
    ];
  });
}

/**
 * Saves the whole page at desktop and narrow widths as <name>-desktop.png and <name>-narrow.png,
 * and fails if the page scrolls sideways at the narrow (390 px) width, or a table or card hides
 * content sideways at either width.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${ARTIFACTS}${name}-desktop.png`, fullPage: true });
  const wide = await horizontalOverflow(page);
  await page.setViewportSize(NARROW);
  // Let resize observers (the usage chart's) follow the new width, as on a phone from the start.
  // A page without JavaScript never runs the frame callbacks; it has no observers either.
  await Promise.race([
    page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    ),
    new Promise((resolve) => setTimeout(resolve, 1000)),
  ]);
  const overflow = await horizontalOverflow(page);
  await page.screenshot({ path: `${ARTIFACTS}${name}-narrow.png`, fullPage: true });
  await page.setViewportSize(original);
  if (wide.length > 0)
    throw new Error(`${name} hides content sideways at ${DESKTOP.width} px: ${wide.join("; ")}`);
  if (overflow.length > 0)
    throw new Error(`${name} scrolls sideways at ${NARROW.width} px: ${overflow.join("; ")}`);
}

/**
 * Every item of an open menu is inside the viewport and is what a click at its centre reaches
 * (nothing clips or covers it).
 */
export async function unreachableMenuItems(page: Page, menuSelector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const menu = document.querySelector(selector);
    if (!menu) return [`no menu ${selector}`];
    return [...menu.querySelectorAll(".menu-item")]
      .filter((item) => item instanceof HTMLElement && item.offsetParent !== null)
      .flatMap((item) => {
        const box = item.getBoundingClientRect();
        const inside =
          box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return inside && hit !== null && item.contains(hit) ? [] : [item.textContent?.trim() ?? "?"];
      });
  }, menuSelector);
}
