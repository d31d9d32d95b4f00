import { describe, expect, it } from "vitest";
import { describeAttachment } from "@/lib/attachments/describe";
import { attachmentExcerpts } from "@/lib/attachments/excerpt";
import { alertWorthy, attachmentLine } from "@/lib/attachments/present";
import type { AttachmentReport } from "@/lib/attachments/schema";

const findings = describeAttachment(
  "FACTURE N° FA-2291\nTotal TTC : 4 500 000 FCFA\nDate d'échéance : 15 décembre 2026",
  {
    filename: "FA-2291.pdf",
    reference: new Date("2026-11-14T09:30:00Z"),
    timeZone: "Africa/Abidjan",
    sender: { address: "compta@materiaux-sahel.ci", name: null },
  },
);
const read: AttachmentReport = {
  filename: "FA-2291.pdf",
  mimeType: "application/pdf",
  size: 1929,
  status: "read",
  format: "pdf",
  method: "text",
  pages: 1,
  truncated: false,
  findings,
};
const flat = (s: string) => s.replace(/\s/g, " ");

describe("attachmentLine", () => {
  it("says what an attachment holds in the recipient's language", () => {
    expect(flat(attachmentLine(read, "fr", "Africa/Abidjan"))).toBe(
      "📎 Facture FA-2291.pdf : 4 500 000 FCFA, échéance 15 déc.",
    );
    expect(attachmentLine(read, "en", "Africa/Abidjan")).toBe(
      "📎 Invoice FA-2291.pdf: 4,500,000 FCFA, due Dec 15",
    );
  });

  it("says why one was not read", () => {
    const locked: AttachmentReport = {
      filename: "scan.pdf",
      mimeType: "application/pdf",
      size: 2000,
      status: "unreadable",
      format: "pdf",
      reason: "encrypted",
    };
    const logo: AttachmentReport = {
      filename: "logo.png",
      mimeType: "image/png",
      size: 900,
      status: "skipped",
      reason: "small_image",
    };
    expect(attachmentLine(locked, "fr", "UTC")).toBe("📎 scan.pdf : illisible : protégé par mot de passe");
    expect(attachmentLine(locked, "en", "UTC")).toBe("📎 scan.pdf: unreadable: password-protected");
    expect([alertWorthy(read), alertWorthy(locked), alertWorthy(logo)]).toEqual([true, true, false]);
  });
});

describe("attachmentExcerpts", () => {
  it("bounds each excerpt and the total, and skips what was not read", () => {
    const long = `FACTURE ${"x".repeat(5000)}`;
    const excerpts = attachmentExcerpts(
      [
        { report: read, text: long },
        { report: { ...read, filename: "b.pdf" }, text: `B\u{E0041}${"y".repeat(5000)}` },
        {
          report: {
            filename: "c.pdf",
            mimeType: "application/pdf",
            size: 1,
            status: "skipped",
            reason: "gone",
          },
          text: null,
        },
      ],
      { perAttachment: 1000, total: 1500 },
    );
    expect(excerpts.map((e) => [e.filename, e.excerpt.length])).toEqual([
      ["FA-2291.pdf", 1000],
      ["b.pdf", 500],
    ]);
    expect(excerpts[1]?.excerpt.startsWith("By")).toBe(true);
  });
});
