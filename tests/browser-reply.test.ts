import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hasChromium,
  type LocalBrowser,
  onboardLocally,
  openLocalBrowser,
} from "@/tests/browser/local-journey";

/*
 * The simulated phone in local mode, in a real browser.
 * Answering an email from WhatsApp: approve a prepared reply in Settings › Réponses → a critical
 * test email → on the simulated phone, the alert's « ↩️ Répondre » → the approved reply → the
 * confirmation with the exact text and addressee → « ✅ Envoyer » → the sandbox's « Envoyés » shows
 * the reply in the thread, and the email page lists it.
 * Escalation: the owner's delay set to one minute, a designated manager opted in → a critical email
 * nobody reads → after the delay the local drain's work cron escalates it to the manager, saying who
 * did not read it. The clock is the real one: a one-minute delay is the shortest a user can set.
 */

let local: LocalBrowser | undefined;
let page: Page;

const button = (prefix: string) =>
  page.locator(`[data-testid="outbox-button"][data-button-id^="${prefix}"]`).first();

describe.runIf(hasChromium || process.env.CI)(
  "the simulated phone (local mode): answering, escalation",
  { timeout: 600_000 },
  () => {
    beforeAll(async () => {
      local = await openLocalBrowser({
        warm: ["/", "/onboarding", "/dashboard", "/settings", `/dashboard/emails/${randomUUID()}`],
        timeoutMs: 60_000,
        navigationTimeoutMs: 120_000,
      });
      ({ page } = local);
    }, 1_300_000);

    afterAll(() => local?.close());

    it("replies to a critical email in three taps, in its thread, and the email page shows it", async () => {
      await onboardLocally(page, "Awa Traoré", "07 07 12 34 56");

      // Settings › Réponses: the French « Bien reçu », approved.
      await page.goto("/settings#replies");
      const template = page
        .locator("form.reply-template")
        .filter({ has: page.locator('input[name="title"][value="Bien reçu"]') });
      await template.locator('[data-testid^="reply-approve-"]').check();
      await template.getByRole("button", { name: "Enregistrer" }).click();
      await page.waitForURL(/notice=saved/);
      await expect(
        page
          .locator("form.reply-template")
          .filter({ has: page.locator('input[name="title"][value="Bien reçu"]') })
          .locator('[data-testid^="reply-approve-"]')
          .isChecked(),
      ).resolves.toBe(true);

      // A critical email (the compose form's contract example) and its alert on the phone.
      await page.goto("/dashboard");
      await page.getByTestId("compose-send").click();
      await page.locator('[data-testid="message"][data-priority="critical"]').waitFor({ timeout: 60_000 });
      await button("reply:").waitFor({ timeout: 60_000 });

      // Tap 1: « ↩️ Répondre » opens the list of approved replies.
      await button("reply:").click();
      await button("rtpl:").waitFor({ timeout: 60_000 });
      expect(await button("rtpl:").textContent()).toContain("Bien reçu");
      // Tap 2: the approved reply; the confirmation shows the exact text and the addressee.
      await button("rtpl:").click();
      await button("rsend:").waitFor({ timeout: 60_000 });
      const confirmation = page.locator('[data-testid="outbox-message"]', { has: button("rsend:") });
      const shown = await confirmation.textContent();
      expect(shown).toContain("Bien reçu, je vous rappelle dans l’heure.");
      expect(shown).toMatch(/Réponse à .*@/);
      // The sandbox's Sent folder starts with its demo mail: nothing of ours in it yet.
      const ours = page.getByTestId("sandbox-sent-mail").filter({ hasText: "Re: Contrat de prestation" });
      await expect(ours.count()).resolves.toBe(0);
      // Tap 3: « ✅ Envoyer ».
      await button("rsend:").click();

      const mail = ours.first();
      await mail.waitFor({ timeout: 60_000 });
      const sent = await mail.textContent();
      expect(sent).toContain("Re: Contrat de prestation 15");
      expect(sent).toContain("dans la conversation");
      expect(sent).toContain("Bien reçu, je vous rappelle");
      await expect(
        page.locator('[data-testid="outbox-message"]', { hasText: "Réponse envoyée par Awa" }).count(),
      ).resolves.toBeGreaterThan(0);

      // The email page's history.
      await page.locator('[data-testid="message"][data-priority="critical"] h3 a').click();
      await page.waitForURL("**/dashboard/emails/*");
      const reply = page.getByTestId("email-reply").first();
      await reply.waitFor();
      expect(await reply.getAttribute("data-status")).toBe("sent");
      const line = await reply.textContent();
      expect(line).toContain("Awa Traoré a répondu à");
      expect(line).toContain("réponse préparée « Bien reçu »");
    });

    it("escalates a critical alert nobody read to the designated manager after the delay", async () => {
      // The owner's delay: one minute.
      await page.goto("/settings#recipients");
      const awa = page.getByTestId("recipient").filter({ hasText: "Awa Traoré" });
      await awa.locator("summary").click();
      await awa.getByLabel("Délai avant escalade (minutes)").fill("1");
      await awa.getByRole("button", { name: "Enregistrer" }).click();
      await page.waitForURL(/notice=saved/);

      // A designated manager (the form's default once there is an owner), opted in from the phone.
      const add = page.getByTestId("add-recipient");
      await add.getByLabel("Nom", { exact: true }).fill("Koffi Yao");
      await add.getByLabel("Numéro WhatsApp").fill("07 07 00 00 05");
      await expect(add.getByLabel("Rôle").inputValue()).resolves.toBe("manager");
      await expect(add.locator('input[name="escalationTarget"]').isChecked()).resolves.toBe(true);
      await add.getByTestId("add-recipient-submit").click();
      const koffi = page.getByTestId("recipient").filter({ hasText: "Koffi Yao" });
      await koffi.waitFor();
      await koffi.getByTestId("opt-in-start").click();
      await koffi.getByTestId("opt-in-simulate").click();
      await expect.poll(() => koffi.getAttribute("data-status"), { timeout: 30_000 }).toBe("opted_in");

      // A new critical email; the dashboard stays open, so the local drain runs the crons.
      await page.goto("/dashboard");
      const escalations = page.locator('[data-testid="outbox-message"][data-kind="escalation"]');
      await expect(escalations.count()).resolves.toBe(0);
      await page.getByTestId("compose-send").click();
      const escalation = escalations.first();
      // One minute of delay, then the work cron's next minute.
      await escalation.waitFor({ timeout: 240_000 });
      const text = await escalation.textContent();
      expect(text).toContain("Awa Traoré n’a ni lu ni traité cette alerte critique");
      expect(text).toContain("Koffi Yao");
    });
  },
);
