import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { replyMime, replyReferences, replySubject } from "@/lib/replies/reply-mime";

describe("replySubject", () => {
  it("prefixes Re: once", () => {
    expect(replySubject("Contrat 15M")).toBe("Re: Contrat 15M");
    expect(replySubject("RE: Re: Contrat")).toBe("Re: Contrat");
    expect(replySubject("Ré : Contrat")).toBe("Re: Contrat");
    expect(replySubject("Re[2]: Contrat")).toBe("Re: Contrat");
    expect(replySubject(null)).toBe("Re:");
  });
});

describe("replyReferences", () => {
  it("chains the original's References and its Message-ID", () => {
    expect(
      replyReferences({ internetMessageId: "c@x", references: "<a@x> <b@x>", inReplyTo: "<b@x>" }),
    ).toEqual(["a@x", "b@x", "c@x"]);
    expect(replyReferences({ internetMessageId: "<c@x>", references: null, inReplyTo: "<b@x>" })).toEqual([
      "b@x",
      "c@x",
    ]);
  });
});

describe("replyMime", () => {
  it("writes the threading headers, Auto-Submitted for automatic replies, and both bodies", async () => {
    const raw = replyMime(
      {
        providerMessageId: "m1",
        threadId: "t1",
        to: { name: "Awa Koné", address: "awa@banque.ci" },
        subject: "Re: Contrat",
        text: "Bien reçu 👍",
        html: "Bien reçu 👍",
        inReplyTo: "c@x",
        references: ["a@x", "c@x"],
        autoSubmitted: true,
      },
      "dg@entreprise.ci",
      new Date("2026-12-01T10:42:00Z"),
      "r1@fluxasync.reply",
    );
    const email = await PostalMime.parse(raw);
    expect(email.inReplyTo).toBe("<c@x>");
    expect(email.references).toBe("<a@x> <c@x>");
    expect(email.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-replied");
    expect(email.subject).toBe("Re: Contrat");
    expect(email.text?.trim()).toBe("Bien reçu 👍");
    expect(email.to?.[0]?.address).toBe("awa@banque.ci");
  });
});
