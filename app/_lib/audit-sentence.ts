import { hasWebMessage } from "@/app/_lib/messages";
import type { Viewer } from "@/app/_lib/viewer";
import type { ReadableAuditEntry } from "@/lib/db/audit";

/** Who acted, as the log's reader says it: "Vous", a person's name, FluxAsync, WhatsApp. */
export function auditActor(viewer: Viewer, actor: string, name: string | null): string {
  const { t, user } = viewer;
  if (user && actor === `user:${user.userId}`) return t("audit.actor.you");
  if (name) return name;
  const kind = actor.split(":")[0] ?? actor;
  return hasWebMessage(viewer.locale, `audit.actor.${kind}`) ? t(`audit.actor.${kind}`) : actor;
}

/**
 * One event of the audit log as a sentence from the catalogue ("Awa Koné a mis en sourdine
 * marches@sodeci.ci depuis WhatsApp"), with the names the database found; an action the catalogue
 * does not know yet reads "<who> : <action>" rather than disappearing.
 */
export function auditSentence(viewer: Viewer, e: ReadableAuditEntry): string {
  const { t, locale, user } = viewer;
  const key = e.action.replaceAll(".", "_");
  const kind = typeof e.details.kind === "string" ? e.details.kind : "other";
  const params = {
    who: auditActor(viewer, e.actor, e.actorName),
    recipient: e.recipientName ?? t("audit.someone"),
    subject: e.subject ?? t("audit.anEmail"),
    sender: e.sender ?? t("audit.aSender"),
    mailbox: e.mailbox ?? t("audit.aMailbox"),
    kind,
    // French conjugates for "Vous" ("Vous avez marqué…"), other persons take "a".
    you: user && e.actor === `user:${user.userId}` ? "yes" : "no",
    action: hasWebMessage(locale, `audit.action.${key}`) ? t(`audit.action.${key}`) : e.action,
  };
  const sentence = hasWebMessage(locale, `audit.sentence.${key}`)
    ? t(`audit.sentence.${key}`, params)
    : t("audit.sentence.other", params);
  // A button pressed on the phone, a link followed in an alert e-mail: say where it came from.
  if (e.actor.startsWith("whatsapp:")) return sentence + t("audit.viaWhatsApp");
  if (e.actor.startsWith("email:")) return sentence + t("audit.viaEmail");
  return sentence;
}
