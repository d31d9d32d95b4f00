import type { ChannelCommand } from "@/lib/channels/channel";
import type { InboundEvent } from "@/lib/channels/whatsapp/transform";

/** What an inbound WhatsApp message asks us to do: a channel command, or an opt-in code. */
export type Command =
  | ChannelCommand
  /** An opt-in code: the 6 digits, without the "FLUX-" prefix. */
  | { kind: "opt_in"; code: string };

const BUTTON = /^(done|snooze|mute|unmute):(.{1,250})$/s;

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
  const match = BUTTON.exec(id.trim());
  if (!match) return null;
  const [, kind, ref] = match as unknown as [string, "done" | "snooze" | "mute" | "unmute", string];
  return kind === "unmute" ? { kind, ruleId: ref } : { kind, alertId: ref };
}

function fromText(text: string): Command {
  // The code may come inside the prefilled sentence ("Activer les alertes FluxAsync : FLUX-123456").
  const code = /\bFLUX[-\s]?(\d{6})\b/i.exec(text) ?? /^\s*(\d{6})\s*$/.exec(text);
  if (code) return { kind: "opt_in", code: code[1]! };
  const kind = WORDS[normalizeWord(text)];
  if (kind === "help" || kind === "digest" || kind === "stop" || kind === "start") return { kind };
  return { kind: "help" };
}

/**
 * Interprets an inbound message: reply buttons and template quick replies by their id/payload,
 * then text commands (any case, with or without accents), then an opt-in code. Anything else,
 * media included, is answered with the help.
 */
export function interpretInbound(event: Pick<InboundEvent, "text" | "buttonId">): Command {
  if (event.buttonId) {
    const command = fromButtonId(event.buttonId);
    if (command) return command;
  }
  return event.text ? fromText(event.text) : { kind: "help" };
}
