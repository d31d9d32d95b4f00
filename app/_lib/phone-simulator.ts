import { findRecipient } from "@/app/_lib/recipients-core";
import { formatOptInCode } from "@/lib/channels/whatsapp/commands";
import { normalizeOptInCode } from "@/lib/channels/whatsapp/opt-in-code";
import type { SessionUser } from "@/lib/db/accounts";
import type { Db } from "@/lib/db/port";
import { isLocalMode } from "@/lib/env";
import { notFound } from "@/lib/errors/app-error";
import { translator } from "@/lib/i18n/catalogue";
import { simulateQuotedText, simulateReply, simulateText } from "@/lib/local/whatsapp-simulator";

/*
 * Local mode's phone: what a recipient would do on WhatsApp, sent through the real webhook
 * handling. Always scoped to the session's organization (simulate.ts checks it as well).
 */

/** `local` is a parameter so tests (which configure OAuth, hence are not local) can check isolation. */
function requireLocal(local: boolean) {
  if (!local) throw notFound("Local mode only.");
}

/** The recipient taps send on the prefilled wa.me message carrying their code. */
export async function phoneSendsOptInCode(
  db: Db,
  user: SessionUser,
  recipientId: string,
  code: string,
  local = isLocalMode,
) {
  requireLocal(local);
  const recipient = await findRecipient(db, user, recipientId);
  const digits = normalizeOptInCode(code);
  if (!digits) throw notFound("No such code.");
  const text = translator(recipient.locale, "whatsapp")("reply.optInPrefill", {
    code: formatOptInCode(digits),
  });
  return simulateText(db, { organizationId: user.organizationId, recipientId: recipient.id, text });
}

/** The recipient presses one of a message's reply buttons. */
export async function phonePressesButton(
  db: Db,
  user: SessionUser,
  alertId: string,
  buttonId: string,
  local = isLocalMode,
) {
  requireLocal(local);
  return simulateReply(db, { organizationId: user.organizationId, alertId, buttonId });
}

/** The recipient types a free text (AIDE, RÉSUMÉ, STOP…). */
export async function phoneTypes(
  db: Db,
  user: SessionUser,
  recipientId: string,
  text: string,
  local = isLocalMode,
) {
  requireLocal(local);
  return simulateText(db, { organizationId: user.organizationId, recipientId, text });
}

/** The recipient answers one message by quoting it (a reply's text to an alert or a draft). */
export async function phoneRepliesTo(
  db: Db,
  user: SessionUser,
  alertId: string,
  text: string,
  local = isLocalMode,
) {
  requireLocal(local);
  return simulateQuotedText(db, { organizationId: user.organizationId, alertId, text });
}
