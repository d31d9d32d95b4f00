import PostalMime from "postal-mime";
import { cleanAttachment } from "@/lib/mail/clean-message";
import { MIME_LIMITS } from "@/lib/mail/mime";
import type { AttachmentMeta } from "@/lib/mail/types";

/**
 * One attachment's bytes from the raw RFC 822 message its metadata was parsed from (the sandbox's
 * `.eml`, a file given to `npm run triage`): the raw message is parsed again and the part at the
 * metadata's index handed over, if it still has the same name and type. Null otherwise.
 */
export async function attachmentFromRaw(
  raw: string | Uint8Array,
  attachment: AttachmentMeta,
): Promise<Uint8Array | null> {
  const index = Number(attachment.providerAttachmentId);
  if (!Number.isInteger(index) || index < 0) return null;
  // A message past the parser's limits was recorded without its parts: nothing to hand over.
  const email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer", ...MIME_LIMITS }).catch(
    () => null,
  );
  const part = email?.attachments[index];
  // Compared as the metadata was made (names and types cleaned at the boundary).
  const meta = part && cleanAttachment({ filename: part.filename, mimeType: part.mimeType, size: 0 });
  if (!part || meta?.filename !== attachment.filename || meta?.mimeType !== attachment.mimeType) return null;
  return typeof part.content === "string"
    ? new TextEncoder().encode(part.content)
    : new Uint8Array(part.content);
}
