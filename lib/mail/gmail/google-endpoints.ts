/** Google endpoints, in one place so the client and the msw fake cannot drift apart. */
export const GOOGLE_AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
export const GOOGLE_REVOKE_URL = "https://oauth2.googleapis.com/revoke";
/** Signs both Google id_tokens and the OIDC tokens of Pub/Sub push requests. */
export const GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs";
/** Google issues `iss` in either form. */
export const GOOGLE_ISSUERS = ["https://accounts.google.com", "accounts.google.com"];
export const GMAIL_API_BASE = "https://gmail.googleapis.com/gmail/v1/users/me";

/** Restricted scope: label, archive and mark read (no delete, no send). */
export const GMAIL_MODIFY_SCOPE = "https://www.googleapis.com/auth/gmail.modify";
export const GOOGLE_SCOPES = ["openid", "email", "profile", GMAIL_MODIFY_SCOPE] as const;
