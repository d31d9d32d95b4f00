import { describe, expect, it } from "vitest";
import { attachmentLimits } from "@/lib/attachments/limits";
import { selectAttachments } from "@/lib/attachments/select";
import type { AttachmentMeta } from "@/lib/mail/types";

const meta = (
  filename: string,
  mimeType: string,
  size: number,
  extra: Partial<AttachmentMeta> = {},
): AttachmentMeta => ({
  filename,
  mimeType,
  size,
  providerAttachmentId: filename,
  inline: false,
  contentId: null,
  type: "file",
  ...extra,
});

describe("selectAttachments", () => {
  it("keeps documents and scans, skips what a reader would not open, with the reason", () => {
    const limits = attachmentLimits();
    const { read, skipped } = selectAttachments(
      [
        meta("facture.pdf", "application/octet-stream", 50_000),
        meta("scan.jpg", "image/jpeg", 900_000),
        meta("logo.png", "image/png", 4_000),
        meta("image001.png", "image/png", 60_000, { inline: true }),
        meta("invite.ics", "text/calendar", 2_000),
        meta("smime.p7s", "application/pkcs7-signature", 3_000),
        meta("RE: devis", "message/rfc822", 30_000, { type: "item" }),
        meta("contrat.docx", "application/octet-stream", 40_000, { providerAttachmentId: null }),
      ],
      limits,
    );
    expect(read.map((r) => [r.meta.filename, r.format])).toEqual([
      ["scan.jpg", "image"],
      ["facture.pdf", "pdf"],
    ]);
    expect(skipped.map((s) => [s.meta.filename, s.report.status === "skipped" && s.report.reason])).toEqual([
      ["logo.png", "small_image"],
      ["image001.png", "inline_image"],
      ["invite.ics", "not_relevant"],
      ["smime.p7s", "not_relevant"],
      ["RE: devis", "not_a_file"],
      ["contrat.docx", "no_id"],
    ]);
  });
});
