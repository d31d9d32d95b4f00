import { crmProviderFor } from "@/lib/config/crm-providers";
import {
  type CrmAccess,
  type CrmFailure,
  type CrmProvider,
  type CrmResult,
  type CrmTokens,
  crmTokensSchema,
  failed,
  ok,
} from "@/lib/crm/types";
import {
  type CrmConnectionWithTokens,
  getCrmConnection,
  requireCrmReconnect,
  storeCrmTokens,
} from "@/lib/db/crm";
import type { Db } from "@/lib/db/port";
import { RetryLater } from "@/lib/jobs/outcome";
import type { Logger } from "@/lib/log";
import { keyRing } from "@/lib/security/keys";
import { openJson, sealJson } from "@/lib/security/vault";

export type CrmSession = { provider: CrmProvider; access: CrmAccess };

/** Refresh this long before expiry, so a token does not expire in the middle of a sync page. */
const REFRESH_MARGIN_MS = 5 * 60_000;

async function openTokens(conn: CrmConnectionWithTokens): Promise<CrmTokens | null> {
  if (!conn.tokens) return null;
  return crmTokensSchema.parse(await openJson(keyRing(), conn.tokens.ciphertext));
}

/** Seals tokens for the vault (the same key ring as mailbox tokens). */
export const sealCrmTokens = (tokens: CrmTokens) => sealJson(keyRing(), tokens);

/**
 * A refreshed token set, stored compare-and-set: a worker that lost the race re-reads the
 * winner's tokens instead of overwriting them. A refresh token the CRM did not rotate is kept.
 */
async function refreshed(db: Db, provider: CrmProvider, conn: CrmConnectionWithTokens, tokens: CrmTokens) {
  if (!provider.oauth || !tokens.refreshToken)
    return failed<CrmTokens>({ kind: "reconnect", reason: "no refresh token" });
  const fresh = await provider.oauth.refresh(tokens);
  if (!fresh.ok) return fresh;
  const merged: CrmTokens = {
    ...fresh.value,
    refreshToken: fresh.value.refreshToken ?? tokens.refreshToken,
    accountsServer: fresh.value.accountsServer ?? tokens.accountsServer,
    apiDomain: fresh.value.apiDomain ?? tokens.apiDomain,
  };
  const saved = await storeCrmTokens(db, {
    connectionId: conn.id,
    ciphertext: await sealCrmTokens(merged),
    expiresAt: new Date(merged.expiresAt),
    expectedVersion: conn.tokens?.version ?? 0,
  });
  if (saved.stored) return ok(merged);
  const newer = await getCrmConnection(db, conn.id);
  const theirs = newer ? await openTokens(newer) : null;
  return ok(theirs ?? merged);
}

/**
 * Runs CRM work for a connection with the policy every CRM job shares: a token close to expiry is
 * refreshed first; a refused token is refreshed and the work tried once more; a grant that is gone
 * marks the connection reconnect_required (Settings shows it) and is returned, not retried.
 */
export async function withCrm<T>(
  db: Db,
  conn: CrmConnectionWithTokens,
  log: Logger,
  work: (session: CrmSession) => Promise<CrmResult<T>>,
  now: () => Date = () => new Date(),
): Promise<CrmResult<T>> {
  const provider = crmProviderFor(conn.provider, db);
  const accountId = conn.provider === "demo" ? conn.organizationId : (conn.accountId ?? "");
  const run = async (): Promise<CrmResult<T>> => {
    if (conn.provider === "demo") {
      const tokens: CrmTokens = {
        accessToken: "",
        refreshToken: null,
        expiresAt: Number.MAX_SAFE_INTEGER,
        scope: null,
        accountsServer: null,
        apiDomain: null,
      };
      return work({ provider, access: { tokens, accountId } });
    }
    let tokens = await openTokens(conn);
    if (!tokens) return failed({ kind: "reconnect", reason: "no stored tokens" });
    if (tokens.expiresAt - now().getTime() < REFRESH_MARGIN_MS) {
      const r = await refreshed(db, provider, conn, tokens);
      if (!r.ok) return r;
      tokens = r.value;
    }
    const first = await work({ provider, access: { tokens, accountId } });
    if (first.ok || first.error.kind !== "token_expired") return first;
    const r = await refreshed(db, provider, conn, tokens);
    if (!r.ok) return r;
    return work({ provider, access: { tokens: r.value, accountId } });
  };
  const result = await run();
  if (!result.ok && result.error.kind === "reconnect") {
    await requireCrmReconnect(db, conn.id, `${conn.provider}: ${result.error.reason}`);
    log.warn("crm.reconnect_required", { connectionId: conn.id, provider: conn.provider });
  }
  return result;
}

/** A failure a job cannot finish with: throttled → retry after the vendor's delay; others → backoff. */
export function throwForRetry(error: CrmFailure, provider: string): never {
  if (error.kind === "rate_limited")
    throw new RetryLater(
      Math.max(1, Math.ceil((error.retryAfterMs ?? 10_000) / 1000)),
      `${provider}: rate limited`,
    );
  if (error.kind === "unavailable")
    throw new Error(`${provider}: unavailable${error.status ? ` (HTTP ${error.status})` : ""}`);
  if (error.kind === "rejected")
    throw new Error(`${provider}: refused (HTTP ${error.status}, ${error.reason})`);
  throw new Error(`${provider}: ${error.kind}`);
}
