import path from "node:path";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import {
  hasChromium,
  type LocalBrowser,
  openLocalBrowser,
  SHOTS,
  scenarioSteps,
  signInLocally,
  tomorrowReadsAs,
} from "@/tests/browser/local-journey";
import type { DevServer } from "@/tests/browser/next-dev-server";

/*
 * The manager's experience (issue 15) in a real browser against `npm run dev` in local mode: the
 * stats charts empty and with data, the outbox paged past its first page after the samples, the
 * audit log as sentences, one email alerting a French and an English recipient each entirely in
 * their language, the compose form keeping what was typed, the email and 404 pages' titles, OAuth
 * start redirecting to this server's port, and every page at a phone's size (390×844) with no
 * horizontal overflow (scrollWidth) and no axe-core violation.
 */

let local: LocalBrowser | undefined;
let server: DevServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let emailPath = "";
let composedAt = 0;
/** The email composed for the two recipients (French and English). */
const SUBJECT = "Contrat de maintenance 15 000 000 FCFA — signature demain avant 17h";

/** One step of the scenario; each relies on the previous ones. */
const step = scenarioSteps();

/** axe-core's violations on the page as it is, one line each (rule, impact, first element). */
async function axeViolations(target: Page): Promise<string[]> {
  await target.evaluate(() => document.querySelector("nextjs-portal")?.remove());
  await target.addScriptTag({ content: axe.source });
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<AxeResults> } }).axe;
    type AxeResults = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  });
}

