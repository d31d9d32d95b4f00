import { actorOf } from "@/app/_lib/account-locale";
import type { SessionUser } from "@/lib/db/accounts";
import { connectMailbox, disconnectMailbox, listMailboxes } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import type { Mailbox } from "@/lib/db/schemas";
import { isLocalMode } from "@/lib/env";
import { notFound } from "@/lib/errors/app-error";
import { withMailbox } from "@/lib/jobs/mailbox-access";
import { renewWatch } from "@/lib/jobs/watch";
import type { Logger } from "@/lib/log";

/** The local sandbox mailbox's address (one per local installation). */
export const SANDBOX_ADDRESS = "boss@sandbox.local";

/**
 * Local mode: connects the sandbox mailbox and starts its "push" (delivery into the sandbox enqueues
 * a sync at once), so it goes through the same connect → watch → sync path as Gmail.
 */
export async function connectSandbox(db: Db, user: SessionUser, log: Logger): Promise<Mailbox> {
  if (!isLocalMode) throw notFound("The sandbox mailbox exists in local mode only.");
  const mailbox = await connectMailbox(db, {
    organizationId: user.organizationId,
    userId: user.userId,
    provider: "sandbox",
    address: SANDBOX_ADDRESS,
  });
  await renewWatch(db, mailbox, log);
  return mailbox;
}

/** Stops push at the provider (best effort: access may already be gone), then forgets the tokens. */
export async function disconnect(
  db: Db,
  user: SessionUser,
  mailboxId: string,
  log: Logger,
): Promise<Mailbox> {
  const mailbox = (await listMailboxes(db, user.organizationId)).find((m) => m.id === mailboxId);
  if (!mailbox) throw notFound("No such mailbox.");
  if (mailbox.status === "active") {
    try {
      await withMailbox(db, mailbox, log, ({ provider, access }) =>
        provider.stopWatch(access, mailbox.watch),
      );
    } catch (error) {
      log.warn("mailbox.stop_watch_failed", { mailboxId: mailbox.id, error });
    }
  }
  return disconnectMailbox(db, user.organizationId, mailbox.id, actorOf(user));
}
