import { z } from "zod";
import { formatDay } from "@/lib/channels/format-values";
import { LIMITS } from "@/lib/channels/whatsapp/api";
import { emailAddressText, emailText, truncate } from "@/lib/channels/whatsapp/escape";
import {
  localeSchema,
  PRIORITY_EMOJI,
  prioritySchema,
  timeZoneSchema,
} from "@/lib/channels/whatsapp/render-alert";
import { translator } from "@/lib/i18n/catalogue";

export const DIGEST_MAX_ITEMS = 10;

const count = z.number().int().nonnegative();

export const digestInputSchema = z.object({
  locale: localeSchema,
  timeZone: timeZoneSchema,
  /** The day the digest covers (its calendar date in `timeZone` is shown). */
  date: z.date(),
  counts: z.object({ critical: count, important: count, informational: count, spam: count }),
  /** Attachments that need a signature on emails of the last 7 days not marked handled. */
  awaitingSignature: count.default(0),
  /** Every item of the day, most important first; the first 10 are listed, the rest counted. */
  items: z.array(z.object({ priority: prioritySchema, subject: z.string(), from: z.string() })),
});
export type DigestInput = z.input<typeof digestInputSchema>;

export type RenderedDigest = {
  /** One text message (≤ 4096). */
  body: string;
  /** `{{1}}`…`{{3}}` of the `fluxasync_digest` template, for a recipient outside the 24 h window. */
  templateParams: string[];
};

/** The daily digest: counts per priority and up to 10 one-line items, in one message. */
export function renderDigest(rawInput: DigestInput): RenderedDigest {
  const input = digestInputSchema.parse(rawInput);
  const t = translator(input.locale, "whatsapp", input.timeZone);
  const date = formatDay(input.date, input.locale, input.timeZone);

  const countParts = (["critical", "important", "informational", "spam"] as const)
    .filter((p) => input.counts[p] > 0)
    .map((p) => t(`digest.${p}`, { count: input.counts[p] }));
  if (input.awaitingSignature > 0)
    countParts.push(t("digest.awaitingSignature", { count: input.awaitingSignature }));
  const countsLine = countParts.length > 0 ? countParts.join(" · ") : t("digest.empty");

  const items = input.items.slice(0, DIGEST_MAX_ITEMS).map((item) =>
    t("digest.item", {
      emoji: PRIORITY_EMOJI[item.priority],
      subject: emailText(item.subject, 90) || t("alert.noSubject"),
      sender: item.from.includes("@") ? emailAddressText(item.from, 60) : emailText(item.from, 60),
    }),
  );
  const more = input.items.length - items.length;
  const lines = [t("digest.title", { date }), countsLine, ...(items.length > 0 ? ["", ...items] : [])];
  if (more > 0) lines.push(t("digest.more", { count: more }));

  const listed = items.slice(0, 5).join(t("template.separator"));
  const templateParams = [date, countsLine, truncate(listed || "—", 700)];
  return { body: truncate(lines.join("\n"), LIMITS.textBody), templateParams };
}
