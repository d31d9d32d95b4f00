import { describe, expect, it } from "vitest";
import { message } from "@/lib/analysis/test-helpers";
import { createHasher, messageIdsIn } from "@/lib/relationships/hash";
import { domainVariants, skeleton } from "@/lib/relationships/lookalike";
import { MemoryRelationshipStore } from "@/lib/relationships/memory-store";
import { profileStore } from "@/lib/relationships/profile";
import { relationshipQuery } from "@/lib/relationships/query";
import { sentMailEntries } from "@/lib/relationships/sent-mail";

const hash = createHasher(new Uint8Array(32).fill(1));
const from = (address: string, headers: Record<string, string> = {}) =>
  message({ from: { name: null, address }, headers });

describe("keyed hashes", () => {
  it("differ per key and per kind, and never contain the value", () => {
    const other = createHasher(new Uint8Array(32).fill(2));
    expect(hash("address", "a@b.ci")).not.toBe(other("address", "a@b.ci"));
    expect(hash("address", "b.ci")).not.toBe(hash("domain", "b.ci"));
    expect(hash("address", "a@b.ci")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => createHasher(new Uint8Array(16))).toThrow(/32 bytes/);
  });

  it("reads every Message-ID of In-Reply-To and References", () => {
    expect(messageIdsIn("<a@x> <b@y>\r\n <c@z>")).toEqual(["a@x", "b@y", "c@z"]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });
});

describe("look-alike domains", () => {
  it("reaches one-edit neighbours and other suffixes, not the domain itself", () => {
    const variants = domainVariants("socafer-cl.com");
    expect(variants).toContain("socafer-ci.com");
    expect(variants).toContain("socafer-cl.ci");
    expect(variants).not.toContain("socafer-cl.com");
    expect(domainVariants("mail.banque-atlantique.ci")).toContain("banque-atlantiqe.ci");
  });

  it("folds confusable characters into one skeleton", () => {
    expect(skeleton("rnarket.ci")).toBe(skeleton("market.com"));
    expect(skeleton("banque-atIantique.ci".toLowerCase())).toBe(skeleton("banque-atlantique.ci"));
    expect(skeleton("sgbci.ci")).not.toBe(skeleton("sgci.ci"));
  });
});

describe("the relationship store", () => {
  const store = new MemoryRelationshipStore().add(
    sentMailEntries(
      {
        recipients: ["Compta@Socafer-CI.com", "awa@gmail.com", "direction@sahel-negoce.ci"],
        internetMessageId: "<sent-1@sahel-negoce.ci>",
        sentAt: "2026-11-02T10:00:00.000Z",
      },
      hash,
      ["direction@sahel-negoce.ci"],
    ),
  );
  const look = (address: string, headers: Record<string, string> = {}, lookalikes = true) =>
    store.lookup(relationshipQuery(from(address, headers), hash, { lookalikes }));

  it("knows the addresses and company domains the owner wrote to", () => {
    expect(look("compta@socafer-ci.com")).toMatchObject({
      addressSent: 1,
      domainSent: 1,
      lastSentAt: "2026-11-02T10:00:00.000Z",
    });
    expect(look("dg@socafer-ci.com")).toMatchObject({ addressSent: 0, domainSent: 1 });
    // A free-mail domain makes nobody known: only the exact address.
    expect(look("awa@gmail.com")).toMatchObject({ addressSent: 1, domainSent: 0 });
    expect(look("moussa@gmail.com")).toMatchObject({ addressSent: 0, domainSent: 0 });
    // Writing to yourself makes no one known.
    expect(look("direction@sahel-negoce.ci")).toMatchObject({ addressSent: 0, domainSent: 0 });
  });

  it("recognises a reply in the owner's thread", () => {
    expect(look("x@unknown.ci", { "in-reply-to": "<sent-1@sahel-negoce.ci>" }).thread).toBe(true);
    expect(look("x@unknown.ci", { references: "<other@x> <sent-1@sahel-negoce.ci>" }).thread).toBe(true);
    expect(look("x@unknown.ci", { "in-reply-to": "<forged@x>" }).thread).toBe(false);
  });

  it("flags look-alikes of known domains, never the known domain itself", () => {
    expect(look("compta@socafer-cl.com").lookalike).toBe(true);
    expect(look("compta@socafer-ci.net").lookalike).toBe(true);
    // One edit away is looked up only when asked (money talk); the skeleton (l for i) always is.
    expect(look("compta@socafer-cx.com").lookalike).toBe(true);
    expect(look("compta@socafer-cx.com", {}, false).lookalike).toBe(false);
    expect(look("compta@socafer-cl.com", {}, false).lookalike).toBe(true);
    expect(look("compta@socafer-ci.com").lookalike).toBe(false);
    expect(look("compta@tout-autre.ci").lookalike).toBe(false);
  });

  it("builds the same store from a profile", () => {
    const p = profileStore({
      mailbox: "dg@example.ci",
      correspondents: ["a@b.ci", "@partner.ci"],
      sentMessageIds: ["<id@host>"],
    });
    const q = (address: string, headers: Record<string, string> = {}) =>
      p.store.lookup(relationshipQuery(from(address, headers), p.hash, { lookalikes: true }));
    expect(q("a@b.ci").addressSent).toBe(1);
    expect(q("anyone@partner.ci")).toMatchObject({ addressSent: 0, domainSent: 1 });
    expect(q("x@y.ci", { "in-reply-to": "<id@host>" }).thread).toBe(true);
    expect(q("anyone@partmer.ci").lookalike).toBe(true);
  });
});
