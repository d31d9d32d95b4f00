import { z } from "zod";
import { call, type Db } from "@/lib/db/port";

export type WebhookSource = "gmail" | "outlook" | "whatsapp";

/** One more unreadable payload of `source` today (counted per reason, with the last payload's hash). */
export const recordWebhookRejection = (
  db: Db,
  source: WebhookSource,
  reason: string,
  payloadSha256: string,
) =>
  call(
    db,
    "webhook_rejection_record",
    { p_source: source, p_reason: reason, p_payload_sha256: payloadSha256 },
    z.object({ count: z.number() }),
  );

export const webhookRejectionCounts = (db: Db, since: Date) =>
  call(
    db,
    "webhook_rejection_counts",
    { p_since: since },
    z.object({ gmail: z.number(), outlook: z.number(), whatsapp: z.number() }),
  );
