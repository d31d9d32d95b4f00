import { z } from "zod";
import { alertButtons } from "@/lib/channels/alert-buttons";
import type { AlertAction } from "@/lib/channels/channel";
import { formatAmount, formatCompactFcfa, isTimeZone, relativeDay } from "@/lib/channels/format-values";
import { LIMITS, type ReplyButton } from "@/lib/channels/whatsapp/api";
import { emailAddressText, emailText, fileLineText, truncate } from "@/lib/channels/whatsapp/escape";
import { suggestedActionEnum } from "@/lib/domain/vocabulary";
import { translator } from "@/lib/i18n/catalogue";

export const prioritySchema = z.enum(["critical", "important", "informational", "spam"]);
export type Priority = z.infer<typeof prioritySchema>;

export const PRIORITY_EMOJI: Record<Priority, string> = {
  critical: "🔴",
  important: "🟡",
  informational: "🔵",
  spam: "⚪",
};

export const localeSchema = z.enum(["fr", "en"]);
export const timeZoneSchema = z.string().refine(isTimeZone, "unknown IANA time zone");

export const alertRenderInputSchema = z.object({
  locale: localeSchema,
  /** The recipient's IANA time zone: the deadline is written in it. */
  timeZone: timeZoneSchema,
  priority: prioritySchema,
  subject: z.string(),
  fromName: z.string().nullable(),
  fromAddress: z.string(),
  /** One-line summary in the recipient's language (model or rules output: treated as untrusted). */
  summary: z.string(),
  /** ISO 8601 with offset, or null. */
  deadline: z.iso.datetime({ offset: true }).nullable(),
  amounts: z.array(z.object({ value: z.number().finite(), currency: z.string() })),
  suggestedAction: z.object({
    kind: suggestedActionEnum,
    phrase: z.string(),
  }),
  fraudWarning: z.string().nullable(),
  /** What the automatic actions did, as machine strings: "label:<name>", "mark_read", "archive". */
  autoActions: z.array(z.string()),
  analyzer: z.enum(["prefilter", "gemini", "fallback"]),
  /** With the fallback: was Gemini tried (and failed) or not configured at all? Default: tried. */
  aiConfigured: z.boolean().optional(),
  alertId: z.string().min(1),
  /** Set on an escalated copy: who did not read the original. */
  escalatedFrom: z.string().nullish(),
  /** And since when (ISO 8601): the original alert's sending time, written in the recipient's zone. */
  escalatedSince: z.iso.datetime({ offset: true }).nullish(),
  /** Set when this is the reminder the recipient asked for ("Rappel 1 h"). */
  reminder: z.boolean().optional(),
  /** The sender is a key client of the organization's CRM: their largest open deal, in XOF. */
  crmKeyClientDealXof: z.number().nonnegative().nullish(),
  /**
   * One line per relevant attachment, already in the recipient's language
   * ("📎 Facture FA-2291.pdf : 4 500 000 FCFA, échéance 15 déc."); file names are the sender's.
   */
  attachments: z.array(z.string()).optional(),
});
export type AlertRenderInput = z.input<typeof alertRenderInputSchema>;

export type RenderedAlert = {
  /** The interactive message body (≤ 1024, WhatsApp markup). */
  body: string;
  /** Reply buttons: `done:<alertId>`, `snooze:<alertId>`, `reply:<alertId>`. */
  buttons: ReplyButton[];
  /** `{{1}}`…`{{4}}` of the `fluxasync_alert` template (one line each, no newline: Meta refuses them). */
  templateParams: string[];
};

/** Per-field budgets; the summary gets whatever room the other lines leave. */
const MAX = {
  subject: 200,
  sender: 160,
  summary: 400,
  action: 150,
  fraud: 200,
  label: 60,
  escalatedFrom: 60,
  attachment: 140,
  attachments: 3,
};
/** A template body is at most 1024 characters once filled; its fixed text takes under 160. */
const TEMPLATE_PARAMS_BUDGET = 1024 - 160;

/**
 * WhatsApp's three reply buttons (its maximum): "↩️ Répondre" takes the third place, muting moved
 * into its list (see the README's Replies).
 */
export const WHATSAPP_ALERT_ACTIONS = ["done", "snooze", "reply"] as const satisfies readonly AlertAction[];

function describeAutoAction(action: string, t: ReturnType<typeof translator>): string {
  if (action.startsWith("label:"))
    return t("autoAction.label", { name: emailText(action.slice(6), MAX.label) });
  if (action === "mark_read") return t("autoAction.markRead");
  if (action === "archive") return t("autoAction.archive");
  if (action === "auto_reply") return t("autoAction.autoReply");
  if (action.startsWith("failed:label:"))
    return t("autoAction.labelFailed", { name: emailText(action.slice(13), MAX.label) });
  if (action === "failed:mark_read") return t("autoAction.markReadFailed");
  if (action === "failed:archive") return t("autoAction.archiveFailed");
  if (action === "failed") return t("autoAction.failed");
  if (action.startsWith("pending:label:"))
    return t("autoAction.labelPending", { name: emailText(action.slice(14), MAX.label) });
  if (action === "pending:mark_read") return t("autoAction.markReadPending");
  if (action === "pending:archive") return t("autoAction.archivePending");
  return emailText(action, MAX.label);
}

