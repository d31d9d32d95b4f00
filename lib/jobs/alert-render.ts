import { renderText } from "@/lib/analysis/present";
import { alertWorthy, attachmentLine } from "@/lib/attachments/present";
import { channelOf } from "@/lib/channels/registry";
import type { RenderedMessage } from "@/lib/channels/rendered";
import { renderAlert } from "@/lib/channels/whatsapp/render-alert";
import type { SendContext } from "@/lib/db/alert-send";
import { PermanentFailure } from "@/lib/jobs/outcome";

const MESSAGE_KINDS = new Set(["alert", "escalation", "reminder"]);

/**
 * The message an alert row sends. Alerts, escalations and reminders are rendered from the stored
 * analysis at send time, in the recipient's language and zone (the summary and action phrase are
 * stored in both languages, the fraud warning as a catalogue key), so a reminder shows the current
 * state and the recipient's current locale;
 * digests, notices and replies were rendered when queued and carry their own text.
 */
export function renderForSend(ctx: SendContext, now: Date): RenderedMessage {
  const { alert, recipient, message } = ctx;
  if (!MESSAGE_KINDS.has(alert.kind)) {
    if (!ctx.send.rendered)
      throw new PermanentFailure(`alert ${alert.id} (${alert.kind}) has no rendered text`);
    return ctx.send.rendered;
  }
  if (!message?.priority) throw new PermanentFailure(`alert ${alert.id} has no analysed message`);
  const { locale, timezone } = recipient;
  const rendered = renderAlert(
    {
      locale,
      timeZone: timezone,
      priority: message.priority,
      subject: message.subject ?? "",
      fromName: message.fromName,
      fromAddress: message.fromAddress ?? "",
      summary: message.summary?.[locale] ?? "",
      deadline: message.deadline?.toISOString() ?? null,
      amounts: message.amounts,
      suggestedAction: {
        kind: message.suggestedAction ?? "read",
        phrase: message.suggestedActionPhrase?.[locale] ?? "",
      },
      fraudWarning: message.fraudWarning ? renderText(message.fraudWarning, locale, timezone) : null,
      autoActions: message.autoActions,
      analyzer: message.analyzer ?? "fallback",
      // The model name is recorded whenever Gemini was called, failed or not.
      aiConfigured: message.llmModel !== null,
      alertId: alert.id,
      escalatedFrom: alert.kind === "escalation" ? (ctx.send.escalatedFrom ?? "—") : null,
      escalatedSince: alert.kind === "escalation" ? (ctx.send.escalatedSince?.toISOString() ?? null) : null,
      reminder: alert.kind === "reminder",
      crmKeyClientDealXof: ctx.crm?.keyClientDealXof ?? null,
      attachments: message.attachments
        .filter(alertWorthy)
        .map((a) => attachmentLine(a, recipient.locale, recipient.timezone)),
    },
    now,
    channelOf(recipient.channel)?.alertActions,
  );
  return {
    body: rendered.body,
    buttons: rendered.buttons,
    template: { kind: "alert", params: rendered.templateParams },
  };
}
