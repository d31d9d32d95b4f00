import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { it } from "vitest";
import { type DevServer, startDevServer } from "@/tests/browser/next-dev-server";

/**
 * What the browser suites share: `npm run dev` and Debian's Chromium opened together, their pages
 * compiled ahead, the steps of a scenario, and a local account onboarded the short way — sandbox
 * mailbox, one recipient opted in from the simulated phone (the newcomer's journey,
 * tests/browser.test.ts, goes through onboarding itself, step by step, with its assertions).
 */

/** Screenshots of the suites (git-ignored). */
export const SHOTS = path.resolve("test-results/screenshots");

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  if (!hasChromium)
    throw new Error(
      `CI requires Chromium at ${CHROMIUM} (.ci/run installs it): the browser suite cannot run.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * A scenario's steps: each an `it`, in order; once one fails, the later ones fail at once saying
 * where the scenario broke, rather than timing out on a page the broken step never reached.
 */
export function scenarioSteps(): (name: string, fn: () => Promise<void>) => void {
  let brokenAt: string | null = null;
  return (name, fn) => {
    it(name, async () => {
      if (brokenAt) throw new Error(`not run: the scenario broke at “${brokenAt}”`);
      try {
        await fn();
      } catch (error) {
        brokenAt = name;
        throw error;
      }
    });
  };
}

export type LocalBrowser = {
  server: DevServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
};

/**
 * The dev server and Chromium, started together; the `warm` pages compiled before the suite starts;
 * one French page at `viewport`, whose actions wait at most `timeoutMs` (navigations
 * `navigationTimeoutMs`, which a first compile under load can need).
 */
export async function openLocalBrowser(options: {
  warm: string[];
  timeoutMs: number;
  navigationTimeoutMs?: number;
  viewport?: { width: number; height: number };
}): Promise<LocalBrowser> {
  mkdirSync(SHOTS, { recursive: true });
  const [server, browser] = await Promise.all([startDevServer(), launchChromium()]);
  await warmUp(server.baseUrl, options.warm);
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    locale: "fr-FR",
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  context.setDefaultTimeout(options.timeoutMs);
  if (options.navigationTimeoutMs) context.setDefaultNavigationTimeout(options.navigationTimeoutMs);
  const page = await context.newPage();
  return {
    server,
    browser,
    context,
    page,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Compiles the pages a suite visits, in parallel, before it starts (next dev compiles on first request). */
async function warmUp(baseUrl: string, paths: string[]): Promise<void> {
  await Promise.all([
    ...paths.map((p) => fetch(baseUrl + p, { redirect: "manual" }).catch(() => null)),
    fetch(`${baseUrl}/api/local/drain`, { method: "POST" }).catch(() => null),
  ]);
}

/** "Continuer en mode local" from the landing page, until onboarding opens. */
export async function signInLocally(page: Page): Promise<void> {
  await page.goto("/");
  await page.waitForLoadState("networkidle");
  await page.getByTestId("local-signin").click();
  await page.waitForURL("**/onboarding");
}

/** Signs in locally and finishes onboarding with the sandbox mailbox and `name` opted in. */
export async function onboardLocally(page: Page, name: string, phone: string): Promise<void> {
  await signInLocally(page);
  await page.getByTestId("connect-sandbox").click();
  await page.locator('[data-testid="mailbox"][data-provider="sandbox"]').waitFor();
  await page.getByTestId("next-step").click();
  await page.waitForURL("**/onboarding?step=2");
  await page.getByLabel("Nom", { exact: true }).fill(name);
  await page.getByLabel("Numéro WhatsApp").fill(phone);
  await page.getByTestId("add-recipient-submit").click();
  const recipient = page.getByTestId("recipient");
  await recipient.waitFor();
  await page.getByTestId("opt-in-start").click();
  await page.getByTestId("opt-in-simulate").click();
  for (let i = 0; i < 60 && (await recipient.getAttribute("data-status")) !== "opted_in"; i++)
    await page.waitForTimeout(500);
  for (const step of [3, 4, 5]) {
    await page.getByTestId("next-step").click();
    await page.waitForURL(`**/onboarding?step=${step}`);
  }
  await page.getByTestId("finish-onboarding").click();
  await page.waitForURL("**/dashboard");
}

/**
 * How "demain avant 17h", written at `composedAt`, reads at `shownAt` in Abidjan (UTC+0):
 * `1` for tomorrow, `0` for today (midnight passed in between). Between the two instants (the
 * alert is rendered somewhere in there) each day the deadline may read is listed.
 */
export function tomorrowReadsAs(composedAt: number, shownAt: number): Set<0 | 1> {
  const day = (t: number) => Math.floor(t / 86_400_000);
  const read = (t: number) => (day(composedAt) + 1 - day(t) === 1 ? 1 : 0);
  return new Set([read(composedAt), read(shownAt)]);
}