describe.runIf(hasChromium || process.env.CI)(
  "the manager's experience (local mode)",
  { timeout: 240_000 },
  () => {
    beforeAll(async () => {
      local = await openLocalBrowser({
        warm: ["/", "/onboarding", "/dashboard", "/settings", "/stats", "/audit"],
        timeoutMs: 30_000,
        viewport: { width: 1280, height: 900 },
      });
      ({ server, browser, context, page } = local);
    }, 1_200_000);

    afterAll(() => local?.close());

    step("signs in locally with the sandbox mailbox and a recipient opted in", async () => {
      await signInLocally(page);
      await page.getByTestId("connect-sandbox").click();
      await page.locator('[data-testid="mailbox"][data-provider="sandbox"]').waitFor();
      await page.goto("/onboarding?step=2");
      // Onboarding says what a designated manager will receive under the current setting.
      expect(await page.getByTestId("escalation-mode-hint").textContent()).toMatch(/après le délai/);
      await page.getByLabel("Nom", { exact: true }).fill("Awa Traoré");
      await page.getByLabel("Numéro WhatsApp").fill("07 07 12 34 56");
      await page.getByTestId("add-recipient-submit").click();
      await page.getByTestId("opt-in-start").click();
      await page.getByTestId("opt-in-simulate").click();
      await expect
        .poll(() => page.getByTestId("recipient").getAttribute("data-status"), { timeout: 30_000 })
        .toBe("opted_in");
    });

    step("shows the stats page with no data: every chart says so, the CSV export is there", async () => {
      await page.goto("/stats?days=30");
      await page.getByTestId("chart-emails").waitFor();
      expect(await page.getByTestId("chart-empty").count()).toBe(5);
      expect(await page.getByTestId("chart-svg").count()).toBe(0);
      expect(await page.getByTestId("stats-export").getAttribute("href")).toBe("/api/stats/export?days=30");
      const csv = await page.request.get("/api/stats/export?days=30");
      expect(csv.status()).toBe(200);
      expect((await csv.text()).trim().split("\r\n")).toHaveLength(31);
    });

    step("pages the outbox after the samples: older messages behind « Plus anciens »", async () => {
      await page.goto("/dashboard");
      await page.getByTestId("load-samples").click();
      const messages = page.getByTestId("outbox-message");
      await expect.poll(() => messages.count(), { timeout: 120_000, interval: 2000 }).toBe(10);
      await page.getByTestId("outbox-older").waitFor({ timeout: 120_000 });
      const first = await messages.evaluateAll((els) => els.map((e) => e.getAttribute("data-alert-id")));
      await page.getByTestId("outbox-older").click();
      await page.waitForURL(/outboxBefore=/);
      const second = await messages.evaluateAll((els) => els.map((e) => e.getAttribute("data-alert-id")));
      expect(second.length).toBeGreaterThan(0);
      expect(second.filter((id) => first.includes(id))).toEqual([]);
      await page
        .getByRole("link", { name: /Plus récents/ })
        .first()
        .click();
      await page.waitForURL((url) => !url.search.includes("outboxBefore"));
    });

    step("draws the stats charts with data", async () => {
      await page.goto("/stats?days=7");
      await page.getByTestId("chart-emails").getByTestId("chart-svg").waitFor();
      expect(Number(await page.getByTestId("stat-analyzed").textContent())).toBeGreaterThan(5);
      expect(await page.getByTestId("chart-alerts").getByTestId("chart-svg").count()).toBe(1);
      expect(await page.getByTestId("stat-median").textContent()).not.toBe("—");
      await page.screenshot({ path: path.join(SHOTS, "x1-stats-charts.png"), fullPage: true });
    });

    step("reads the audit log as sentences", async () => {
      await page.goto("/audit");
      const sentences = await page.getByTestId("audit-sentence").allTextContents();
      expect(sentences).toContain("Vous avez ajouté Awa Traoré");
      expect(sentences.some((s) => /^Vous avez connecté la boîte .+@/.test(s))).toBe(true);
      expect(sentences.join("\n")).not.toMatch(
        /\b(?:auth|account|mailbox|recipient|message|alert|sender_rule)\.[a-z_]+\b|[0-9a-f]{8}-[0-9a-f]{4}-/,
      );
      await page.getByTestId("audit-kind").selectOption("recipient");
      await page.getByRole("button", { name: "Filtrer" }).click();
      await page.waitForURL(/kind=recipient/);
      const filtered = await page
        .getByTestId("audit-entry")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-action")));
      expect(filtered.length).toBeGreaterThan(0);
      expect(filtered.every((a) => a?.startsWith("recipient."))).toBe(true);
      emailPath =
        (await (async () => {
          await page.goto("/dashboard");
          return page.locator('[data-testid="message"] h3 a').first().getAttribute("href");
        })()) ?? "";
      expect(emailPath).toMatch(/^\/dashboard\/emails\//);
    });

    step("adds an English-speaking recipient beside the French one", async () => {
      await page.goto("/onboarding?step=2");
      await page.getByLabel("Nom", { exact: true }).fill("John Mensah");
      await page.getByLabel("Numéro WhatsApp").fill("07 07 65 43 21");
      // Not a designated manager: he gets the alert itself, not only its escalation.
      await page.getByLabel("Reçoit les alertes critiques non lues (escalade)").uncheck();
      await page.getByTestId("add-recipient-submit").click();
      const john = page.getByTestId("recipient").filter({ hasText: "John Mensah" });
      await john.getByTestId("opt-in-start").click();
      await john.getByTestId("opt-in-simulate").click();
      await expect.poll(() => john.getAttribute("data-status"), { timeout: 30_000 }).toBe("opted_in");
      await page.goto("/settings");
      const settings = page.getByTestId("recipient").filter({ hasText: "John Mensah" });
      await settings.getByText("Modifier les préférences").click();
      await settings.locator('select[name="locale"]').selectOption("en");
      await settings.getByRole("button", { name: "Enregistrer" }).click();
      await page.waitForURL(/notice=/);
      await page.goto("/settings");
      expect(
        await page
          .getByTestId("recipient")
          .filter({ hasText: "John Mensah" })
          .locator('select[name="locale"]')
          .inputValue(),
      ).toBe("en");
    });

    step("keeps what was typed in the compose form after sending it", async () => {
      await page.goto("/dashboard");
      const form = page.getByTestId("compose-form");
      await form.getByLabel("Objet").fill(SUBJECT);
      composedAt = Date.now();
      await page.getByTestId("compose-send").click();
      await page.waitForURL(/notice=emailSent/);
      await page.getByTestId("compose-form").waitFor();
      expect(await page.getByTestId("compose-form").getByLabel("Objet").inputValue()).toBe(SUBJECT);
    });

    step("alerts the French and the English recipient, each entirely in their own language", async () => {
      await page.goto("/dashboard");
      const ours = page.getByTestId("outbox-message").filter({ hasText: SUBJECT });
      await expect.poll(() => ours.count(), { timeout: 120_000, interval: 2000 }).toBe(2);
      // The bubble as read, one line per <br>.
      const bubble = (name: string) =>
        ours
          .filter({ hasText: name })
          .locator(".wa-body")
          .first()
          .evaluate((el) =>
            [...el.childNodes].map((n) => (n.nodeName === "BR" ? "\n" : n.textContent)).join(""),
          );
      const fr = await bubble("Awa Traoré");
      const en = await bubble("John Mensah");
      const frButtons = await ours
        .filter({ hasText: "Awa Traoré" })
        .getByTestId("outbox-button")
        .allInnerTexts();
      const enButtons = await ours
        .filter({ hasText: "John Mensah" })
        .getByTestId("outbox-button")
        .allInnerTexts();
      await page.screenshot({ path: path.join(SHOTS, "x2-alerts-fr-en.png"), fullPage: false });
      // French: labels, the deadline's day, the amount's digit grouping, the buttons.
      expect(fr).toMatch(/Critique/);
      // "Demain avant 17h" is tomorrow's 17:00 — today's only once midnight passed since it was sent.
      const day = /Échéance[\s\u202f\u00a0]: (demain|aujourd’hui) 17:00/.exec(fr)?.[1];
      const readable = [...tomorrowReadsAs(composedAt, Date.now())].map((d) =>
        d === 1 ? "demain" : "aujourd’hui",
      );
      expect(readable).toContain(day);
      expect(fr).toMatch(/15[\s\u202f\u00a0]000[\s\u202f\u00a0]000 FCFA/);
      expect(fr).toMatch(/Action recommandée/);
      expect(frButtons.join(" ")).toMatch(/Traité.*Rappel 1 h/);
      // English: the same facts, nothing left in French but the email's own subject and sender.
      expect(en).toMatch(/Critical/);
      expect(en).toContain(`Deadline: ${day === "demain" ? "tomorrow" : "today"} 17:00`);
      expect(en).toMatch(/15,000,000 FCFA/);
      expect(en).toMatch(/Suggested action/);
      expect(enButtons.join(" ")).toMatch(/Done.*Remind 1 h/);
      // What is not ours is left as written: the email's subject and sender, the summary quoting the
      // sender's own sentence (the same quote in both), the mailbox label chosen once per organization.
      const quoted = (text: string) =>
        /📝 [“«][\s\u202f\u00a0]?([^”»]+?)[\s\u202f\u00a0]?[”»]/.exec(text)?.[1];
      expect(quoted(en)).toBeTruthy();
      expect(quoted(en)).toBe(quoted(fr));
      const ourText = (text: string) =>
        text
          .replace(SUBJECT, "")
          .replace(/Aïcha Koné[^\n]*/g, "")
          .replace(/📝 [“«][^”»]+[”»]/, "")
          .replace(/“FluxAsync\/[^”]+”|« FluxAsync\/[^»]+»/g, "");
      expect(ourText(en)).not.toMatch(
        /Critique|Échéance|demain|aujourd|Action recommandée|Montant|signature|Contrat|Traité|De :|libellé/,
      );
      expect(ourText(fr)).not.toMatch(/Critical|Deadline|tomorrow|today|Suggested action|Amount|From:|label/);
      for (const b of frButtons) expect(b).not.toMatch(/Done|Remind|Ignore/);
    });

    step("titles the email page and the 404 page; OAuth start comes back to this server's port", async () => {
      await page.goto("/dashboard");
      const href = await page
        .locator('[data-testid="message"] h3 a')
        .filter({ hasText: SUBJECT })
        .first()
        .getAttribute("href");
      await page.goto(href ?? "/");
      expect(await page.title()).toBe(`E-mail « ${SUBJECT} » · FluxAsync Mail`);
      await page.goto("/no-such-page");
      expect(await page.title()).toBe("Page introuvable · FluxAsync Mail");
      const start = await page.request.get("/api/auth/google/start", { maxRedirects: 0 });
      const port = new URL(server.baseUrl).port;
      expect(start.headers().location).toBe(
        `http://localhost:${port}/auth/error?provider=google&reason=not_configured`,
      );
    });

    step("every page at 390×844 has no horizontal overflow and no axe violation", async () => {
      const phone = await browser.newContext({
        baseURL: server.baseUrl,
        locale: "fr-FR",
        viewport: { width: 390, height: 844 },
        storageState: await context.storageState(),
      });
      const p = await phone.newPage();
      const problems: string[] = [];
      for (const url of [
        "/dashboard",
        "/onboarding",
        "/settings",
        "/stats",
        "/audit",
        emailPath,
        "/no-such-page",
      ]) {
        await p.goto(url);
        await p.waitForLoadState("networkidle").catch(() => {});
        const { scroll, inner } = await p.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
        }));
        if (scroll > inner) problems.push(`${url}: scrollWidth ${scroll} > ${inner}`);
        for (const v of await axeViolations(p)) problems.push(`${url}: ${v}`);
      }
      await phone.close();
      expect(problems).toEqual([]);
    });
  },
);
