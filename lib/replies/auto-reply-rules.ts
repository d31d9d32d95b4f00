import { TZDate } from "@date-fns/tz";
import type { AutoReplyRule, StoredSignals } from "@/lib/db/auto-replies";
import type { Message } from "@/lib/db/schemas";
import { priorityRank } from "@/lib/domain/vocabulary";
import { type QuietHours, quietHoursEnd } from "@/lib/pipeline/quiet-hours";

/** Working hours: Monday to Friday, between the rule's start and end minutes, in the organization's zone. */
export function outsideWorkingHours(
  rule: Pick<AutoReplyRule, "workStartMinute" | "workEndMinute">,
  now: Date,
  timeZone: string,
) {
  const local = new TZDate(now.getTime(), timeZone);
  const day = local.getDay();
  if (day === 0 || day === 6) return true;
  const minute = local.getHours() * 60 + local.getMinutes();
  return minute < rule.workStartMinute || minute >= rule.workEndMinute;
}

function senderMatches(pattern: string | null, from: string): boolean {
  if (!pattern) return true;
  const address = from.trim().toLowerCase();
  return pattern.startsWith("@") ? address.endsWith(pattern) : address === pattern;
}

/**
 * Is this a moment the rule answers in? "quiet_hours" follows the owner's quiet hours (Settings ›
 * Destinataires), in the owner's zone: without an owner or without quiet hours it never answers.
 */
export function inRuleHours(
  rule: Pick<AutoReplyRule, "hours" | "workStartMinute" | "workEndMinute">,
  now: Date,
  timeZone: string,
  ownerQuiet: QuietHours | null,
): boolean {
  if (rule.hours === "always") return true;
  if (rule.hours === "outside_work") return outsideWorkingHours(rule, now, timeZone);
  return ownerQuiet !== null && quietHoursEnd(ownerQuiet, now) !== null;
}

/** The first enabled rule this email and this moment match, if any (the safeguards come after). */
export function matchingRule(
  rules: AutoReplyRule[],
  message: Pick<Message, "priority" | "category" | "fromAddress">,
  signals: StoredSignals,
  now: Date,
  timeZone: string,
  ownerQuiet: QuietHours | null = null,
): AutoReplyRule | null {
  const { priority } = message;
  if (!priority || priority === "spam" || !message.fromAddress) return null;
  return (
    rules.find(
      (r) =>
        r.enabled &&
        priorityRank(priority) >= priorityRank(r.minPriority) &&
        senderMatches(r.senderPattern, message.fromAddress ?? "") &&
        (!r.vipOnly || signals?.rule === "vip") &&
        (!r.category || r.category === message.category) &&
        inRuleHours(r, now, timeZone, ownerQuiet),
    ) ?? null
  );
}
