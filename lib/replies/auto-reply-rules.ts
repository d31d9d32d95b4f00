import { TZDate } from "@date-fns/tz";
import type { AutoReplyRule, StoredSignals } from "@/lib/db/auto-replies";
import type { Message } from "@/lib/db/schemas";
import { priorityRank } from "@/lib/domain/vocabulary";

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

/** The first enabled rule this email and this moment match, if any (the safeguards come after). */
export function matchingRule(
  rules: AutoReplyRule[],
  message: Pick<Message, "priority" | "category" | "fromAddress">,
  signals: StoredSignals,
  now: Date,
  timeZone: string,
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
        (r.hours === "always" || outsideWorkingHours(r, now, timeZone)),
    ) ?? null
  );
}
