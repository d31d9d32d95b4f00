import { getSendContext } from "@/lib/db/alert-send";
import type { Db } from "@/lib/db/port";
import { setConsent } from "@/lib/db/recipients";
import type { Locale } from "@/lib/domain/vocabulary";
import { translator } from "@/lib/i18n/catalogue";
import { done, findTarget, mute, snooze } from "@/lib/jobs/whatsapp-buttons";
import type { Logger } from "@/lib/log";
import type { ActionClaims } from "@/lib/security/action-link";

type Ctx = { db: Db; log: Logger; now: Date };
export type LinkResult = { ok: boolean; locale: Locale; text: string };

/** WhatsApp markup of the shared confirmations, for a web page. */
const plain = (text: string) => text.replace(/\*([^*\n]+)\*/g, "$1");

/** Who an action link is for, in which language (a link whose alert is gone, or not an e-mail one, is for no one). */
export async function linkRecipient(db: Db, claims: ActionClaims) {
  const ctx = await getSendContext(db, claims.alertId);
  return ctx && ctx.recipient.channel === "email" ? ctx : null;
}

/** What the GET page of a link shows: the action it will take, and the button that confirms it. */
export async function describeLink(db: Db, claims: ActionClaims | null) {
  const ctx = claims && (await linkRecipient(db, claims));
  if (!claims || !ctx) return { ok: false, locale: "fr" as Locale, text: invalidText(), submit: null };
  const t = translator(ctx.recipient.locale, "email");
  return {
    ok: true,
    locale: ctx.recipient.locale,
    text: t("page.confirm", { action: t(`action.${claims.command}`) }),
    submit: t("page.submit"),
  };
}

/** The answer to a link that is tampered, expired or for no e-mail recipient. */
export const invalidText = () => translator("fr", "email")("page.invalid");

/**
 * What a verified e-mail link does: the same commands as WhatsApp's buttons, for the alert's own
 * recipient within the alert's organization (findTarget checks the pair), or consent given or
 * withdrawn for that recipient. The answer is the text the web page shows.
 */
export async function actOnLink(env: Ctx, claims: ActionClaims): Promise<LinkResult> {
  const ctx = await linkRecipient(env.db, claims);
  if (!ctx) return { ok: false, locale: "fr", text: invalidText() };
  const { recipient } = ctx;
  const t = translator(recipient.locale, "email");
  if (claims.command === "start" || claims.command === "stop") {
    await setConsent(env.db, {
      organizationId: ctx.send.organizationId,
      recipientId: recipient.id,
      status: claims.command === "start" ? "opted_in" : "opted_out",
      actor: `email:${recipient.id}`,
    });
    return {
      ok: true,
      locale: recipient.locale,
      text: t(claims.command === "start" ? "page.optedIn" : "page.optedOut"),
    };
  }
  const target = await findTarget(env.db, claims.alertId, [recipient]);
  if (!target || recipient.status !== "opted_in") {
    return { ok: false, locale: recipient.locale, text: t("page.invalid") };
  }
  const act = claims.command === "done" ? done : claims.command === "snooze" ? snooze : mute;
  const reply = await act(env, target);
  env.log.info("email.action", { alertId: claims.alertId, command: claims.command });
  return { ok: true, locale: recipient.locale, text: plain(reply.body) };
}
