import type { TemplateComponent } from "@/lib/channels/whatsapp/api";
import { renderAlert } from "@/lib/channels/whatsapp/render-alert";
import { renderDigest } from "@/lib/channels/whatsapp/render-digest";
import { renderMailboxReconnectNotice } from "@/lib/channels/whatsapp/render-notices";
import { DEFAULT_TIME_ZONE } from "@/lib/domain/vocabulary";
import { LOCALES, type Locale, translator } from "@/lib/i18n/catalogue";

export const TEMPLATE_NAMES = {
  /** An alert outside the 24 h window, with the three quick-reply buttons. */
  alert: "fluxasync_alert",
  /** The daily digest outside the window. */
  digest: "fluxasync_digest",
  /** Owner notices (mailbox to reconnect, undeliverable recipient) outside the window. */
  notice: "fluxasync_notice",
  /** The opt-in code typed in the app. */
  verification: "fluxasync_verification",
} as const;

/** Meta's language codes for our locales. */
export const TEMPLATE_LANGUAGE: Record<Locale, string> = { fr: "fr", en: "en" };

/** How long a verification code is valid, and how long Meta keeps trying to deliver it. */
export const VERIFICATION_CODE_MINUTES = 10;

/** A template as the Business Management API creates it (`POST /{waba-id}/message_templates`). */
export type TemplateDefinition = {
  name: string;
  language: string;
  category: "UTILITY" | "AUTHENTICATION";
  message_send_ttl_seconds?: number;
  components: Array<Record<string, unknown>>;
};

/** Template text comes from the catalogue, with `{{n}}` where ICU has `{pn}`. */
function templateText(t: ReturnType<typeof translator>, key: string, count: number): string {
  const values: Record<string, string> = {};
  for (let i = 1; i <= count; i++) values[`p${i}`] = `{{${i}}}`;
  return t(key, values);
}

function utility(
  name: string,
  locale: Locale,
  key: string,
  example: string[],
  buttons: string[] = [],
): TemplateDefinition {
  const t = translator(locale, "whatsapp");
  return {
    name,
    language: TEMPLATE_LANGUAGE[locale],
    category: "UTILITY",
    components: [
      { type: "BODY", text: templateText(t, key, example.length), example: { body_text: [example] } },
      ...(buttons.length > 0
        ? [{ type: "BUTTONS", buttons: buttons.map((text) => ({ type: "QUICK_REPLY", text })) }]
        : []),
    ],
  };
}

/** Example values Meta's reviewers see, rendered by the same code as real messages. */
function examples(locale: Locale) {
  const t = translator(locale, "whatsapp");
  const now = new Date("2026-01-12T09:00:00Z");
  const alert = renderAlert(
    {
      locale,
      timeZone: DEFAULT_TIME_ZONE,
      priority: "critical",
      subject: t("template.exampleSubject"),
      fromName: null,
      fromAddress: t("template.exampleFromAddress"),
      summary: t("template.exampleSummary"),
      deadline: "2026-01-12T17:00:00Z",
      amounts: [],
      suggestedAction: { kind: "call", phrase: t("template.exampleAction") },
      fraudWarning: null,
      autoActions: [],
      analyzer: "gemini",
      alertId: "example",
    },
    now,
  );
  const digest = renderDigest({
    locale,
    timeZone: DEFAULT_TIME_ZONE,
    date: now,
    counts: { critical: 1, important: 2, informational: 5, spam: 3 },
    items: [
      { priority: "informational", subject: t("template.exampleDigestItem1"), from: "info@cci.ci" },
      { priority: "informational", subject: t("template.exampleDigestItem2"), from: "releves@banque.ci" },
    ],
  });
  const notice = renderMailboxReconnectNotice({ locale, mailbox: t("template.exampleMailbox") });
  return { alert: alert.templateParams, digest: digest.templateParams, notice: notice.templateParams };
}

/**
 * Every template in every language. The verification code uses the AUTHENTICATION category with a
 * copy-code button: Meta requires one-time codes to go through authentication templates (fixed,
 * localised text "<code> is your verification code"), rejects or re-categorises utility templates
 * that carry codes, and bills them at the lower authentication rate.
 */
export function templateDefinitions(): TemplateDefinition[] {
  return LOCALES.flatMap((locale) => {
    const t = translator(locale, "whatsapp");
    const ex = examples(locale);
    const buttons = [t("template.buttonDone"), t("template.buttonSnooze"), t("template.buttonMute")];
    return [
      utility(TEMPLATE_NAMES.alert, locale, "template.alertBody", ex.alert, buttons),
      utility(TEMPLATE_NAMES.digest, locale, "template.digestBody", ex.digest),
      utility(TEMPLATE_NAMES.notice, locale, "template.noticeBody", ex.notice),
      {
        name: TEMPLATE_NAMES.verification,
        language: TEMPLATE_LANGUAGE[locale],
        category: "AUTHENTICATION",
        message_send_ttl_seconds: VERIFICATION_CODE_MINUTES * 60,
        components: [
          { type: "BODY", add_security_recommendation: true },
          { type: "FOOTER", code_expiration_minutes: VERIFICATION_CODE_MINUTES },
          {
            type: "BUTTONS",
            buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: t("template.copyCode") }],
          },
        ],
      },
    ];
  });
}

export type TemplateMessage = { name: string; language: string; components: TemplateComponent[] };

const bodyParams = (params: string[]): TemplateComponent => ({
  type: "body",
  parameters: params.map((text) => ({ type: "text", text })),
});

/** The alert template with the alert's parameters; the quick-reply payloads carry the same ids as the buttons. */
export function alertTemplateMessage(params: {
  locale: Locale;
  alertId: string;
  templateParams: string[];
}): TemplateMessage {
  const payloads = [`done:${params.alertId}`, `snooze:${params.alertId}`, `mute:${params.alertId}`];
  return {
    name: TEMPLATE_NAMES.alert,
    language: TEMPLATE_LANGUAGE[params.locale],
    components: [
      bodyParams(params.templateParams),
      ...payloads.map(
        (payload, index): TemplateComponent => ({
          type: "button",
          sub_type: "quick_reply",
          index: String(index),
          parameters: [{ type: "payload", payload }],
        }),
      ),
    ],
  };
}

export function digestTemplateMessage(params: { locale: Locale; templateParams: string[] }): TemplateMessage {
  return {
    name: TEMPLATE_NAMES.digest,
    language: TEMPLATE_LANGUAGE[params.locale],
    components: [bodyParams(params.templateParams)],
  };
}

export function noticeTemplateMessage(params: { locale: Locale; templateParams: string[] }): TemplateMessage {
  return {
    name: TEMPLATE_NAMES.notice,
    language: TEMPLATE_LANGUAGE[params.locale],
    components: [bodyParams(params.templateParams)],
  };
}

/** An authentication template takes the code twice: in the body and in the copy-code button. */
export function verificationTemplateMessage(params: { locale: Locale; code: string }): TemplateMessage {
  return {
    name: TEMPLATE_NAMES.verification,
    language: TEMPLATE_LANGUAGE[params.locale],
    components: [
      bodyParams([params.code]),
      { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: params.code }] },
    ],
  };
}
