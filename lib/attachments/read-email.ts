import { type AttachmentSource, readAttachments } from "@/lib/attachments/read-attachments";
import type { AttachmentReading } from "@/lib/attachments/schema";
import type { NormalizedMessage } from "@/lib/mail/types";

/**
 * The lazy reader `analyzeMessage` takes (AnalyzeDeps.attachments) for one email: its attachments
 * read from `source` within the limits, relative dates taken from when the email was sent. The
 * job binds `source` to the mailbox's provider; `npm run triage` and `npm run eval` to the raw
 * message (lib/mail/raw-attachment.ts).
 */
export function emailAttachmentReader(
  msg: NormalizedMessage,
  source: AttachmentSource,
  ctx: { timeZone: string; now?: () => Date },
): () => Promise<AttachmentReading[]> {
  return () => {
    const sent = new Date(msg.date);
    return readAttachments(msg.attachments, source, {
      reference: Number.isNaN(sent.getTime()) ? (ctx.now?.() ?? new Date()) : sent,
      timeZone: ctx.timeZone,
      sender: msg.from,
    });
  };
}
