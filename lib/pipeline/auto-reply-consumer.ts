import { jobSpec } from "@/lib/jobs/define";
import { replyAutoJob } from "@/lib/jobs/reply-auto";
import type { Consumer } from "@/lib/pipeline/consumer";
import { matchingRule } from "@/lib/replies/auto-reply-rules";

/**
 * Automatic replies: one reply.auto job (keyed by the email: never two) when an enabled rule with
 * an approved template matches the email and the moment. The job applies the RFC 3834 safeguards
 * against the email as the mailbox has it and the limits, in SQL, before anything is sent.
 */
export const autoReplyConsumer: Consumer = {
  name: "auto-reply",
  plan({ message, autoReply, recipients, now }) {
    if (!autoReply || message.handledAt) return {};
    const owner = recipients.find((r) => r.role === "owner") ?? null;
    const rule = matchingRule(autoReply.rules, message, autoReply.signals, now, autoReply.timezone, owner);
    return rule ? { jobs: [jobSpec(replyAutoJob, { messageId: message.id, ruleId: rule.id })] } : {};
  },
};
