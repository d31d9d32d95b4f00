import { describeDeadline, formatAmount, formatDateTime } from "@/app/_lib/format";
import type { Viewer } from "@/app/_lib/viewer";
import { renderText } from "@/lib/analysis/present";
import type { Localized, TextRef } from "@/lib/analysis/schema";
import type { Alert, Recipient } from "@/lib/db/schemas";
import { formatPhone } from "@/lib/domain/phone";

type AlertTimes = Pick<
  Alert,
  "status" | "sentAt" | "deliveredAt" | "readAt" | "failedAt" | "holdUntil" | "createdAt"
>;

/** The time that goes with an alert's current status (read at, delivered at…). */
export function alertStatusTime(a: AlertTimes): Date | null {
  switch (a.status) {
    case "read":
      return a.readAt;
    case "delivered":
      return a.deliveredAt;
    case "sent":
      return a.sentAt;
    case "failed":
      return a.failedAt;
    case "held":
      return a.holdUntil;
    default:
      return a.createdAt;
  }
}

/**
 * The deadline and amounts worth showing: none for spam, whose "deadline" and "amounts" are the
 * bait ("offre valable aujourd’hui", "gagnez 5 000 000 FCFA"), not something the user must act on.
 */
export function stakesOf(m: {
  priority: string | null;
  deadline: Date | null;
  amounts: { value: number; currency: string }[];
}) {
  return m.priority === "spam"
    ? { deadline: null, amounts: [] }
    : { deadline: m.deadline, amounts: m.amounts };
}

/** "aujourd'hui 17:00" / "today 17:00", or a full date; "(passée)" when it is over. */
export function deadlineText(viewer: Viewer, deadline: Date, now = new Date()): string {
  const rel = describeDeadline(deadline, now, viewer.locale, viewer.timeZone);
  return rel.day === "date" ? rel.text : viewer.t(`when.${rel.day}`, { time: rel.time });
}

export function amountsText(viewer: Viewer, amounts: { value: number; currency: string }[]): string {
  return amounts.map((a) => formatAmount(a, viewer.locale)).join(", ");
}

/** What an automatic action did, failed to do or is about to do: "label:FluxAsync/Critique", "failed:mark_read", "pending:archive". */
export function autoActionText(viewer: Viewer, action: string): string {
  if (action.startsWith("label:")) return viewer.t("autoAction.label", { name: action.slice(6) });
  if (action === "mark_read") return viewer.t("autoAction.markRead");
  if (action === "archive") return viewer.t("autoAction.archive");
  if (action.startsWith("failed:label:"))
    return viewer.t("autoAction.labelFailed", { name: action.slice(13) });
  if (action === "failed:mark_read") return viewer.t("autoAction.markReadFailed");
  if (action === "failed:archive") return viewer.t("autoAction.archiveFailed");
  if (action === "failed") return viewer.t("autoAction.failed");
  // Decided by the analysis, applied after the alert (message.housekeeping).
  if (action.startsWith("pending:label:"))
    return viewer.t("autoAction.labelPending", { name: action.slice(14) });
  if (action === "pending:mark_read") return viewer.t("autoAction.markReadPending");
  if (action === "pending:archive") return viewer.t("autoAction.archivePending");
  return action;
}

export function dateTime(viewer: Viewer, at: Date): string {
  return formatDateTime(at, viewer.locale, viewer.timeZone);
}

/** Only http(s) links to the mailbox are shown: a stored link is never trusted to be safe. */
export function safeWebLink(link: string | null): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A stored analysis text (summary, action phrase) in the viewer's language. */
export function localizedText(viewer: Viewer, text: Localized | null): string {
  return text ? text[viewer.locale] : "";
}

/** A stored analysis sentence (fraud warning, reason) in the viewer's language and zone. */
export function analysisSentence(viewer: Viewer, text: TextRef | string | null): string {
  return text ? renderText(text, viewer.locale, viewer.timeZone) : "";
}

/** A recipient's address as people write it: a WhatsApp number spaced by country, an e-mail address as is. */
export function recipientAddress(r: { channel: Recipient["channel"]; address: string }): string {
  return r.channel === "whatsapp" ? formatPhone(r.address) : r.address;
}
