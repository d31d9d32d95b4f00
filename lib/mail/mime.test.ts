import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MimeParseError, parseRawMessage } from "@/lib/mail/mime";
import { toEml } from "@/lib/samples/to-eml";

const eml = (name: string) => readFileSync(fileURLToPath(new URL(`../samples/eml/${name}`, import.meta.url)));

describe("parseRawMessage", () => {
  it("decodes quoted-printable ISO-8859-1 bodies and Q-encoded subjects", async () => {
    const msg = await parseRawMessage(eml("qp-latin1.eml"), { providerMessageId: "qp" });
    expect(msg.subject).toBe("Échéance de la facture n°2026-118");
    expect(msg.from).toEqual({ name: "Service comptabilité", address: "compta@sin-negoce.ci" });
    expect(msg.text).toContain("arrive à échéance le 30 novembre");
    expect(msg.text).toContain("4 500 000 FCFA");
    expect(msg).toMatchObject({
      provider: "sandbox",
      providerMessageId: "qp",
      internetMessageId: "qp-latin1@sin-negoce.ci",
    });
    expect(msg.date).toBe("2026-11-16T09:00:00.000Z");
    expect(msg.html).toBeNull();
  });

  it("decodes base64 UTF-8 bodies and subjects split over several encoded words", async () => {
    const msg = await parseRawMessage(eml("base64-utf8.eml"), {
      providerMessageId: "b64",
      provider: "gmail",
    });
    expect(msg.subject).toBe("Conteneur bloqué à la douane — déclaration avant demain");
    expect(msg.from.name).toBe("Amadou Bâ");
    expect(msg.to).toEqual([{ name: "Jean-Marc Kouassi", address: "direction@sahel-negoce.ci" }]);
    expect(msg.text).toContain("bloqué à la douane du port de Dakar");
    expect(msg.provider).toBe("gmail");
  });

  it("decodes 8-bit ISO-8859-1 bodies", async () => {
    const msg = await parseRawMessage(eml("latin1-8bit.eml"), { providerMessageId: "l1" });
    expect(msg.subject).toBe("Réunion du comité de direction");
    expect(msg.text).toContain("la réunion du comité de direction se tiendra jeudi à 15h");
    expect(msg.from).toEqual({ name: null, address: "secretariat@groupe-ivoire.ci" });
  });

  it("reads HTML-only mail as the visible text and keeps the HTML", async () => {
    const msg = await parseRawMessage(eml("html-only.eml"), { providerMessageId: "h1" });
    expect(msg.subject).toBe("La lettre du marché — novembre");
    expect(msg.text).toContain("les nouveautés du marché ivoirien");
    expect(msg.text).toContain("Bonne lecture !");
    expect(msg.text).not.toMatch(/SYSTEM|ignore previous|assistant|attacker/);
    expect(msg.html).toContain("display:none");
    expect(msg.headers).toEqual({ "list-unsubscribe": "<https://news.example.ci/unsub>" });
  });

  it("keeps the triage headers, lower-cased, and nothing else", async () => {
    const msg = await parseRawMessage(eml("auto-reply.eml"), { providerMessageId: "ooo" });
    expect(msg.headers).toEqual({ "auto-submitted": "auto-replied", "x-auto-response-suppress": "All" });
    expect(msg.text).toContain(
      "Je suis absent jusqu'au 30 novembre. Pour toute demande urgente, contactez Mme Brou.",
    );
    expect(msg.html).toContain("<p>Je suis absent");
  });

  it("reduces a 5 MB attachment to its metadata", async () => {
    const content = new Uint8Array(5 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4096) content[i] = i % 251;
    const raw = toEml({
      from: { name: "Douane", address: "guichet@douanes.ci" },
      to: [{ address: "direction@sahel-negoce.ci" }],
      subject: "Déclaration et scans",
      date: "2026-11-20T08:15:00Z",
      text: "Veuillez trouver les scans ci-joints.",
      attachments: [{ filename: "scans-déclaration.pdf", mimeType: "application/pdf", content }],
    });
    expect(raw.length).toBeGreaterThan(6_900_000);
    const msg = await parseRawMessage(raw, {
      providerMessageId: "big",
      mailboxAddress: "direction@sahel-negoce.ci",
    });
    expect(msg.attachments).toEqual([
      {
        filename: "scans-déclaration.pdf",
        mimeType: "application/pdf",
        size: 5 * 1024 * 1024,
        providerAttachmentId: "0",
        inline: false,
        contentId: null,
        type: "file",
      },
    ]);
    expect(msg.text.trim()).toBe("Veuillez trouver les scans ci-joints.");
    expect(JSON.stringify(msg).length).toBeLessThan(2_000);
    expect(msg.fromSelf).toBe(false);
  });

  it("marks mail sent by the mailbox owner", async () => {
    const raw = toEml({
      from: { address: "Direction@Sahel-Negoce.ci" },
      to: [{ address: "x@y.ci" }],
      subject: "s",
      date: "2026-11-20T08:15:00Z",
      text: "t",
    });
    expect(
      (await parseRawMessage(raw, { providerMessageId: "me", mailboxAddress: "direction@sahel-negoce.ci" }))
        .fromSelf,
    ).toBe(true);
  });

  it("rejects what is not an email", async () => {
    await expect(
      parseRawMessage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), { providerMessageId: "png" }),
    ).rejects.toBeInstanceOf(MimeParseError);
    await expect(
      parseRawMessage("just some text\nwith lines", { providerMessageId: "txt" }),
    ).rejects.toBeInstanceOf(MimeParseError);
  });
});
