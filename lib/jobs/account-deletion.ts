import type { SessionUser } from "@/lib/db/accounts";
import { deleteOrganization } from "@/lib/db/accounts";
import { listMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { openMailbox } from "@/lib/jobs/mailbox-access";
import type { Logger } from "@/lib/log";
import { revokeGoogleToken } from "@/lib/mail/gmail/oauth";
import { keyRing } from "@/lib/security/keys";
import { loadTokens } from "@/lib/security/token-store";

/**
 * Deletes an account for good: for every mailbox, stops push (Gmail watch, Graph subscription) and
 * revokes the Google grant — best effort, since a mailbox whose access was already revoked cannot
 * be reached — then deletes the organization and all its data in one transaction (audited).
 * Microsoft offers no per-app refresh-token revocation: the grant is left to expire and the user
 * can remove the app at myapps.microsoft.com / account.live.com (said on the settings page).
 */
export async function deleteAccount(db: Db, user: SessionUser, log: Logger) {
  const mailboxes = await listMailboxes(db, user.organizationId);
  let stopped = 0;
  let revoked = 0;
  for (const mailbox of mailboxes) {
    if (mailbox.provider === "sandbox") continue;
    try {
      const { provider, access } = await openMailbox(db, mailbox);
      await provider.stopWatch(access, mailbox.watch);
      stopped++;
    } catch (error) {
      log.warn("account_deletion.stop_failed", { mailboxId: mailbox.id, error });
    }
    if (mailbox.provider === "gmail") {
      try {
        const stored = await loadTokens(db, keyRing(), mailbox.id);
        const token = stored?.tokens?.refreshToken ?? stored?.tokens?.accessToken;
        if (token) {
          await revokeGoogleToken(token);
          revoked++;
        }
      } catch (error) {
        log.warn("account_deletion.revoke_failed", { mailboxId: mailbox.id, error });
      }
    }
  }
  const { deleted } = await deleteOrganization(db, user.organizationId, `user:${user.userId}`);
  return { deleted, mailboxes: mailboxes.length, stopped, revoked };
}
