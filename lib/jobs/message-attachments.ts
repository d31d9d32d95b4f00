import { emailAttachmentReader } from "@/lib/attachments/read-email";
import type { AttachmentReading } from "@/lib/attachments/schema";
import type { Logger } from "@/lib/log";
import type { MailboxAccess, MailProvider } from "@/lib/mail/provider";
import type { NormalizedMessage } from "@/lib/mail/types";

/**
 * The lazy attachment reader message.analyze hands to the analysis: bound to the mailbox's
 * provider (Gmail messages.attachments.get, Graph contentBytes or /$value, the sandbox's .eml),
 * called only when the pre-filter did not decide, within the email's budget
 * (lib/attachments/limits.ts: 20 s, 3 files of at most 10 MB). The bytes and the text live in this
 * job's memory; the log line has counts only.
 */
export function attachmentReader(
  session: { provider: MailProvider; access: MailboxAccess },
  msg: NormalizedMessage,
  ctx: { timeZone: string; now: () => Date; log: Logger; messageId: string },
): () => Promise<AttachmentReading[]> {
  const read = emailAttachmentReader(
    msg,
    (meta) => session.provider.fetchAttachment(session.access, msg.providerMessageId, meta),
    ctx,
  );
  return async () => {
    const readings = await read();
    if (readings.length > 0) {
      const count = (status: string) => readings.filter((r) => r.report.status === status).length;
      ctx.log.info("analyze.attachments", {
        messageId: ctx.messageId,
        read: count("read"),
        skipped: count("skipped"),
        unreadable: count("unreadable"),
      });
    }
    return readings;
  };
}
