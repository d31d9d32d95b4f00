import type { Steps } from "@/lib/analysis/cooperate";
import { MACHINE_NAMED } from "@/lib/analysis/injection";
import { fold } from "@/lib/analysis/text";

/*
 * Text an HTML email hides from its reader (display:none, zero-size or white-on-white text,
 * comments) that talks about how the email should be handled: who hides "priority", "approved
 * vendor" or "instructions" from the person reading is addressing a program. A hidden preheader
 * ("Votre facture de novembre est disponible") says nothing of the kind and is left alone.
 */
const HANDLING = new RegExp(
  String.raw`${MACHINE_NAMED}|\b(?:classif\w*|categori[sz]\w*|priorit\w*|spam|junk|phishing|instructions?|consignes?|ignor\w*|legitim\w*|pre-?approuve\w*|pre-?approved|whitelist\w*|safe sender|expediteur (?:sur|fiable))\b`,
);

const PIECES_PER_STEP = 200;

/**
 * How many hidden pieces of `allText` (every text of the HTML, hidden or not) speak of the
 * email's handling: the pieces that are not part of `visibleText`, what the reader sees.
 */
export function* hiddenDirectiveSteps(allText: string, visibleText: string): Steps<number> {
  const visible = fold(visibleText).replace(/\s+/g, " ");
  const pieces = allText.split(/(?<=[.!?])\s+|\n/);
  let count = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = fold(pieces[i]!).replace(/\s+/g, " ").trim();
    if (piece.length >= 4 && HANDLING.test(piece) && !visible.includes(piece)) count++;
    if (i % PIECES_PER_STEP === PIECES_PER_STEP - 1) yield;
  }
  return count;
}
