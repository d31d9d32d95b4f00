import { describe, expect, it } from "vitest";
import { autoReplyBlock, type GuardInput } from "@/lib/replies/auto-reply-guard";

/** One test per safeguard: each must block on its own, with everything else allowed. */
const ok: GuardInput = {
  fromAddress: "koffi@client.ci",
  headers: { "return-path": "<koffi@client.ci>" },
  priority: "critical",
  fraud: null,
  relationship: "known",
  authentication: "pass",
  impersonation: false,
  ownAddresses: ["direction@entreprise.ci"],
};
const block = (patch: Partial<GuardInput>) => autoReplyBlock({ ...ok, ...patch });
const withHeaders = (headers: Record<string, string>) => block({ headers: { ...ok.headers, ...headers } });

describe("automatic reply safeguards", () => {
  it("allows a known, authenticated correspondent's email", () => {
    expect(block({})).toBeNull();
    expect(withHeaders({ "auto-submitted": "no" })).toBeNull();
  });

  it("never answers Auto-Submitted mail (RFC 3834 §2)", () => {
    expect(withHeaders({ "auto-submitted": "auto-replied" })).toBe("auto_submitted");
    expect(withHeaders({ "auto-submitted": "auto-generated" })).toBe("auto_submitted");
  });

  it("never answers a mailing list: List-Id", () => {
    expect(withHeaders({ "list-id": "<equipe.client.ci>" })).toBe("mailing_list");
  });

  it("never answers a mailing list: List-Unsubscribe", () => {
    expect(withHeaders({ "list-unsubscribe": "<https://client.ci/u>" })).toBe("mailing_list");
  });

  it("never answers Precedence: bulk, list or junk", () => {
    for (const p of ["bulk", "list", "Junk"]) expect(withHeaders({ precedence: p })).toBe("mailing_list");
    expect(withHeaders({ precedence: "first-class" })).toBeNull();
  });

  it("never answers an empty Return-Path (bounces, RFC 3834 §3.1.1)", () => {
    expect(withHeaders({ "return-path": "<>" })).toBe("null_return_path");
  });

  it("never answers noreply-style addresses", () => {
    for (const from of [
      "noreply@banque.ci",
      "no-reply@x.ci",
      "ne-pas-repondre@impots.gouv.ci",
      "MAILER-DAEMON@mx.ci",
      "notifications+abc@github.com",
    ])
      expect(block({ fromAddress: from })).toBe("noreply_address");
    expect(block({ fromAddress: "noemie@client.ci" })).toBeNull();
  });

  it("never answers spam or fraud", () => {
    expect(block({ priority: "spam" })).toBe("spam");
    expect(block({ fraud: "payee_change" })).toBe("spam");
  });

  it("never answers an unauthenticated first contact or an impersonated sender", () => {
    expect(block({ relationship: "first_contact", authentication: "none" })).toBe(
      "unauthenticated_first_contact",
    );
    expect(block({ relationship: "first_contact", authentication: "fail" })).toBe(
      "unauthenticated_first_contact",
    );
    expect(block({ relationship: "first_contact", authentication: "pass" })).toBeNull();
    expect(block({ impersonation: true })).toBe("unauthenticated_first_contact");
  });

  it("never answers the user's own addresses", () => {
    expect(block({ fromAddress: "Direction@Entreprise.ci" })).toBe("own_address");
  });

  it("never answers an email without a sender", () => {
    expect(block({ fromAddress: "" })).toBe("no_sender");
  });
});
