import type { ChannelCommand } from "@/lib/channels/channel";
import type { InboundEvent } from "@/lib/channels/whatsapp/transform";

/** What an inbound WhatsApp message asks us to do: a channel command, or an opt-in code. */
export type Command =
  | ChannelCommand
  /** "↩️ Répondre" on an alert: the list of approved replies. */
  | { kind: "reply"; alertId: string }
  /** A row of that list: an approved template, or "Écrire une réponse". */
  | { kind: "reply_template"; alertId: string; templateId: string }
  | { kind: "reply_write"; alertId: string }
  /** "Envoyer" / "Annuler" under a draft shown with its text and addressee. */
  | { kind: "reply_send"; draftId: string }
  | { kind: "reply_cancel"; draftId: string }
  /** Text that is no command: a reply's text when it answers an alert or a draft, else the help. */
  | { kind: "text"; text: string }
  /** An opt-in code: the 6 digits, without the "FLUX-" prefix. */
  | { kind: "opt_in"; code: string };

const BUTTON = /^(done|snooze|mute|unmute|reply|rwrite|rsend|rcancel):(.{1,250})$/s;
const REPLY_TEMPLATE = /^rtpl:([0-9a-f-]{36}):([0-9a-f-]{36})$/;

const WORDS: Record<string, Command["kind"]> = {
  aide: "help",
  help: "help",
  menu: "help",
  resume: "digest",
  digest: "digest",
  summary: "digest",
  stop: "stop",
  arret: "stop",
  unsubscribe: "stop",
  desabonner: "stop",
  start: "start",
  demarrer: "start",
  subscribe: "start",
};

export const OPT_IN_CODE_PREFIX = "FLUX-";

/** "FLUX-123456" — the form shown in the app and prefilled in the wa.me link. */
export function formatOptInCode(digits: string): string {
  return `${OPT_IN_CODE_PREFIX}${digits}`;
}

/** Lower case, accents and surrounding punctuation removed: "Résumé !" → "resume", "ARRÊT." → "arret". */
function normalizeWord(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "");
}

function fromButtonId(id: string): Command | null {
  const template = REPLY_TEMPLATE.exec(id.trim());
  if (template) return { kind: "reply_template", alertId: template[1]!, templateId: template[2]! };
  const match = BUTTON.exec(id.trim());
  if (!match) return null;
  const [, kind, ref] = match as unknown as [string, string, string];
  switch (kind) {
    case "unmute":
      return { kind, ruleId: ref };
    case "rwrite":
      return { kind: "reply_write", alertId: ref };
    case "rsend":
      return { kind: "reply_send", draftId: ref };
    case "rcancel":
      return { kind: "reply_cancel", draftId: ref };
    default:
      return { kind: kind as "done" | "snooze" | "mute" | "reply", alertId: ref };
  }
}

function fromText(text: string): Command {
  // The code may come inside the prefilled sentence ("Activer les alertes FluxAsync : FLUX-123456").
  const code = /\bFLUX[-\s]?(\d{6})\b/i.exec(text) ?? /^\s*(\d{6})\s*$/.exec(text);
  if (code) return { kind: "opt_in", code: code[1]! };
  const kind = WORDS[normalizeWord(text)];
  if (kind === "help" || kind === "digest" || kind === "stop" || kind === "start") return { kind };
  return text.trim() ? { kind: "text", text } : { kind: "help" };
}

/**
 * Interprets an inbound message: reply buttons and template quick replies by their id/payload,
 * then text commands (any case, with or without accents), then an opt-in code. Other text is
 * `text` (it may be a reply's text); media and anything else get the help.
 */
export function interpretInbound(event: Pick<InboundEvent, "text" | "buttonId">): Command {
  if (event.buttonId) {
    const command = fromButtonId(event.buttonId);
    if (command) return command;
  }
  const command = event.text ? fromText(event.text) : ({ kind: "help" } as const);
  // A tap whose id is not ours falls back to its title's command, but its title is no reply text.
  return command.kind === "text" && event.buttonId ? { kind: "help" } : command;
}
