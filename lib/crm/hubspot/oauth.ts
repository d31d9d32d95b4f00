import { z } from "zod";
import { parseBody, send } from "@/lib/crm/http";
import type { CrmGrant, CrmOAuth, CrmResult, CrmTokens } from "@/lib/crm/types";
import { failed, ok } from "@/lib/crm/types";

/*
 * HubSpot OAuth 2.0 (authorization code with PKCE). Endpoints from HubSpot's "Manage OAuth tokens"
 * reference (developers.hubspot.com/docs/api-reference/latest/authentication): the date-versioned
 * token, revoke endpoints replace /oauth/v1, which HubSpot deprecates on 2027-02-16. Parameters go
 * in the form body (never the query), so no secret reaches a log.
 */

export const HUBSPOT_AUTHORIZE_URL = "https://app.hubspot.com/oauth/authorize";
export const HUBSPOT_TOKEN_URL = "https://api.hubapi.com/oauth/2026-03/token";
export const HUBSPOT_REVOKE_URL = "https://api.hubapi.com/oauth/2026-03/token/revoke";

/**
 * Exactly the scopes the calls need (README › HubSpot): contacts read (list) and write (notes and
 * tasks are created under the contacts scopes), companies (deal associations), deals, owners.
 */
export const HUBSPOT_SCOPES = [
  "oauth",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.companies.read",
  "crm.objects.deals.read",
  "crm.objects.owners.read",
] as const;

export type HubSpotConfig = { clientId: string; clientSecret: string };

// The token response: snake_case, hub_id and scopes since 2025-08 (HubSpot changelog "Additional
// details returned when generating OAuth access tokens").
const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string(),
  hub_id: z.coerce.number().int().optional(),
  scopes: z.array(z.string()).optional(),
});
// RFC 6749 §5.2 errors (HubSpot changelog "New OAuth v3 API endpoints and standardized error responses").
const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() }).passthrough();

async function tokenRequest(form: Record<string, string>, now: () => number) {
  const res = await send(HUBSPOT_TOKEN_URL, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(form),
  });
  if (!(res instanceof Response)) return failed<{ tokens: CrmTokens; hubId: number | null }>(res);
  if (res.status === 429) return failed<never>({ kind: "rate_limited", retryAfterMs: null });
  if (res.status >= 500) return failed<never>({ kind: "unavailable", status: res.status });
  if (!res.ok) {
    const e = await parseBody(res, errorSchema);
    const code = e.ok ? e.value.error : `http_${res.status}`;
    // invalid_grant: the code was used or expired, or the refresh token was revoked (app uninstalled).
    return failed<never>(
      code === "invalid_grant"
        ? { kind: "reconnect", reason: code }
        : { kind: "rejected", status: res.status, reason: code },
    );
  }
  const t = await parseBody(res, tokenSchema);
  if (!t.ok) return t;
  const tokens: CrmTokens = {
    accessToken: t.value.access_token,
    refreshToken: t.value.refresh_token ?? null,
    expiresAt: now() + t.value.expires_in * 1000,
    scope: t.value.scopes?.join(" ") ?? null,
    accountsServer: null,
    apiDomain: null,
  };
  return ok({ tokens, hubId: t.value.hub_id ?? null });
}

export function hubspotOAuth(config: HubSpotConfig, now: () => number = Date.now): CrmOAuth {
  return {
    authorizationUrl({ state, codeChallenge, redirectUri }) {
      const url = new URL(HUBSPOT_AUTHORIZE_URL);
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("redirect_uri", redirectUri);
      url.searchParams.set("scope", HUBSPOT_SCOPES.join(" "));
      url.searchParams.set("state", state);
      url.searchParams.set("code_challenge", codeChallenge);
      url.searchParams.set("code_challenge_method", "S256");
      return url.toString();
    },
    async exchangeCode({ code, codeVerifier, redirectUri }): Promise<CrmResult<CrmGrant>> {
      const r = await tokenRequest(
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
      if (!r.ok) return r;
      const granted = new Set(r.value.tokens.scope?.split(" ") ?? []);
      const missing = HUBSPOT_SCOPES.filter((s) => !granted.has(s));
      if (missing.length > 0)
        return failed({ kind: "reconnect", reason: `missing scopes: ${missing.join(", ")}` });
      if (r.value.hubId === null) return failed({ kind: "rejected", status: 200, reason: "no hub_id" });
      const hub = String(r.value.hubId);
      return ok({
        tokens: r.value.tokens,
        // app.hubspot.com sends users of other data centres (app-eu1…) to theirs.
        account: { id: hub, label: `HubSpot ${hub}`, webBase: `https://app.hubspot.com/contacts/${hub}` },
      });
    },
    async refresh(tokens) {
      if (!tokens.refreshToken) return failed({ kind: "reconnect", reason: "no refresh token" });
      const r = await tokenRequest(
        {
          grant_type: "refresh_token",
          client_id: config.clientId,
          client_secret: config.clientSecret,
          refresh_token: tokens.refreshToken,
        },
        now,
      );
      return r.ok
        ? ok({ ...r.value.tokens, refreshToken: r.value.tokens.refreshToken ?? tokens.refreshToken })
        : r;
    },
    async revoke(tokens) {
      if (!tokens.refreshToken) return ok(undefined);
      const res = await send(HUBSPOT_REVOKE_URL, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: config.clientId,
          client_secret: config.clientSecret,
          token: tokens.refreshToken,
          token_type_hint: "refresh_token",
        }),
      });
      if (!(res instanceof Response)) return failed(res);
      // Revoking a token that is already gone is the outcome we wanted.
      if (res.ok || res.status === 400 || res.status === 404) return ok(undefined);
      return failed({ kind: "unavailable", status: res.status });
    },
  };
}