/**
 * Renders one alert from plain data, in WhatsApp markup (every channel's body: e-mail turns it into
 * HTML and text), with the buttons of the recipient's channel; `now` anchors "today"/"tomorrow".
 */
export function renderAlert(
  rawInput: AlertRenderInput,
  now: Date,
  buttonActions: readonly AlertAction[] = WHATSAPP_ALERT_ACTIONS,
): RenderedAlert {
  const input = alertRenderInputSchema.parse(rawInput);
  const { locale, timeZone } = input;
  const t = translator(locale, "whatsapp", timeZone);

  const subject = emailText(input.subject, MAX.subject) || t("alert.noSubject");
  const address = emailAddressText(input.fromAddress, MAX.sender);
  const name = input.fromName ? emailText(input.fromName, MAX.sender / 2) : "";
  const sender = name && name.toLowerCase() !== address.toLowerCase() ? `${name} (${address})` : address;
  const label = t(`priority.${input.priority}`);
  const headline = t("alert.headline", { emoji: PRIORITY_EMOJI[input.priority], label, subject });

  const prefix: string[] = [];
  if (input.escalatedFrom) {
    const name = emailText(input.escalatedFrom, MAX.escalatedFrom);
    prefix.push(
      input.escalatedSince
        ? t("alert.escalatedSince", { name, since: new Date(input.escalatedSince) })
        : t("alert.escalated", { name }),
    );
  }
  if (input.reminder) prefix.push(t("alert.reminder"));

  const details: string[] = [];
  if (input.crmKeyClientDealXof)
    details.push(t("alert.crmKeyClient", { amounts: formatCompactFcfa(input.crmKeyClientDealXof, locale) }));
  if (input.deadline) {
    const rel = relativeDay(new Date(input.deadline), now, locale, timeZone);
    const when =
      rel.day === "date" ? t("when.date", { date: rel.text }) : t(`when.${rel.day}`, { time: rel.time });
    details.push(t("alert.deadline", { when }));
  }
  if (input.amounts.length > 0) {
    const shown = input.amounts.slice(0, 3).map((a) => emailText(formatAmount(a, locale), 40));
    details.push(t("alert.amounts", { count: shown.length, amounts: shown.join(", ") }));
  }
  const action =
    emailText(input.suggestedAction.phrase, MAX.action) || t(`suggestedAction.${input.suggestedAction.kind}`);
  details.push(t("alert.action", { action }));
  if (input.fraudWarning?.trim()) {
    details.push(t("alert.fraud", { warning: emailText(input.fraudWarning, MAX.fraud) }));
  }
  for (const line of (input.attachments ?? []).slice(0, MAX.attachments)) {
    details.push(fileLineText(line, MAX.attachment));
  }

  const actions = input.autoActions.map((a) => describeAutoAction(a, t));
  const autoLine = t("alert.autoActions", {
    count: actions.length,
    actions: actions.length > 0 ? actions.join(", ") : t("alert.autoActionsNone"),
  });
  const analyzerLine =
    input.analyzer === "prefilter"
      ? t("alert.analyzerPrefilter")
      : input.analyzer === "fallback"
        ? t(input.aiConfigured === false ? "alert.analyzerLocal" : "alert.analyzerFallback")
        : null;
  const from = t("alert.from", { sender });

  const assemble = (summary: string | null) =>
    [
      ...prefix,
      headline,
      from,
      ...(summary ? [t("alert.summary", { summary })] : []),
      ...details,
      autoLine,
      ...(analyzerLine ? [analyzerLine] : []),
    ].join("\n");

  // The summary is the most compressible part: give it what the other lines leave of the limit.
  const room = LIMITS.interactiveBody - (assemble("x").length - 1);
  const summary = room > 20 ? emailText(input.summary, Math.min(MAX.summary, room)) : "";
  const body = truncate(assemble(summary || null), LIMITS.interactiveBody);

  const separator = t("template.separator");
  const paramDetails = [...prefix, ...(summary ? [t("alert.summary", { summary })] : []), ...details].join(
    separator,
  );
  const head = [`${PRIORITY_EMOJI[input.priority]} ${label}`, subject, sender];
  const paramRoom = Math.max(100, TEMPLATE_PARAMS_BUDGET - head.join("").length);
  const templateParams = [...head, truncate(paramDetails, paramRoom)];

  return { body, buttons: alertButtons(buttonActions, locale, input.alertId), templateParams };
}
