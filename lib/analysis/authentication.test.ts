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
