import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import {
  hasChromium,
  type LocalBrowser,
  openLocalBrowser,
  SHOTS,
  scenarioSteps,
  tomorrowReadsAs,
} from "@/tests/browser/local-journey";
import type { DevServer } from "@/tests/browser/next-dev-server";

/*
 * The newcomer's journey in a real browser (Debian's Chromium, headless) against `npm run dev` in local
 * mode: sign in locally → onboarding with the sandbox mailbox and a recipient opted in from the
 * simulated phone → a critical test email → the dashboard shows it (critical, amount, deadline)
 * within seconds → the WhatsApp outbox shows the alert → "Traité" pressed on the phone → handled on
 * the dashboard; English switches the UI and the next alert; someone else's email is a 404; a
 * second organization opts a recipient in with a code "sent on WhatsApp" and typed in the app.
 * Screenshots of the main pages go to test-results/screenshots/ (git-ignored).
 */

/** "Within a few seconds": compose → visible on the dashboard, live refresh included. */
const VISIBLE_WITHIN_MS = 20_000;

/** Intl writes thousands with (narrow) no-break spaces in French. */
const plain = (s: string | null) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");

let local: LocalBrowser | undefined;
let server: DevServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The first organization's critical email, for the second organization to try. */
let firstEmailPath = "";

async function shot(name: string, target: Page = page) {
  // Without Next's dev-mode indicator, which is not part of the page.
  await target.evaluate(() => document.querySelector("nextjs-portal")?.remove());
  // caret "initial": the default hides the caret with an inline style that React reports as a hydration mismatch.
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true, caret: "initial" });
}

/** One step of the scenario; each relies on the previous ones. */
const step = scenarioSteps();

