import { z } from "zod";
import { parseBody, send } from "@/lib/crm/http";
import type { CrmGrant, CrmOAuth, CrmResult, CrmTokens } from "@/lib/crm/types";
import { failed, ok } from "@/lib/crm/types";
import { zohoCall } from "@/lib/crm/zoho/api";
import {
  ZOHO_AUTHORIZE_URL,
  zohoAccountsServer,
  zohoApiDomain,
  zohoCrmWeb,
} from "@/lib/crm/zoho/data-centres";

/*
 * Zoho OAuth 2.0 for a server-based client (zoho.com/accounts/protocol/oauth/web-server-applications):
 * authorization code with the optional PKCE extension, `access_type=offline` for a refresh token
 * and `prompt=consent` so reconnecting issues a new one; token, refresh and revoke at the accounts
 * server of the user's data centre (see data-centres.ts). Access tokens last an hour.
 */

/** Exactly the scopes the calls need (README › Zoho CRM). Zoho separates scopes with commas. */
export const ZOHO_SCOPES = [
  "ZohoCRM.modules.contacts.READ",
  "ZohoCRM.modules.deals.READ",
  "ZohoCRM.modules.notes.CREATE",
  "ZohoCRM.modules.tasks.CREATE",
  "ZohoCRM.users.READ",
  "ZohoCRM.org.READ",
] as const;

export type ZohoConfig = { clientId: string; clientSecret: string };

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.string(),
  token_type: z.string(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().optional(),
});
// Zoho answers a refused code or refresh token with HTTP 200 and {error} (invalid_code,
// invalid_client, invalid_client_secret, "Access Denied" when throttled).
const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
const orgSchema = z.object({
  org: z
    .array(
      z.object({ id: z.string(), company_name: z.string().nullable().optional(), domain_name: z.string() }),
    )
    .min(1),
});

async function tokenRequest(accountsServer: string, form: Record<string, string>, now: () => number) {
  const res = await send(`${accountsServer}/oauth/v2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form),
  });
  if (!(res instanceof Response)) return failed<CrmTokens>(res);
  if (res.status >= 500) return failed<CrmTokens>({ kind: "unavailable", status: res.status });
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  const error = errorSchema.safeParse(body);
  if (error.success) {
    const code = error.data.error;
    if (code === "Access Denied") return failed<CrmTokens>({ kind: "rate_limited", retryAfterMs: 60_000 });
    // invalid_code: the code was used or expired, or the refresh token was revoked.
    return failed<CrmTokens>(
      code === "invalid_code"
        ? { kind: "reconnect", reason: code }
        : { kind: "rejected", status: res.status, reason: code },
    );
  }
  const t = await parseBody(res, tokenSchema);
  if (!t.ok) return t;
  const apiDomain = zohoApiDomain(t.value.api_domain);
  if (!apiDomain)
    return failed<CrmTokens>({ kind: "rejected", status: res.status, reason: "unknown api_domain" });
  return ok<CrmTokens>({
    accessToken: t.value.access_token,
    refreshToken: t.value.refresh_token ?? null,
    expiresAt: now() + t.value.expires_in * 1000,
    scope: t.value.scope ?? null,
    accountsServer,
    apiDomain,
  });
}

export function zohoOAuth(config: ZohoConfig, now: () => number = Date.now): CrmOAuth {
  return {
    authorizationUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(ZOHO_AUTHORIZE_URL);
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("redirect_uri", redirectUri);
      url.searchParams.set("scope", ZOHO_SCOPES.join(","));
      url.searchParams.set("access_type", "offline");
      url.searchParams.set("prompt", "consent");
      url.searchParams.set("state", state);
      url.searchParams.set("code_challenge", codeChallenge);
      url.searchParams.set("code_challenge_method", "S256");
      return url.toString();
    },
    async exchangeCode({ code, codeVerifier, redirectUri, callback }): Promise<CrmResult<CrmGrant>> {
      // The data centre is the redirect's accounts-server (a callback without one is from .com).
      const named = callback.get("accounts-server");
      const accountsServer = named === null ? "https://accounts.zoho.com" : zohoAccountsServer(named);
      if (!accountsServer)
        return failed({ kind: "rejected", status: 400, reason: "unknown accounts-server" });
      const tokens = await tokenRequest(
        accountsServer,
        {
          grant_type: "authorization_code",
          client_id: config.clientId,
          client_secret: config.clientSecret,
          redirect_uri: redirectUri,
          code,
          code_verifier: codeVerifier,
        },
        now,
      );
      if (!tokens.ok) return tokens;
      if (!tokens.value.refreshToken) return failed({ kind: "reconnect", reason: "no refresh token" });
      // The organization: its id is the account, its domain name is in every record's URL.
      const org = await zohoCall(tokens.value, "GET", "/org", orgSchema);
      if (!org.ok) return org;
      const o = org.value.org[0]!;
      return ok({
        tokens: tokens.value,
        account: {
          id: o.id,
          label: o.company_name?.trim() || `Zoho CRM ${o.domain_name}`,
          webBase: `${zohoCrmWeb(tokens.value.apiDomain ?? "")}/crm/${encodeURIComponent(o.domain_name)}`,
        },
      });
    },
    async refresh(tokens) {
      const server = zohoAccountsServer(tokens.accountsServer);
      if (!tokens.refreshToken || !server) return failed({ kind: "reconnect", reason: "no refresh token" });
      const r = await tokenRequest(
        server,
        {
          grant_type: "refresh_token",
          client_id: config.clientId,
          client_secret: config.clientSecret,
          refresh_token: tokens.refreshToken,
        },
        now,
      );
      return r.ok ? ok({ ...r.value, refreshToken: r.value.refreshToken ?? tokens.refreshToken }) : r;
    },
    async revoke(tokens) {
      const server = zohoAccountsServer(tokens.accountsServer);
      if (!tokens.refreshToken || !server) return ok(undefined);
      // Zoho's "Revoke OAuth token" takes the refresh token as the `token` query parameter.
      const url = new URL(`${server}/oauth/v2/token/revoke`);
      url.searchParams.set("token", tokens.refreshToken);
      const res = await send(url.toString(), { method: "POST" });
      if (!(res instanceof Response)) return failed(res);
      return res.ok || res.status === 400
        ? ok(undefined)
        : failed({ kind: "unavailable", status: res.status });
    },
  };
}
