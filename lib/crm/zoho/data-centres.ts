/*
 * Zoho's data centres. A user's grant lives in one of them: the authorization redirect names its
 * accounts server (`accounts-server`, with `location`), and the token response names the API
 * domain (`api_domain`); both are taken from there, never assumed (Zoho "Multi DC support",
 * zoho.com/accounts/protocol/oauth/multi-dc.html). Because both values come back through the
 * browser or the network, they are accepted only when they are one of Zoho's own hosts: a
 * callback naming another server must never receive our client secret.
 */

const DATA_CENTRES = [
  { accounts: "accounts.zoho.com", api: "www.zohoapis.com", crm: "crm.zoho.com" },
  { accounts: "accounts.zoho.eu", api: "www.zohoapis.eu", crm: "crm.zoho.eu" },
  { accounts: "accounts.zoho.in", api: "www.zohoapis.in", crm: "crm.zoho.in" },
  { accounts: "accounts.zoho.com.au", api: "www.zohoapis.com.au", crm: "crm.zoho.com.au" },
  { accounts: "accounts.zoho.jp", api: "www.zohoapis.jp", crm: "crm.zoho.jp" },
  { accounts: "accounts.zoho.com.cn", api: "www.zohoapis.com.cn", crm: "crm.zoho.com.cn" },
  { accounts: "accounts.zohocloud.ca", api: "www.zohoapis.ca", crm: "crm.zohocloud.ca" },
  { accounts: "accounts.zoho.sa", api: "www.zohoapis.sa", crm: "crm.zoho.sa" },
  { accounts: "accounts.zoho.uk", api: "www.zohoapis.uk", crm: "crm.zoho.uk" },
] as const;

/** Where the consent screen starts; Zoho sends users of other data centres on to theirs. */
export const ZOHO_AUTHORIZE_URL = "https://accounts.zoho.com/oauth/v2/auth";

const hostOf = (url: string | null | undefined) => {
  try {
    const u = new URL(url ?? "");
    return u.protocol === "https:" && (u.pathname === "/" || u.pathname === "") && !u.search ? u.host : null;
  } catch {
    return null;
  }
};

/** `https://accounts.zoho.<dc>` when it is one of Zoho's accounts servers, else null. */
export function zohoAccountsServer(value: string | null | undefined): string | null {
  const host = hostOf(value);
  return DATA_CENTRES.some((d) => d.accounts === host) ? `https://${host}` : null;
}

/** `https://www.zohoapis.<dc>` when it is one of Zoho's API domains, else null. */
export function zohoApiDomain(value: string | null | undefined): string | null {
  const host = hostOf(value);
  return DATA_CENTRES.some((d) => d.api === host) ? `https://${host}` : null;
}

/** The CRM web app of the data centre an API domain belongs to (record links). */
export function zohoCrmWeb(apiDomain: string): string {
  const host = hostOf(apiDomain);
  const dc = DATA_CENTRES.find((d) => d.api === host) ?? DATA_CENTRES[0];
  return `https://${dc.crm}`;
}
