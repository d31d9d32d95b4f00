import { createTransport } from "nodemailer";
import type { SendOutcome } from "@/lib/channels/channel";
import type { SmtpConfig } from "@/lib/channels/email/config";
import type { EmailContent } from "@/lib/channels/email/render";

/** What nodemailer puts on a failed send (its dist/esm/errors.d.ts codes, and the server's reply). */
type SmtpFailure = Error & { code?: string; responseCode?: number; command?: string };

/** Refused by our own configuration: retrying cannot help, an operator must act. */
const CONFIGURATION = new Set(["EAUTH", "ENOAUTH", "ECONFIG", "ETLS", "EREQUIRETLS", "EOAUTH2"]);
/** Nothing reached the server: no connection, no name, no greeting. Safe to retry. */
const NOT_CONNECTED = new Set(["EDNS", "ESOCKET", "EPROXY"]);

/**
 * An SMTP failure as the shared outcome. Reply codes follow RFC 5321 §4.2.1: 4yz is transient
 * (try again later), 5yz permanent; a 5yz answer to RCPT TO (550 mailbox unavailable, 551 user not
 * local, 553 mailbox name not allowed, §4.2.2) refuses this address. A connection lost or timed out
 * after it was open may have come after the message was accepted (§6.1 on duplicates): unknown.
 */
export function outcomeOfSmtpError(error: unknown): SendOutcome {
  const e = error as SmtpFailure;
  if (!(error instanceof Error)) throw error;
  const code = e.responseCode ?? null;
  const reason = `SMTP ${code ?? e.code ?? "error"}: ${e.message}`.slice(0, 300);
  if (code !== null && code >= 400 && code < 500)
    return { outcome: "retry-after", afterMs: null, code, reason };
  if (code !== null && code >= 500 && e.command === "RCPT TO")
    return { outcome: "undeliverable", code, reason };
  if (code !== null && code >= 500) return { outcome: "permanent", code, reason };
  if (e.code && CONFIGURATION.has(e.code)) return { outcome: "permanent", code, reason };
  if (e.code && NOT_CONNECTED.has(e.code)) return { outcome: "retry-after", afterMs: null, code, reason };
  if (e.code === "ECONNECTION" || e.code === "ETIMEDOUT") return { outcome: "unknown", reason };
  throw error;
}

/**
 * One message over SMTP with nodemailer, one connection per send (serverless functions keep no
 * pool). Its Message-ID is derived from the alert, so a resend after an unknown outcome carries
 * the same id and mail clients that deduplicate on it show one message.
 */
export async function sendMail(
  config: SmtpConfig,
  mail: EmailContent & { to: string; alertId: string; unsubscribeUrl: string },
  options: { timeoutMs?: number } = {},
): Promise<SendOutcome> {
  const timeout = options.timeoutMs ?? 20_000;
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && !["localhost", "127.0.0.1", "::1"].includes(config.host),
    auth: config.auth ?? undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = config.from.address.split("@")[1];
  try {
    const info = await transport.sendMail({
      from: { name: config.from.name, address: config.from.address },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<alert-${mail.alertId}@${domain}>`,
      // RFC 2369 and RFC 8058: a one-click unsubscribe the mail client can offer.
      list: { unsubscribe: { url: mail.unsubscribeUrl, comment: "unsubscribe" } },
      headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Auto-Submitted": "auto-generated" },
    });
    return { outcome: "sent", providerMessageId: info.messageId, delivery: "email" };
  } catch (error) {
    return outcomeOfSmtpError(error);
  } finally {
    transport.close();
  }
}
