import { recordMessages as recordInDb } from "@/lib/db/mailboxes";
import type { Db } from "@/lib/db/port";
import { jobSpec } from "@/lib/jobs/define";
import { messageAnalyzeJob } from "@/lib/jobs/message-analyze";

/**
 * Records the provider message ids a sync found, each new one with its `message.analyze` job in
 * the same transaction (idempotent on mailbox and provider id: known ids are left alone).
 */
export function recordMessages(db: Db, mailboxId: string, providerMessageIds: string[]) {
  return recordInDb(
    db,
    mailboxId,
    providerMessageIds.map((providerMessageId) => {
      const id = crypto.randomUUID();
      return {
        id,
        providerMessageId,
        job: jobSpec(messageAnalyzeJob, { messageId: id, mailboxId, providerMessageId }),
      };
    }),
  );
}
