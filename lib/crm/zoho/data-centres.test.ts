import { describe, expect, it } from "vitest";
import { zohoAccountsServer, zohoApiDomain, zohoCrmWeb } from "@/lib/crm/zoho/data-centres";

describe("Zoho data centres", () => {
  it("accepts Zoho's own accounts servers and API domains, whatever the data centre", () => {
    expect(zohoAccountsServer("https://accounts.zoho.eu")).toBe("https://accounts.zoho.eu");
    expect(zohoAccountsServer("https://accounts.zoho.com.au/")).toBe("https://accounts.zoho.com.au");
    expect(zohoAccountsServer("https://accounts.zohocloud.ca")).toBe("https://accounts.zohocloud.ca");
    expect(zohoApiDomain("https://www.zohoapis.in")).toBe("https://www.zohoapis.in");
    expect(zohoCrmWeb("https://www.zohoapis.eu")).toBe("https://crm.zoho.eu");
    expect(zohoCrmWeb("https://www.zohoapis.ca")).toBe("https://crm.zohocloud.ca");
  });

  it("refuses any other server a callback or a token response could name", () => {
    for (const forged of [
      "https://accounts.zoho.eu.evil.example",
      "http://accounts.zoho.eu",
      "https://evil.example/?x=https://accounts.zoho.com",
      "https://accounts.zoho.com/oauth",
      "https://accounts.zoho.com@evil.example",
      "accounts.zoho.com",
      "",
      null,
    ])
      expect(zohoAccountsServer(forged)).toBeNull();
    expect(zohoApiDomain("https://www.zohoapis.com.evil.example")).toBeNull();
    expect(zohoApiDomain("https://accounts.zoho.com")).toBeNull();
  });
});
