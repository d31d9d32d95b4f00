import { type Priority, priorityRank } from "@/lib/domain/vocabulary";
import { type QuietHours, quietHoursEnd } from "@/lib/pipeline/quiet-hours";

/*
 * Who hears about an analysed email, and when: the one place routing is decided. The router asks
 * `alertsRecipient` when an email has been analysed; alert.send asks `skipReason` and `holdUntil`
 * again at send time, because a recipient may have opted out or the email been handled meanwhile.
 */

export type RoutedMessage = { priority: Priority | null; category: string | null; handledAt: Date | null };

export type RoutedRecipient = QuietHours & {
  status: "pending" | "opted_in" | "opted_out" | "undeliverable";
  minPriority: Priority;
  categories: string[] | null;
  criticalBypassesQuiet: boolean;
};

/** Only these interrupt someone; informational mail waits for the digest, spam for no one. */
const ALERTING = new Set<Priority>(["critical", "important"]);

/**
 * Does this analysed email alert this recipient? Opted in, at or above their minimum priority,
 * in one of their categories when they chose some.
 */
export function alertsRecipient(message: RoutedMessage, recipient: RoutedRecipient): boolean {
  const { priority } = message;
  if (priority === null || !ALERTING.has(priority)) return false;
  if (recipient.status !== "opted_in") return false;
  if (priorityRank(priority) < priorityRank(recipient.minPriority)) return false;
  const categories = recipient.categories ?? [];
  return categories.length === 0 || (message.category !== null && categories.includes(message.category));
}

/**
 * A designated manager (an escalation target who is not the owner) is not a second inbox: unless
 * the organization asked for an immediate copy, they hear of an email only when its critical alert
 * is escalated — left unread and unhandled past the delay (alert_escalations_due).
 */
export function waitsForEscalation(
  recipient: { role: string; escalationTarget: boolean },
  escalationCopy: "delayed" | "immediate",
): boolean {
  return escalationCopy === "delayed" && recipient.escalationTarget && recipient.role !== "owner";
}

export type AlertKind = "alert" | "escalation" | "reminder" | "digest" | "notice";

/**
 * At send time: why this message must not go out, if it must not. A reply answers a message the
 * number just sent us (customer-initiated), so it needs no opt-in; nor does the consent request
 * that asks for it, which goes to a pending recipient only.
 */
export function skipReason(
  alert: { kind: AlertKind; isReply: boolean; isConsentRequest?: boolean },
  recipient: Pick<RoutedRecipient, "status">,
  message: Pick<RoutedMessage, "handledAt"> | null,
): string | null {
  if (recipient.status === "undeliverable") return "recipient undeliverable";
  // A consent request (e-mail double opt-in) is the one message a pending address may get.
  if (alert.isConsentRequest) return recipient.status === "pending" ? null : `recipient ${recipient.status}`;
  if (recipient.status !== "opted_in" && !alert.isReply) return `recipient ${recipient.status}`;
  if (message?.handledAt && alert.kind !== "notice") return "message already handled";
  return null;
}

/** Until when a send waits for the recipient's quiet hours to end (null: send now). Critical may bypass them. */
export function holdUntil(
  alert: { isReply: boolean },
  recipient: RoutedRecipient,
  message: Pick<RoutedMessage, "priority"> | null,
  now: Date,
): Date | null {
  if (alert.isReply) return null;
  if (message?.priority === "critical" && recipient.criticalBypassesQuiet) return null;
  return quietHoursEnd(recipient, now);
}