describe.runIf(hasChromium || process.env.CI)("browser journey (local mode)", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    // Every page compiled once, in parallel, so the journey does not wait for each first compile in turn.
    local = await openLocalBrowser({
      warm: [
        "/",
        "/onboarding",
        "/dashboard",
        "/settings",
        "/stats",
        "/audit",
        "/api/live",
        `/dashboard/emails/${randomUUID()}`,
      ],
      timeoutMs: 20_000,
      viewport: { width: 1280, height: 900 },
    });
    ({ server, browser, context, page } = local);
  }, 1_200_000);

  afterAll(() => local?.close());

  step("keeps signed-out visitors out of the app", async () => {
    for (const p of ["/dashboard", "/settings", "/onboarding", "/stats", "/audit"]) {
      await page.goto(p);
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe("/?signin=required");
    }
    await expect(page.getByTestId("signin-required").isVisible()).resolves.toBe(true);
    await shot("01-landing");
  });

  step("refuses local sign-in to a visitor relayed from elsewhere (a tunnel to localhost)", async () => {
    // What ngrok or cloudflared send on: the visitor's address first, our server appends the peer.
    const res = await fetch(`${server.baseUrl}/api/auth/local`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: server.baseUrl, "x-forwarded-for": "203.0.113.9" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?signin=local_only");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("fa_session="))).toBe(false);
  });

  step("signs in locally and connects the sandbox mailbox with push active", async () => {
    await page.getByTestId("local-signin").click();
    await page.waitForURL("**/onboarding");
    await page.getByTestId("connect-sandbox").click();
    const mailbox = page.locator('[data-testid="mailbox"][data-provider="sandbox"]');
    await mailbox.waitFor();
    expect(await mailbox.getByTestId("push-status").textContent()).toMatch(/^Active jusqu’au/);
    await shot("02-onboarding-mailbox");
    await page.getByTestId("next-step").click();
    await page.waitForURL("**/onboarding?step=2");
  });

  step("adds a recipient who opts in from the (simulated) phone with the code", async () => {
    await page.getByLabel("Nom", { exact: true }).fill("Awa Traoré");
    await page.getByLabel("Numéro WhatsApp").fill("07 07 12 34 56");
    await page.getByTestId("add-recipient-submit").click();
    const recipient = page.getByTestId("recipient");
    await expect.poll(() => recipient.getAttribute("data-status")).toBe("pending");
    await page.getByTestId("opt-in-start").click();
    const code = plain(await page.getByTestId("opt-in-code").textContent());
    expect(code).toMatch(/FLUX-\d{6}/);
    const link = await page.getByRole("link", { name: "Ouvrir WhatsApp" }).getAttribute("href");
    expect(decodeURIComponent(link ?? "")).toContain(code.match(/FLUX-\d{6}/)![0]);
    await expect(page.getByRole("img", { name: /QR code/ }).isVisible()).resolves.toBe(true);
    await shot("03-onboarding-opt-in");
    await page.getByTestId("opt-in-simulate").click();
    await expect.poll(() => recipient.getAttribute("data-status"), { timeout: 30_000 }).toBe("opted_in");
  });

  step("finishes onboarding with the default preferences and auto-actions", async () => {
    await page.getByTestId("next-step").click();
    await page.waitForURL("**/onboarding?step=3");
    await expect(page.getByLabel("Fuseau horaire").inputValue()).resolves.toBe("Africa/Abidjan");
    await page.getByTestId("next-step").click();
    await page.waitForURL("**/onboarding?step=4");
    await expect(page.getByTestId("auto-autoLabel").isChecked()).resolves.toBe(true);
    await expect(page.getByTestId("auto-autoArchiveSpam").isChecked()).resolves.toBe(false);
    await page.getByTestId("next-step").click();
    await page.waitForURL("**/onboarding?step=5");
    await page.getByTestId("finish-onboarding").click();
    await page.waitForURL("**/dashboard");
    await page.getByTestId("empty-state").waitFor();
  });

  step(
    "shows a critical test email with its amount and deadline within seconds, and its alert in the outbox",
    async () => {
      // The compose form is prefilled with the contract example: 15 000 000 FCFA, signature tomorrow before 17h (a time of day that is always ahead, whenever the suite runs).
      expect(await page.getByLabel("Objet", { exact: true }).inputValue()).toBe(
        "Contrat de prestation 15 000 000 FCFA — signature demain avant 17h",
      );
      const sent = Date.now();
      await page.getByTestId("compose-send").click();
      const card = page.locator('[data-testid="message"][data-priority="critical"]');
      await card.waitFor({ timeout: VISIBLE_WITHIN_MS });
      expect(Date.now() - sent).toBeLessThan(VISIBLE_WITHIN_MS);
      expect(plain(await card.getByTestId("amount").textContent())).toBe("15 000 000 FCFA");
      // « demain », or « aujourd’hui » only when midnight passed since the email was sent.
      const readable = [...tomorrowReadsAs(sent, Date.now())].map(
        (d) => `${d === 1 ? "demain" : "aujourd’hui"} 17:00`,
      );
      expect(readable).toContain(await card.getByTestId("deadline").textContent());
      expect(await card.getByTestId("priority-chip").textContent()).toContain("Critique");

      const alert = page.locator('[data-testid="outbox-message"][data-kind="alert"]').first();
      await alert.waitFor({ timeout: VISIBLE_WITHIN_MS });
      await expect(alert.locator("strong", { hasText: "Critique" }).count()).resolves.toBe(1);
      expect(plain(await alert.textContent())).toContain("15 000 000 FCFA");
      await expect
        .poll(() => card.getByTestId("alert-status").getAttribute("data-status"))
        .toMatch(/sent|delivered|read/);
      await shot("04-dashboard");
    },
  );

  step("marks the email handled when the recipient presses “Traité” on WhatsApp", async () => {
    const alert = page.locator('[data-testid="outbox-message"][data-kind="alert"]').first();
    await alert.getByRole("button", { name: "✅ Traité" }).click();
    const card = page.locator('[data-testid="message"][data-priority="critical"]');
    await expect.poll(() => card.getAttribute("data-handled"), { timeout: 20_000 }).toBe("true");
    await expect(card.getByTestId("handled-badge").isVisible()).resolves.toBe(true);
    await expect(card.getByTestId("mark-handled").count()).resolves.toBe(0);
  });

  step("opens the email page with its analysis and alert timeline", async () => {
    await page.locator('[data-testid="message"][data-priority="critical"] h3 a').click();
    await page.waitForURL("**/dashboard/emails/*");
    firstEmailPath = new URL(page.url()).pathname;
    await page.getByTestId("email-detail").waitFor();
    expect(await page.getByTestId("analyzer").textContent()).toMatch(
      /Règles de secours|Règles locales|Gemini/,
    );
    expect(await page.getByTestId("timeline-alert").count()).toBeGreaterThan(0);
    // Who is writing: the example bank is in the sandbox's Sent folder, and the sandbox verified it.
    expect(await page.getByTestId("signal-relationship").getAttribute("data-value")).toBe("known");
    expect(await page.getByTestId("signal-authentication").getAttribute("data-value")).toBe("pass");
    expect(await page.getByTestId("signal-tier").textContent()).toMatch(/confiance/i);
    await shot("05-email");
  });

  step("answers 404 for an email that is not the organization's", async () => {
    const res = await page.goto(`/dashboard/emails/${randomUUID()}`);
    expect(res?.status()).toBe(404);
    await page.getByTestId("not-found").waitFor();
    expect((await page.goto("/dashboard/emails/not-an-id"))?.status()).toBe(404);
  });

  step("switches the interface to English; the owner's alerts keep the language set for them", async () => {
    await page.goto("/dashboard");
    await page.getByTestId("lang-en").click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByRole("link", { name: "Settings" }).waitFor();
    expect(await page.getByLabel("Subject", { exact: true }).inputValue()).toBe(
      "Service contract 15,000,000 FCFA — signature tomorrow before 5 pm",
    );
    await page.getByTestId("compose-send").click();
    const alert = page.locator('[data-testid="outbox-message"][data-kind="alert"]', {
      hasText: "Service contract",
    });
    await alert.waitFor({ timeout: VISIBLE_WITHIN_MS });
    // The toggle is the interface's language: the owner chose French for their alerts at onboarding.
    await expect(alert.locator("strong", { hasText: "Critique" }).count()).resolves.toBe(1);
    await expect(alert.getByRole("button", { name: "✅ Traité" }).count()).resolves.toBe(1);
    const text = plain(await alert.textContent());
    expect(text).toMatch(/15\s000\s000 FCFA/);
    expect(text).not.toMatch(/Suggested action|Deadline|Amount/);
    await shot("06-dashboard-en");
  });

  step("shows settings, statistics and the audit log with real data", async () => {
    await page.goto("/settings");
    await page.locator('[data-testid="recipient"][data-status="opted_in"]').waitFor();
    await shot("07-settings");
    await page.goto("/stats");
    expect(Number(await page.getByTestId("stat-analyzed").textContent())).toBeGreaterThanOrEqual(2);
    await shot("08-stats");
    await page.goto("/audit");
    const rows = page.getByTestId("audit-entry");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    // A sentence with the email's subject, not an event key ("Traité" was pressed on the phone).
    expect(await page.getByTestId("audit-table").textContent()).toMatch(/marked “[^”]+” as handled/);
    await shot("09-audit");
  });

  step("answers crafted server-action requests with 4xx or a message on the page, never a 500", async () => {
    await page.goto("/settings");
    /** The action id React put in a form of the page (the form holding `field`). */
    const actionOf = async (selector: string) =>
      (await page.locator(`${selector} input[name^="$ACTION_ID_"]`).first().getAttribute("name"))!.slice(
        "$ACTION_ID_".length,
      );
    const saveOrganization = await actionOf('form:has([name="timezone"]):not(:has([name="minPriority"]))');
    const removeRecipient = await actionOf("form.remove-recipient");
    const base = server.baseUrl;
    const post = (
      action: string,
      init: { headers?: Record<string, string>; multipart?: Record<string, string>; data?: string },
    ) =>
      page.request.post(`${base}/settings`, {
        maxRedirects: 0,
        failOnStatusCode: false,
        headers: init.data === undefined ? init.headers : { "next-action": action, ...init.headers },
        ...(init.multipart ? { multipart: { [`$ACTION_ID_${action}`]: "", ...init.multipart } } : {}),
        ...(init.data !== undefined ? { data: init.data } : {}),
      });

    // From another site: refused before any of our code runs, and the page says why.
    const csrf = await post(saveOrganization, {
      headers: { origin: "https://evil.example" },
      multipart: { returnTo: "/settings", name: "Evil", timezone: "Africa/Abidjan" },
    });
    expect(csrf.status()).toBe(403);
    expect(await csrf.text()).toContain("Request refused");
    // A body React could never have sent.
    const garbage = await post(saveOrganization, {
      headers: { origin: base, "content-type": "text/plain;charset=UTF-8" },
      data: "{{{not json",
    });
    expect(garbage.status()).toBe(400);
    // Arguments of the wrong shape (not a form): back to the page with a message.
    const shape = await post(saveOrganization, {
      headers: { origin: base, "content-type": "text/plain;charset=UTF-8" },
      data: '["x"]',
    });
    expect(shape.status()).toBeLessThan(500);
    expect(shape.headers()["x-action-redirect"]).toContain("error=invalid");
    // Another organization's id, or no id at all: "not found" on the page, nothing removed.
    for (const id of ["7b0c2a8e-2f0e-4d6c-9a51-0f3f3c1f9a10", "not-a-uuid", "'; drop table recipients; --"]) {
      const res = await post(removeRecipient, {
        headers: { origin: base },
        multipart: { id, returnTo: "/settings#recipients" },
      });
      expect(res.status()).toBe(303);
      expect(res.headers().location).toContain("error=notFound");
    }
    // The walk out of our pages lands on our own page.
    const walk = await post(removeRecipient, {
      headers: { origin: base },
      multipart: { id: "not-a-uuid", returnTo: "/settings/..//evil.example" },
    });
    expect(walk.headers().location).toMatch(/^\/settings\?error=notFound#recipients$/);
    await page.goto("/settings");
    await page.locator('[data-testid="recipient"][data-status="opted_in"]').waitFor();
  });

  step("is usable on a phone-sized screen", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto("/dashboard");
    await phone.locator('[data-testid="message"]').first().waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("10-dashboard-mobile", phone);
    await phone.close();
  });

  step("signs out: the session ends on the server, a kept copy of the cookie is refused", async () => {
    await page.goto("/dashboard");
    const kept = (await context.cookies()).find((c) => c.name === "fa_session");
    expect(kept?.value).toBeTruthy();
    await page.getByTestId("logout").click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/dashboard");
    expect(page.url()).toContain("/?signin=required");
    await context.addCookies([kept!]);
    await page.goto("/dashboard");
    expect(page.url()).toContain("/?signin=required");
  });

  step("signs out of all devices from Settings", async () => {
    await page.getByTestId("local-signin").click();
    await page.waitForURL("**/dashboard");
    const other = await browser.newContext({ baseURL: server.baseUrl, locale: "fr-FR" });
    const otherPage = await other.newPage();
    await otherPage.goto("/");
    await otherPage.getByTestId("local-signin").click();
    await otherPage.waitForURL("**/dashboard");
    await page.goto("/settings#sessions");
    await page.getByTestId("sign-out-everywhere").click();
    await page.waitForURL("**/?signedOut=everywhere");
    await page.getByTestId("signed-out-everywhere").waitFor();
    await otherPage.goto("/dashboard");
    expect(otherPage.url()).toContain("/?signin=required");
    await other.close();
  });

  step("deletes the account; the organization signed up next cannot open the first one's email", async () => {
    await page.getByTestId("local-signin").click();
    await page.waitForURL("**/dashboard");
    await page.goto("/settings#delete");
    await page.getByLabel("To confirm, type DELETE").fill("DELETE");
    await page.getByTestId("delete-account").click();
    await page.waitForURL("**/?deleted=1");
    await page.goto("/dashboard");
    expect(page.url()).toContain("/?signin=required");
    // Signing in again creates a new organization (the local user was deleted with the first one).
    await page.getByTestId("local-signin").click();
    await page.waitForURL("**/onboarding");
    const res = await page.goto(firstEmailPath);
    expect(res?.status()).toBe(404);
    await page.getByTestId("not-found").waitFor();
  });

  step("opts a recipient in with a code sent on WhatsApp and typed in the app", async () => {
    // The browser kept the English chosen earlier: fields are found by id, the code by its digits.
    await page.goto("/onboarding?step=2");
    await page.locator("#r-name").fill("Koffi Yao");
    await page.locator("#r-phone").fill("05 05 12 34 56");
    await page.getByTestId("add-recipient-submit").click();
    const recipient = page.getByTestId("recipient");
    await expect.poll(() => recipient.getAttribute("data-status")).toBe("pending");
    await page.getByTestId("opt-in-send-code").click();
    // Local mode: no WhatsApp, so the panel shows what the simulated phone received.
    const message = page.getByTestId("opt-in-phone-message");
    await message.waitFor();
    const code = (await message.textContent())?.match(/\b(\d{6})\b/)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const input = page.getByTestId("opt-in-code-input");
    await input.fill(`${(Number(code![0]) + 1) % 10}${code!.slice(1)}`);
    await page.getByTestId("opt-in-verify").click();
    expect(await page.getByTestId("opt-in-code-error").textContent()).toContain("not the right one");
    await shot("11-onboarding-typed-code");
    await input.fill(code!);
    await page.getByTestId("opt-in-verify").click();
    await expect.poll(() => recipient.getAttribute("data-status"), { timeout: 20_000 }).toBe("opted_in");
  });
});
