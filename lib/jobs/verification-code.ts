import { sendTemplate } from "@/lib/channels/whatsapp/api";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import {
  AuthError,
  OutcomeUnknownError,
  RateLimitError,
  TemplateConfigError,
  UndeliverableError,
} from "@/lib/channels/whatsapp/errors";
import { generateOptInCode } from "@/lib/channels/whatsapp/opt-in-code";
import { VERIFICATION_CODE_MINUTES, verificationTemplateMessage } from "@/lib/channels/whatsapp/templates";
import { whatsAppFromEnv } from "@/lib/config/channels";
import { audit } from "@/lib/db/audit";
import { issueOptInCode } from "@/lib/db/opt-in-codes";
import type { Db } from "@/lib/db/port";
import { getRecipient } from "@/lib/db/recipients";
import { AppError, notFound } from "@/lib/errors/app-error";
import { hashOptInCode } from "@/lib/security/keyed-hash";

export type VerificationSent =
  | { delivery: "whatsapp"; expiresAt: Date }
  /** No Cloud API (local mode): the code is handed back for the app's simulated phone, never stored. */
  | { delivery: "outbox"; code: string; expiresAt: Date };

function toAppError(error: unknown): Error {
  if (error instanceof UndeliverableError)
    return new AppError(
      "whatsapp_undeliverable",
      "WhatsApp cannot deliver to this number: check it and try again.",
    );
  if (error instanceof RateLimitError)
    return new AppError("whatsapp_rate_limited", "WhatsApp is busy: try again in a minute.");
  if (error instanceof TemplateConfigError || error instanceof AuthError)
    return new AppError("whatsapp_config", error.message);
  if (error instanceof OutcomeUnknownError)
    return new AppError(
      "whatsapp_timeout",
      "No answer from WhatsApp: if no code arrives in a minute, ask for another.",
    );
  return new AppError("whatsapp_failed", "WhatsApp did not accept the code: try again.");
}

/**
 * "Send me a code": a new opt-in code (only its hash is stored; at most 5 an hour, enforced in SQL)
 * sent with the approved verification template, which Meta allows before opt-in. The recipient
 * types it in the app, where `verifyTypedOptInCode` completes the opt-in: a `template` code is
 * accepted only there, because only the phone's owner can have read it. The code is sent directly,
 * not as an alert row, so it is never written to the database.
 */
export async function sendVerificationCode(
  db: Db,
  p: {
    organizationId: string;
    recipientId: string;
    actor: string;
    whatsapp?: WhatsAppConfig | null;
    now?: Date;
  },
): Promise<VerificationSent> {
  const whatsapp = p.whatsapp === undefined ? whatsAppFromEnv() : p.whatsapp;
  const recipient = await getRecipient(db, p.recipientId);
  if (!recipient || recipient.organizationId !== p.organizationId) throw notFound("Recipient not found.");
  const code = generateOptInCode();
  const expiresAt = new Date((p.now ?? new Date()).getTime() + VERIFICATION_CODE_MINUTES * 60_000);
  await issueOptInCode(db, {
    organizationId: p.organizationId,
    recipientId: recipient.id,
    kind: "template",
    codeHash: hashOptInCode(code),
    expiresAt,
  });
  if (whatsapp) {
    const message = verificationTemplateMessage({ locale: recipient.locale, code });
    try {
      await sendTemplate(whatsapp, { to: recipient.address, ...message });
    } catch (error) {
      throw toAppError(error);
    }
  }
  await audit(db, {
    organizationId: p.organizationId,
    actor: p.actor,
    action: "recipient.code_sent",
    target: recipient.id,
    details: { delivery: whatsapp ? "whatsapp" : "outbox" },
  });
  return whatsapp ? { delivery: "whatsapp", expiresAt } : { delivery: "outbox", code, expiresAt };
}
