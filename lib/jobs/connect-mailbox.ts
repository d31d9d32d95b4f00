import { deleteOrganization, signIn } from "@/lib/db/accounts";
import { connectMailbox, findMailboxByAddress, releaseHeldAnalyses } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { isAppError } from "@/lib/errors/app-error";
import { enqueue } from "@/lib/jobs/enqueue";
import { mailboxSyncJob } from "@/lib/jobs/mailbox-sync";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";
import { renewWatch } from "@/lib/jobs/watch";
import type { Logger } from "@/lib/log";
import type { TokenSet } from "@/lib/mail/provider";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";
import { sealJson } from "@/lib/security/vault";

export type VerifiedIdentity = { subject: string; email: string; name: string | null };

/**
 * The end of an OAuth callback, whatever the provider: sign in (or sign up: organization + owner),
 * store the tokens encrypted — keeping the previous refresh token when the provider sent none —
 * connect the mailbox and start push. Push failing does not fail the sign-in: the mailbox is
 * connected, polling covers it, and the daily renewal retries the watch. A sync is queued at once:
 * a new mailbox gets its start cursor (or its first bounded sync if the watch failed), a reconnected
 * one catches up on what arrived while it was cut off, and its held analyses are released.
 */
export async function completeOAuthSignIn(
  db: Db,
  log: Logger,
  p: {
    account: "google" | "microsoft";
    mailboxProvider: "gmail" | "outlook";
    identity: VerifiedIdentity;
    tokens: TokenSet;
    locale?: string;
    /** The organization of the session the flow started in, if any: the mailbox joins it. */
    joinOrganizationId?: string | null;
  },
) {
  const account = await signIn(db, {
    provider: p.account,
    subject: p.identity.subject,
    email: p.identity.email,
    name: p.identity.name,
    locale: p.locale,
    joinOrganizationId: p.joinOrganizationId,
  });
  let tokens = p.tokens;
  if (!tokens.refreshToken) {
    const existing = await findMailboxByAddress(db, p.mailboxProvider, p.identity.email);
    const previous = existing ? await loadTokens(db, keyRing(), existing.id).catch(() => null) : null;
    tokens = { ...tokens, refreshToken: previous?.tokens?.refreshToken ?? null };
  }
  let mailbox: Awaited<ReturnType<typeof connectMailbox>>;
  try {
    mailbox = await connectMailbox(db, {
      organizationId: account.organizationId,
      userId: account.userId,
      provider: p.mailboxProvider,
      address: p.identity.email,
      ciphertext: await sealJson(keyRing(), tokens),
      tokenExpiresAt: new Date(tokens.expiresAt),
    });
  } catch (error) {
    // The mailbox belongs to another account: do not leave the organization just created behind.
    if (isAppError(error) && error.status === 409 && account.created) {
      await deleteOrganization(db, account.organizationId, "system");
    }
    throw error;
  }
  let pushActive = false;
  try {
    pushActive = await renewWatch(db, mailbox, log);
  } catch (error) {
    log.warn("oauth.watch_failed", { mailboxId: mailbox.id, error });
  }
  await enqueue(db, mailboxSyncJob, { mailboxId: mailbox.id, historyHint: null, reason: "connected" });
  await releaseHeldAnalyses(db, mailbox.id, messageAnalyzeJob.kind);
  return { account, mailbox, pushActive, hasRefreshToken: Boolean(tokens.refreshToken) };
}
