import type { CrmNote, CrmTask } from "@/lib/crm/types";
import { type Locale, translator } from "@/lib/i18n/catalogue";

/** What a CRM record receives about one email: metadata and our own analysis — never its body. */
export type LoggedEmail = {
  messageId: string;
  subject: string | null;
  fromName: string | null;
  fromAddress: string;
  receivedAt: Date;
  priority: "critical" | "important" | "informational" | "spam";
  /** OUR one-line summary (the analysis's), not the sender's words. */
  summary: string | null;
  suggestedAction: string | null;
  suggestedActionPhrase: string | null;
  deadline: Date | null;
  /** The email's page in our app (access-controlled), not a copy of it. */
  url: string;
};

export type LogTarget = {
  contactId: string;
  companyId: string | null;
  dealId: string | null;
  ownerId: string | null;
};

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Actions worth a task: reading or ignoring is nothing to assign to anyone. */
const TASK_ACTIONS = new Set(["reply", "call", "sign", "pay", "forward"]);

export function noteFor(email: LoggedEmail, target: LogTarget, locale: Locale, timeZone: string): CrmNote {
  const t = translator(locale, "crm", timeZone);
  const subject = clip(email.subject?.trim() || t("note.noSubject"), 200);
  const sender = email.fromName ? `${clip(email.fromName, 80)} <${email.fromAddress}>` : email.fromAddress;
  const priority = t(`priority.${email.priority}`);
  const key = `fluxasync-${email.messageId}`;
  const lines = [
    t("note.subject", { subject }),
    t("note.from", { sender }),
    t("note.date", { date: email.receivedAt }),
    ...(email.summary ? [t("note.summary", { summary: clip(email.summary, 400) })] : []),
    t("note.priority", { priority }),
    ...(email.suggestedActionPhrase || email.suggestedAction
      ? [
          t("note.action", {
            action: clip(email.suggestedActionPhrase || t(`action.${email.suggestedAction}`), 160),
          }),
        ]
      : []),
    ...(email.deadline ? [t("note.deadline", { deadline: email.deadline })] : []),
    t("note.link", { url: email.url }),
    t("note.reference", { key }),
  ];
  return {
    key: `${key}:note`,
    ...target,
    title: clip(t("note.title", { priority, subject }), 250),
    body: lines.join("\n"),
    at: email.receivedAt,
  };
}

/** The suggested action as a task, due at the deadline, for the contact's owner; null when nothing to do. */
export function taskFor(
  email: LoggedEmail,
  target: LogTarget,
  locale: Locale,
  timeZone: string,
): CrmTask | null {
  if (!email.suggestedAction || !TASK_ACTIONS.has(email.suggestedAction)) return null;
  const t = translator(locale, "crm", timeZone);
  const action = clip(email.suggestedActionPhrase?.trim() || t(`action.${email.suggestedAction}`), 120);
  const sender = clip(email.fromName?.trim() || email.fromAddress, 80);
  return {
    key: `fluxasync-${email.messageId}:task`,
    ...target,
    subject: clip(t("task.subject", { action, sender }), 250),
    body: t("task.body", {
      subject: clip(email.subject?.trim() || t("note.noSubject"), 200),
      priority: t(`priority.${email.priority}`),
      url: email.url,
    }),
    dueAt: email.deadline,
    priority: email.priority === "critical" ? "high" : "normal",
  };
}
