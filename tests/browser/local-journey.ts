import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { it } from "vitest";

/**
 * Shared steps of the browser suites other than the newcomer's journey (tests/browser.test.ts
 * keeps its own, step by step, with its assertions): Debian's Chromium, and a local account
 * onboarded the short way — sandbox mailbox, one recipient opted in from the simulated phone.
 */

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

/** "Continuer en mode local" from the landing page, until onboarding opens. */
export async function signInLocally(page: Page): Promise<void> {
  // On a cold `next dev` the first pages compile while the browser loads them and the dev client
  // may reload the landing page under the click: sign in again until onboarding opens.
  for (let attempt = 1; ; attempt++) {
    await page.goto("/");
    await page.waitForLoadState("networkidle");
    await page.getByTestId("local-signin").click();
    try {
      await page.waitForURL("**/onboarding", { timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}
