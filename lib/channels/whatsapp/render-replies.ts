import { relativeDay } from "@/lib/channels/format-values";
import type { RenderedList } from "@/lib/channels/rendered";
import type { ReplyButton } from "@/lib/channels/whatsapp/api";
import { emailAddressText, emailText } from "@/lib/channels/whatsapp/escape";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/**
 * Answers to what a recipient sent or tapped. They always follow an inbound message, so they are
 * sent inside the 24 h window as plain text or reply buttons; no template is needed.
 */
export type RenderedReply = { body: string; buttons: ReplyButton[]; list?: RenderedList };

const text = (body: string): RenderedReply => ({ body, buttons: [] });

export function renderOptInConfirmation(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.optIn"));
}

/** The last message a recipient gets after STOP. */
export function renderOptOutConfirmation(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.optOut"));
}

export function renderHelp(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.help"));
}

export function renderSnoozeConfirmation(params: {
  locale: Locale;
  timeZone: string;
  remindAt: Date;
  now: Date;
}): RenderedReply {
  const t = translator(params.locale, "whatsapp", params.timeZone);
  const rel = relativeDay(params.remindAt, params.now, params.locale, params.timeZone);
  const when =
    rel.day === "date" ? t("when.date", { date: rel.text }) : t(`when.${rel.day}`, { time: rel.time });
  return text(t("reply.snoozed", { when }));
}

function senderText(sender: string): string {
  return sender.includes("@") && !/\s/.test(sender.trim())
    ? emailAddressText(sender, 120)
    : emailText(sender, 120);
}

/** Confirms a muted sender with an undo button (`unmute:<ruleId>`). */
export function renderMuteConfirmation(params: {
  locale: Locale;
  sender: string;
  ruleId: string;
}): RenderedReply {
  const t = translator(params.locale, "whatsapp");
  return {
    body: t("reply.muted", { sender: senderText(params.sender) }),
    buttons: [{ id: `unmute:${params.ruleId}`, title: t("button.undoMute") }],
  };
}

export function renderUnmuteConfirmation(params: { locale: Locale; sender: string }): RenderedReply {
  return text(translator(params.locale, "whatsapp")("reply.unmuted", { sender: senderText(params.sender) }));
}

/**
 * « Traité » pressed on an email someone else already handled: who (when their name is known) and
 * when, in the organization's time zone and the presser's language.
 */
export function renderAlreadyHandled(params: {
  locale: Locale;
  timeZone: string;
  name: string | null;
  handledAt: Date;
  now: Date;
}): RenderedReply {
  const t = translator(params.locale, "whatsapp", params.timeZone);
  const rel = relativeDay(params.handledAt, params.now, params.locale, params.timeZone);
  const when =
    rel.day === "date"
      ? t("handledWhen.date", { date: rel.text })
      : t(rel.day === "yesterday" ? "handledWhen.yesterday" : "handledWhen.today", { time: rel.time });
  return text(
    params.name
      ? t("reply.alreadyHandledBy", { name: emailText(params.name, 60), when })
      : t("reply.alreadyHandled", { when }),
  );
}

/** `markedRead`: the email was also marked as read in the mailbox (when the user allowed it). */
export function renderDoneConfirmation(params: { locale: Locale; markedRead: boolean }): RenderedReply {
  return text(
    translator(params.locale, "whatsapp")(params.markedRead ? "reply.doneMarkedRead" : "reply.done"),
  );
}

export function renderAlertNotFound(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.alertNotFound"));
}

export function renderOptInCodeInvalid(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.codeInvalid"));
}

/** For a number that wrote to us without being a recipient of any account. */
export function renderNotRegistered(locale: Locale): RenderedReply {
  return text(translator(locale, "whatsapp")("reply.notRegistered"));
}
