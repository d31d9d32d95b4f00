import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { detectLanguage } from "@/lib/analysis/language";
import { PRIORITIES } from "@/lib/analysis/schema";
import { parseRawMessage } from "@/lib/mail/mime";
import { loadSamples } from "@/lib/samples/samples";
import { encodeWords, quotedPrintable, sampleToEml, toEml } from "@/lib/samples/to-eml";

const samples = loadSamples();

describe("the labelled sample set", () => {
  it("has at least 64 distinct emails covering every priority, French and English", () => {
    expect(samples.length).toBeGreaterThanOrEqual(64);
    expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
    for (const p of PRIORITIES)
      expect(samples.filter((s) => s.label === p).length, p).toBeGreaterThanOrEqual(10);
    const languages = samples.map((s) => detectLanguage(s.text || s.subject));
    expect(languages.filter((l) => l === "fr").length).toBeGreaterThanOrEqual(30);
    expect(languages.filter((l) => l === "en").length).toBeGreaterThanOrEqual(10);
  });

  it("includes the tricky cases", () => {
    const notes = samples.map((s) => `${s.note} ${s.subject}`.toLowerCase());
    expect(samples.filter((s) => s.injection).length).toBeGreaterThanOrEqual(4);
    expect(samples.some((s) => s.injection && /display:\s*none|font-size:0/.test(s.html ?? ""))).toBe(true);
    expect(samples.some((s) => s.injection && /\u200B/.test(s.text))).toBe(true);
    expect(samples.some((s) => s.html && !s.text)).toBe(true);
    expect(samples.some((s) => /a écrit :\n>/.test(s.text))).toBe(true);
    expect(notes.some((n) => n.includes("'contrat'"))).toBe(true);
    expect(notes.some((n) => n.includes("no urgent word"))).toBe(true);
    expect(notes.some((n) => n.includes("bank-detail"))).toBe(true);
    expect(notes.some((n) => n.includes("out-of-office"))).toBe(true);
  });
});

describe("toEml", () => {
  it("round-trips every sample through a MIME parser", async () => {
    for (const sample of samples) {
      const raw = sampleToEml(sample);
      expect(
        raw.split("\r\n").every((line) => line.length <= 998),
        sample.id,
      ).toBe(true);
      const email = await PostalMime.parse(raw);
      expect(email.subject, sample.id).toBe(sample.subject);
      expect(email.from, sample.id).toMatchObject({ address: sample.from, name: sample.fromName });
      if (sample.text) expect(email.text?.trim(), sample.id).toBe(sample.text.trim());
      if (sample.html) expect(email.html, sample.id).toBe(sample.html);
      for (const [key, value] of Object.entries(sample.headers)) {
        expect(email.headers.find((h) => h.key === key.toLowerCase())?.value, sample.id).toBe(value);
      }
    }
  });

  it("uses encoded words, quoted-printable text and multipart/alternative when both bodies exist", () => {
    const raw = toEml({
      from: { name: "Aïcha Koné", address: "a@b.ci" },
      to: [{ address: "c@d.ci" }],
      subject: "Échéance — facture",
      date: "2026-11-20T08:15:00Z",
      text: "Montant dû : 1 250 000 F CFA",
      html: "<p>Montant dû</p>",
    });
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=/m);
    expect(raw).toContain("From: =?UTF-8?B?");
    expect(raw).toContain("Content-Type: multipart/alternative;");
    expect(raw).toContain("Content-Transfer-Encoding: quoted-printable");
    expect(raw).toContain("Montant d=C3=BB : 1 250 000 F CFA");
  });

  it("encodes long non-ASCII headers in several words and long lines with soft breaks", () => {
    const subject = "Réunion du comité de direction à Abidjan — ordre du jour détaillé";
    expect(encodeWords(subject).split("\r\n ").length).toBeGreaterThan(1);
    const qp = quotedPrintable(`${"é".repeat(60)} fin`);
    for (const line of qp.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
  });

  it("attaches files as base64 parts that parse back to their metadata", async () => {
    const raw = toEml({
      from: { address: "a@b.ci" },
      to: [{ address: "c@d.ci" }],
      subject: "Contrat",
      date: "2026-11-20T08:15:00Z",
      text: "Ci-joint.",
      attachments: [
        { filename: "contrat signé.pdf", mimeType: "application/pdf", content: new Uint8Array(3000).fill(7) },
      ],
    });
    const msg = await parseRawMessage(raw, { providerMessageId: "a1" });
    expect(msg.attachments).toEqual([
      {
        filename: "contrat signé.pdf",
        mimeType: "application/pdf",
        size: 3000,
        providerAttachmentId: "0",
        inline: false,
        contentId: null,
        type: "file",
      },
    ]);
    expect(msg.text.trim()).toBe("Ci-joint.");
  });
});
