import { describe, expect, it } from "vitest";
import { senderSignals } from "@/lib/analysis/sender-signals";
import { message } from "@/lib/analysis/test-helpers";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";

const MAILBOX = "a.diallo@teranga-fret.sn";
// Exchange Online stamps intra-tenant mail with no DMARC verdict for the From domain.
const INTRA_TENANT = {
  "authentication-results":
    "dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=teranga-fret.sn;",
  "x-ms-exchange-organization-authas": "Internal",
};
const colleague = (headers: Record<string, string>) =>
  message({
    from: { name: "Moussa Ba", address: "m.ba@teranga-fret.sn" },
    to: [{ name: null, address: MAILBOX }],
    headers,
  });

describe("senderSignals: who the sender is to the owner", () => {
  it("knows a program by a no-reply part anywhere in its address, and a person otherwise", () => {
    const from = (address: string) =>
      senderSignals(message({ from: { name: null, address } }), MAILBOX, NO_RELATIONSHIP).automated;
    expect(from("messages-noreply@linkedin.com")).toBe(true);
    expect(from("account-security-noreply@accountprotection.microsoft.com")).toBe(true);
    expect(from("billing.donotreply@fournisseur.example")).toBe(true);
    expect(from("noreply.dupont@fournisseur.example")).toBe(true);
    expect(from("m.noreplyson@fournisseur.example")).toBe(false);
    expect(from("m.ba@teranga-fret.sn")).toBe(false);
  });

  it("takes a colleague's mail that never left the Exchange Online tenant as internal and authenticated", () => {
    const s = senderSignals(colleague(INTRA_TENANT), MAILBOX, NO_RELATIONSHIP, "microsoft");
    expect(s).toMatchObject({ relationship: "internal", authentication: "pass", impersonation: false });
  });

  it("ignores the Exchange header on a mailbox Exchange does not host (anyone can write it)", () => {
    const s = senderSignals(colleague(INTRA_TENANT), MAILBOX, NO_RELATIONSHIP, "google");
    expect(s.relationship).toBe("first_contact");
    expect(s.authentication).toBe("none");
  });

  it("never lets the header vouch for another domain, nor for a colleague's address spoofed from outside", () => {
    const stranger = message({
      from: { name: "X", address: "x@elsewhere.sn" },
      to: [{ name: null, address: MAILBOX }],
      headers: INTRA_TENANT,
    });
    expect(senderSignals(stranger, MAILBOX, NO_RELATIONSHIP, "microsoft").authentication).toBe("none");
    const spoofed = colleague({
      "authentication-results":
        "spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=teranga-fret.sn; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=teranga-fret.sn;compauth=fail reason=000",
      "x-ms-exchange-organization-authas": "Anonymous",
    });
    expect(senderSignals(spoofed, MAILBOX, NO_RELATIONSHIP, "microsoft")).toMatchObject({
      relationship: "first_contact",
      authentication: "fail",
      impersonation: true,
    });
  });
});
