import { describe, expect, it } from "vitest";
import { isPublicAuthority } from "@/lib/mail/address-domain";

describe("isPublicAuthority", () => {
  it("knows the government domains of every francophone West-African country", () => {
    // gouv.bj, gouv.tg, gouv.ne and gouv.gn are not public suffixes: the name itself says it.
    for (const d of [
      "dgi.gouv.ci",
      "impotsetdomaines.gouv.sn",
      "impots.gouv.bj",
      "otr.gouv.tg",
      "finances.gouv.ne",
      "dgi.gouv.ml",
      "impots.gov.bf",
      "mef.gouv.bf",
      "dni.gov.gn",
      "budget.gouv.gn",
      "minfi.gouv.cm",
      "gra.gov.gh",
      "hmrc.gov.uk",
      "irs.gov",
      "bceao.int",
    ]) {
      expect(isPublicAuthority(d), d).toBe(true);
    }
  });

  it("is not fooled by a government word elsewhere in the name", () => {
    for (const d of [
      "gouv-ci.com",
      "impots-gouv.info",
      "gouv.example.com",
      "mygov.ci",
      "gov",
      "gouv.ci.evil.net",
      // Registrable by anyone: a `gouv.` label under a country code that sells it.
      "impots.gouv.io",
      "dgi.gouv.co",
      "tresor.gouv.me",
      "gouv.ci",
    ]) {
      expect(isPublicAuthority(d), d).toBe(false);
    }
  });
});
