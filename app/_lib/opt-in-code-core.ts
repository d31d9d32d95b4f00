import { actorOf } from "@/app/_lib/account-locale";
import { findRecipient } from "@/app/_lib/recipients-core";
import type { WhatsAppConfig } from "@/lib/channels/whatsapp/config";
import { normalizeOptInCode } from "@/lib/channels/whatsapp/opt-in-code";
import { VERIFICATION_CODE_MINUTES } from "@/lib/channels/whatsapp/templates";
import type { SessionUser } from "@/lib/db/accounts";
import { verifyTypedOptInCode } from "@/lib/db/opt-in-codes";
import type { Db } from "@/lib/db/port";
import type { Recipient } from "@/lib/db/schemas";
import { formatPhone } from "@/lib/domain/phone";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { translator } from "@/lib/i18n/catalogue";
import { sendVerificationCode } from "@/lib/jobs/verification-code";
import { hashOptInCode } from "@/lib/security/keyed-hash";

/*
 * Opt-in by a code typed in the app (issue #5): "send me a code" delivers one with the approved
 * verification template, the user types it in the recipient's panel. Always within the session's
 * organization; the database limits codes per hour and wrong attempts per code.
 */

/** The verification message as the recipient's phone shows it (Meta's fixed text, in their language). */
export type PhoneMessage = { body: string; footer: string; button: string };

export type CodeSent = {
  /** The recipient's number, written for people. */
  phone: string;
  expiresAt: string;
} & (
  | { delivery: "whatsapp" }
  /** Local mode: no Cloud API, so the panel shows what the simulated phone received. */
  | { delivery: "outbox"; code: string; message: PhoneMessage }
);

function phoneMessage(recipient: Recipient, code: string): PhoneMessage {
  const t = translator(recipient.locale, "web");
  return {
    body: t("optInCode.phone.body", { code }),
    footer: t("optInCode.phone.footer", { minutes: VERIFICATION_CODE_MINUTES }),
    button: translator(recipient.locale, "whatsapp")("template.copyCode"),
  };
}

/**
 * Sends a new code to one of the organization's recipients. `whatsapp` defaults to the Cloud API
 * configured in the environment (none: local mode's simulated phone); tests pass their own.
 */
export async function sendOptInCode(
  db: Db,
  user: SessionUser,
  recipientId: string,
  opts: { whatsapp?: WhatsAppConfig | null; now?: Date } = {},
): Promise<CodeSent> {
  const recipient = await findRecipient(db, user, recipientId);
  const sent = await sendVerificationCode(db, {
    organizationId: user.organizationId,
    recipientId: recipient.id,
    actor: actorOf(user),
    whatsapp: opts.whatsapp,
    now: opts.now,
  });
  const common = { phone: formatPhone(recipient.address), expiresAt: sent.expiresAt.toISOString() };
  return sent.delivery === "whatsapp"
    ? { ...common, delivery: "whatsapp" }
    : { ...common, delivery: "outbox", code: sent.code, message: phoneMessage(recipient, sent.code) };
}

export type TypedCode =
  | { verified: true; recipient: Recipient }
  /** `format`: not 6 digits, nothing was checked; `wrong`: not this recipient's current code. */
  | { verified: false; reason: "format" | "wrong" };

/**
 * Checks a code typed for one of the organization's recipients: only the code WhatsApp delivered
 * to that number by template, never the one the app shows for the wa.me link (that one proves
 * nothing about who typed it). The right one opts the number in (the database audits it). Each
 * wrong code counts against that code for as long as it lives, and too many end it (AppError 429).
 */
export async function verifyTypedCode(
  db: Db,
  user: SessionUser,
  recipientId: string,
  typed: string,
): Promise<TypedCode> {
  const recipient = await findRecipient(db, user, recipientId);
  const digits = normalizeOptInCode(typed);
  if (!digits) return { verified: false, reason: "format" };
  const result = await verifyTypedOptInCode(db, {
    organizationId: user.organizationId,
    recipientId: recipient.id,
    codeHash: hashOptInCode(digits),
  });
  if (result.verified) return { verified: true, recipient: result.recipient };
  if (result.reason === "locked")
    throw new AppError("too_many_attempts", "Too many wrong codes: this code has ended, ask for a new one.");
  return { verified: false, reason: "wrong" };
}

const SEND_ERRORS: Record<string, string> = {
  db_429: "rateLimited",
  whatsapp_rate_limited: "whatsappBusy",
  whatsapp_undeliverable: "undeliverable",
  whatsapp_timeout: "timeout",
  whatsapp_failed: "sendFailed",
  whatsapp_config: "sendFailed",
  not_found: "notFound",
};

/** What went wrong sending a code, as a key of `client.optIn.errors`; anything else is rethrown. */
export function sendCodeErrorKey(error: unknown): string {
  const key = isAppError(error) ? SEND_ERRORS[error.code] : undefined;
  if (!key) throw error;
  return key;
}

/** What went wrong checking a code, as a key of `client.optIn.errors`; anything else is rethrown. */
export function verifyCodeErrorKey(error: unknown): string {
  if (isAppError(error) && error.status === 429) return "tooManyAttempts";
  if (isAppError(error) && error.status === 404) return "notFound";
  throw error;
}
