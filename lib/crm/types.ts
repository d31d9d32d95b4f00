import { z } from "zod";

/*
 * One interface for every CRM (in the manner of cal.com's CrmService): connect, refresh and revoke
 * the grant, page through contacts, open deals and owners with a resumable cursor, log a note on a
 * contact and create a task. Vendor code lives in one folder per CRM (hubspot/, zoho/, demo/),
 * receives its configuration and tokens as arguments, and never reads the environment or the
 * database. Failures the caller must act on (throttled, token rejected, grant gone, record gone)
 * are returned as values, not thrown.
 */

export const crmProviderSchema = z.enum(["hubspot", "zoho", "demo"]);
export type CrmProviderKind = z.infer<typeof crmProviderSchema>;

/** What the vault keeps for a connection; Zoho adds the data centre its grant lives in. */
export const crmTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  scope: z.string().nullable(),
  /** Zoho: the accounts server (token, refresh, revoke) and API domain of the user's data centre. */
  accountsServer: z.string().nullable().default(null),
  apiDomain: z.string().nullable().default(null),
});
export type CrmTokens = z.infer<typeof crmTokensSchema>;

/** The connected CRM account, as the code exchange reveals it. */
export type CrmAccount = {
  id: string;
  label: string;
  /** Base URL a record's link is built on (`<webBase>/contact/<id>` per provider, see recordUrl). */
  webBase: string;
};

export type CrmGrant = { tokens: CrmTokens; account: CrmAccount };

export type Lifecycle = "subscriber" | "lead" | "opportunity" | "customer" | "other";

/** A contact as the sync keeps it: e-mails only to be hashed at once, never stored in clear. */
export type CrmContact = {
  remoteId: string;
  emails: string[];
  ownerId: string | null;
  lifecycle: Lifecycle | null;
  companyId: string | null;
  companyName: string | null;
};

export type CrmDeal = {
  remoteId: string;
  name: string | null;
  amount: number | null;
  /** ISO 4217; null = the account's own currency (already resolved by the provider when it can). */
  currency: string | null;
  stage: string | null;
  closeDate: string | null;
  ownerId: string | null;
  companyId: string | null;
  contactIds: string[];
};

export type CrmOwner = { remoteId: string; name: string };

/** One page and where the next one starts (null: that was the last). */
export type CrmPage<T> = {
  items: T[];
  next: string | null;
  /** What the vendor says is left of its rate window, when it says it. */
  quota?: { remaining: number; windowMs: number } | null;
};

export type CrmFailure =
  | { kind: "rate_limited"; retryAfterMs: number | null }
  /** The access token was refused: refresh and try once more. */
  | { kind: "token_expired" }
  /** The grant is gone (revoked, scope removed, account uninstalled): only the user can fix it. */
  | { kind: "reconnect"; reason: string }
  /** The record (contact) no longer exists in the CRM. */
  | { kind: "not_found" }
  | { kind: "unavailable"; status: number | null }
  | { kind: "rejected"; status: number; reason: string };

export type CrmResult<T> = { ok: true; value: T } | { ok: false; error: CrmFailure };

export const ok = <T>(value: T): CrmResult<T> => ({ ok: true, value });
export const failed = <T>(error: CrmFailure): CrmResult<T> => ({ ok: false, error });

/** A note on a contact (and its company and deal): metadata and our summary, never an email body. */
export type CrmNote = {
  /** Our key for this write: the same note asked twice must be one note. */
  key: string;
  contactId: string;
  companyId: string | null;
  dealId: string | null;
  ownerId: string | null;
  title: string;
  /** Plain text lines: subject, sender, date, summary, priority, link. */
  body: string;
  at: Date;
};

export type CrmTask = {
  key: string;
  contactId: string;
  companyId: string | null;
  dealId: string | null;
  ownerId: string | null;
  subject: string;
  body: string;
  dueAt: Date | null;
  priority: "high" | "normal";
};

export type CrmAccess = { tokens: CrmTokens; accountId: string };

export type AuthorizationRequest = { state: string; codeChallenge: string; redirectUri: string };

/** The OAuth half of a CRM (absent for the demo CRM, which needs no account). */
export interface CrmOAuth {
  authorizationUrl(req: AuthorizationRequest): string;
  /** `callback` is the redirect's query: Zoho names its data centre there (accounts-server). */
  exchangeCode(p: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
    callback: URLSearchParams;
  }): Promise<CrmResult<CrmGrant>>;
  refresh(tokens: CrmTokens): Promise<CrmResult<CrmTokens>>;
  revoke(tokens: CrmTokens): Promise<CrmResult<void>>;
}

export interface CrmProvider {
  readonly kind: CrmProviderKind;
  readonly oauth: CrmOAuth | null;
  listOwners(access: CrmAccess, cursor: string | null): Promise<CrmResult<CrmPage<CrmOwner>>>;
  listContacts(access: CrmAccess, cursor: string | null): Promise<CrmResult<CrmPage<CrmContact>>>;
  /** Open deals only (closed won/lost are not a reason to call anyone a key client). */
  listOpenDeals(access: CrmAccess, cursor: string | null): Promise<CrmResult<CrmPage<CrmDeal>>>;
  logNote(access: CrmAccess, note: CrmNote): Promise<CrmResult<{ id: string }>>;
  createTask(access: CrmAccess, task: CrmTask): Promise<CrmResult<{ id: string }>>;
  /** The link to a record in the CRM's own web app. */
  recordUrl(webBase: string, object: "contact" | "deal", id: string): string;
}
