import { describe, expect, it } from "vitest";
import { authenticationOf, parseAuthenticationResults } from "@/lib/analysis/authentication";

const gmail = (clauses: string) => `mx.google.com;\r\n       ${clauses}`;

describe("authenticationOf", () => {
  it("reads Gmail's DMARC verdict, comments and folding included", () => {
    const header = gmail(
      "dkim=pass header.i=@banque.ci header.s=s1 header.b=abc;\r\n       spf=pass (google.com: domain of x@banque.ci designates 192.0.2.1 as permitted sender; good) smtp.mailfrom=x@banque.ci;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=banque.ci",
    );
    expect(authenticationOf(header, "banque.ci")).toBe("pass");
    expect(authenticationOf(gmail("dmarc=fail (p=NONE) header.from=banque.ci"), "banque.ci")).toBe("fail");
  });

  it("reads Exchange Online's verdict", () => {
    const header =
      "spf=pass (sender IP is 192.0.2.7) smtp.mailfrom=mail.socafer-ci.com; dkim=pass (signature was verified) header.d=socafer-ci.com;dmarc=pass action=none header.from=socafer-ci.com;compauth=pass reason=100";
    expect(authenticationOf(header, "socafer-ci.com")).toBe("pass");
  });

  it("reads Exchange Online's header, which has no authserv-id, from its first clause", () => {
    // SPF only, no DMARC record: the SPF result is the header's first clause.
    const spfOnly =
      "spf=pass (sender IP is 196.207.1.9) smtp.mailfrom=impots.sn; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=impots.sn;compauth=pass reason=109";
    expect(authenticationOf(spfOnly, "impots.sn")).toBe("pass");
    expect(parseAuthenticationResults(spfOnly)[0]).toMatchObject({ method: "spf", result: "pass" });
    const softfail =
      "spf=softfail (sender IP is 203.0.113.4) smtp.mailfrom=sahel-negoce.ci; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=sahel-negoce.ci";
    expect(authenticationOf(softfail, "sahel-negoce.ci")).toBe("fail");
  });

  it("takes Exchange Online's dmarc=bestguesspass (no DMARC record, but aligned) as a pass", () => {
    const header =
      "spf=none (sender IP is 41.82.3.3) smtp.mailfrom=relay.example.net; dkim=none (message not signed) header.d=none;dmarc=bestguesspass action=none header.from=douanes.sn;compauth=pass reason=109";
    expect(authenticationOf(header, "douanes.sn")).toBe("pass");
  });

  it("needs alignment with the From domain when there is no DMARC result", () => {
    // A marketing platform's own DKIM says nothing about the From domain.
    expect(
      authenticationOf(
        gmail("dkim=pass header.d=mcsv.net; spf=pass smtp.mailfrom=bounce@mcsv.net"),
        "jumia.ci",
      ),
    ).toBe("none");
    expect(authenticationOf(gmail("dkim=pass header.d=mail.jumia.ci"), "jumia.ci")).toBe("pass");
    expect(
      authenticationOf(gmail("spf=softfail smtp.mailfrom=dg@sahel-negoce.ci; dkim=none"), "sahel-negoce.ci"),
    ).toBe("fail");
  });

  it("says none when the header is missing, empty or speaks of nothing", () => {
    expect(authenticationOf(undefined, "banque.ci")).toBe("none");
    expect(authenticationOf("mx.google.com; none", "banque.ci")).toBe("none");
    expect(authenticationOf(gmail("dmarc=pass header.from=banque.ci"), "")).toBe("none");
  });

  it("parses methods with versions and quoted values", () => {
    expect(parseAuthenticationResults('mx.example; dkim/1=pass header.d="a.ci"; arc=none')).toEqual([
      { method: "dkim", result: "pass", props: { "header.d": "a.ci" } },
      { method: "arc", result: "none", props: {} },
    ]);
  });
});
