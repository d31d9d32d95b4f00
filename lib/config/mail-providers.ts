import path from "node:path";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { refreshGoogleToken } from "@/lib/mail/gmail/oauth";
import { createGmailProvider } from "@/lib/mail/gmail/provider";
import { gmailQuota } from "@/lib/mail/gmail/quota";
import { chargeUnits, providerUsage } from "@/lib/mail/meter";
import { refreshMicrosoftToken } from "@/lib/mail/outlook/oauth";
import { createOutlookProvider } from "@/lib/mail/outlook/provider";
import type { MailProvider, TokenSet } from "@/lib/mail/provider";
import { grantsReplies } from "@/lib/mail/reply-scopes";
import { createSandboxProvider } from "@/lib/mail/sandbox/provider";
import type { ProviderKind } from "@/lib/mail/types";

/** Where local mode keeps the sandbox mailbox's files. */
export const sandboxRoot = () => path.resolve(env.DATA_DIR, "sandbox");

export const googleRedirectUri = () => new URL("/api/auth/google/callback", env.APP_URL).toString();
export const microsoftRedirectUri = () => new URL("/api/auth/microsoft/callback", env.APP_URL).toString();
/** The Gmail quota in force (lib/mail/gmail/quota.ts), from the GMAIL_QUOTA_* variables. */
export const gmailQuotaFromEnv = () =>
  gmailQuota({
    profile: env.GMAIL_QUOTA_PROFILE,
    perUserPerMinute: env.GMAIL_QUOTA_USER_PER_MINUTE,
    costs: env.GMAIL_QUOTA_COSTS,
  });

export const outlookNotificationUrl = () => new URL("/api/webhooks/outlook", env.APP_URL).toString();

function notConfigured(what: string): never {
  throw new AppError("not_configured", `${what} is not configured on this server (see the README's set-up).`);
}

const cache = new Map<ProviderKind, MailProvider>();

/** The provider of a mailbox, configured from the environment (one instance per process). */
export function providerFor(kind: ProviderKind): MailProvider {
  const existing = cache.get(kind);
  if (existing) return existing;
  let provider: MailProvider;
  if (kind === "gmail") {
    if (!env.GMAIL_PUBSUB_TOPIC) notConfigured("Gmail (GMAIL_PUBSUB_TOPIC)");
    provider = createGmailProvider({
      topicName: env.GMAIL_PUBSUB_TOPIC,
      costs: gmailQuotaFromEnv().costs,
      meter: ({ method, units }) => {
        providerUsage.gmailCalls++;
        providerUsage.gmailQuotaUnits += units;
        providerUsage.gmailCallsByMethod[method] = (providerUsage.gmailCallsByMethod[method] ?? 0) + 1;
        // The job running this call, if any, counts it against its mailbox's per-user budget.
        chargeUnits(units);
      },
    });
  } else if (kind === "outlook") {
    provider = createOutlookProvider({
      notificationUrl: outlookNotificationUrl(),
      meter: () => {
        providerUsage.graphCalls++;
      },
    });
  } else {
    if (env.NODE_ENV === "production") notConfigured("The sandbox mailbox (local mode only)");
    provider = createSandboxProvider(sandboxRoot());
  }
  cache.set(kind, provider);
  return provider;
}

/**
 * Exchanges a refresh token for a new access token with the mailbox's provider. `grantedScope` is
 * what the mailbox granted so far: Microsoft issues only the scopes a refresh asks for, so a grant
 * that includes Mail.Send must ask for it again to keep sending replies.
 */
export async function refreshTokens(
  kind: ProviderKind,
  refreshToken: string,
  grantedScope: string | null = null,
): Promise<TokenSet> {
  if (kind === "gmail") {
    if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) notConfigured("Google sign-in");
    return refreshGoogleToken({
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      refreshToken,
    });
  }
  if (kind === "outlook") {
    if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) notConfigured("Microsoft sign-in");
    return refreshMicrosoftToken(
      {
        clientId: env.MICROSOFT_CLIENT_ID,
        clientSecret: env.MICROSOFT_CLIENT_SECRET,
        tenant: env.MICROSOFT_TENANT,
        redirectUri: microsoftRedirectUri(),
      },
      refreshToken,
      { replies: grantsReplies("outlook", grantedScope) },
    );
  }
  throw new AppError("no_tokens", "The sandbox mailbox has no tokens to refresh.");
}
