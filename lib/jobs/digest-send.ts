import { z } from "zod";
import type { RenderedMessage } from "@/lib/channels/rendered";
import { renderDigest } from "@/lib/channels/whatsapp/render-digest";
import { collectDigest } from "@/lib/db/alerts";
import type { Db } from "@/lib/db/port";
import { getRecipient } from "@/lib/db/recipients";
import { priorityEnum, type Recipient } from "@/lib/db/schemas";
import { defineJob } from "@/lib/jobs/define";
import { queueAlert } from "@/lib/jobs/queue-alert";

const DAY_MS = 24 * 60 * 60 * 1000;

export type Digest = { total: number; rendered: RenderedMessage };

/**
 * The digest of the last 24 h for one recipient: counts per priority and the informational items.
 * `day` (YYYY-MM-DD, the recipient's local date) titles it; noon UTC falls on that date in every
 * zone from UTC−11 to UTC+11, which covers the recipients we serve.
 */
export async function buildDigest(
  db: Db,
  recipient: Recipient,
  now: Date,
  day?: string,
): Promise<Digest | null> {
  const collected = await collectDigest(db, recipient.id, new Date(now.getTime() - DAY_MS));
  if (!collected) return null;
  const { counts } = collected;
  const digest = renderDigest({
    locale: recipient.locale,
    timeZone: recipient.timezone,
    date: day ? new Date(`${day}T12:00:00Z`) : now,
    counts,
    awaitingSignature: collected.awaitingSignature,
    items: collected.items.map((i) => ({
      priority: priorityEnum.parse(i.priority),
      subject: i.subject ?? "",
      from: i.from ?? "",
    })),
  });
  return {
    total: counts.critical + counts.important + counts.informational + counts.spam,
    rendered: { body: digest.body, buttons: [], template: { kind: "digest", params: digest.templateParams } },
  };
}

/**
 * digest.send ({recipientId, date}, key `digest:<recipient>:<date>`), queued by the periodic work
 * at the recipient's hour: a day with no mail sends nothing; otherwise one `digest` alert (dedupe
 * key digest:<recipient>:<date>), delivered by alert.send like any other.
 */
export const digestSendJob = defineJob({
  kind: "digest.send",
  payload: z.object({ recipientId: z.uuid(), date: z.iso.date() }),
  key: (p) => `digest:${p.recipientId}:${p.date}`,
  maxAttempts: 8,
  leaseSeconds: 30,
  run: async ({ recipientId, date }, { db, log, now }) => {
    const recipient = await getRecipient(db, recipientId);
    if (recipient?.status !== "opted_in" || !recipient.digestEnabled) return;
    const digest = await buildDigest(db, recipient, now(), date);
    if (!digest || digest.total === 0) {
      log.info("digest.empty", { recipientId });
      return;
    }
    await queueAlert(db, {
      recipientId,
      kind: "digest",
      dedupeKey: `digest:${recipientId}:${date}`,
      rendered: digest.rendered,
    });
  },
});
