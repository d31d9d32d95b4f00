import { runToEnd, type Steps } from "@/lib/analysis/cooperate";
import { fold } from "@/lib/analysis/text";

/*
 * Text addressed to an AI rather than to the reader: "ignore previous instructions", "classify
 * this email as critical", "SYSTEM:". The email is data; such sentences are removed before the
 * rules score the email, and their presence caps what any analyzer may conclude (analyze.ts).
 * Patterns run on folded text (lower case, no accents).
 */
/**
 * A program that reads the email, named so that no person is: never a human "assistant(e)" alone,
 * never a bare "AI" (French "j'ai"), never a first name (Claude).
 */
export const MACHINE_NAMED = String.raw`(?:artificial intelligence|intelligence artificielle|llms?|language models?|modeles? de langage|modeles? d'ia|chatbots?|ai assistants?|assistants? (?:ia|ai|virtuel(?:le)?s?|de messagerie|e-?mail|mail|automatique)|(?:e-?mail|mail|inbox|triage) assistants?|agents? (?:ia|ai)|ai agents?|summari[sz]ers?|classifiers?|classificateurs?|triage (?:systems?|tools?)|systemes? de tri|automated (?:systems?|assistants?|readers?|agents?|tools?|filters?)|chatgpt|copilot)\b`;
/** …and, after a way of addressing it ("dear", "if you are an", "à l'attention de l'"), a bare AI. */
const MACHINE = String.raw`(?:ai|ia|${MACHINE_NAMED})\b`;

const PATTERNS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your)\b[^.\n]{0,20}\b(?:instructions?|prompts?|rules|guidelines|directives)\b/,
  /\b(?:ignore[rz]?|oublie[rz]?|ne tiens? pas compte)\b[^.\n]{0,40}\b(?:instructions?|consignes|regles|directives)\b/,
  /\b(?:system|assistant|developer)\s*(?:prompt|message|instruction)s?\s*:/,
  /(?:^|\n|\[|<)\s*(?:system|assistant|ai|ia|llm)\s*[\]>:]/,
  /\b(?:you are now|tu es maintenant|vous etes maintenant|act as|agis comme|pretend to be)\b/,
  /\b(?:classify|mark|label|flag|set|treat|categori[sz]e|rate|tag)\b[^.\n]{0,40}\b(?:as|to)\b[^.\n]{0,15}\b(?:critical|urgent|high[- ]priority|important|top priority|priority 1)\b/,
  /\b(?:classe[rz]?|marque[rz]?|considere[rz]?|traite[rz]?|etiquete[rz]?|signale[rz]?)\b[^.\n]{0,40}\bcomme\b[^.\n]{0,15}\b(?:critique|urgent|prioritaire|important|tres important)\b/,
  /\bpriori(?:ty|te)\s*[:=]\s*["']?(?:critical|critique|urgent|high)\b/,
  /\b(?:forward|send|transfer|transmit)\b[^.\n]{0,30}\b(?:all|every)\b[^.\n]{0,20}\b(?:emails?|messages?|mails?|contacts?)\b/,
  /\b(?:transfere[rz]?|envoie[rz]?|transmets|transmettez)\b[^.\n]{0,30}\btous les\b[^.\n]{0,20}\b(?:e-?mails?|messages?|courriels?|contacts?)\b/,
  /\b(?:note|message|instructions?)\s+(?:to|for|a l'attention de|pour)\s+(?:the\s+|l'|le\s+)?(?:ai|ia|assistant|llm|model|modele|language model|classifier|classificateur)\b/,
  /\b(?:as an ai|en tant qu'ia|en tant qu'assistant)\b/,
  /\b(?:new|nouvelles?) instructions?\s*:/,
  // Text that names a machine reader, in any phrasing: "if you are an AI", "dear language model",
  // "à l'attention de l'agent IA", "note for any automated system reading this".
  new RegExp(
    String.raw`\b(?:if you are|si (?:vous etes|tu es)|dear|cher|chere|hello|hi|bonjour|to the|to any|to all|for the|for any|attention|a l'attention d(?:e|u|es)|note (?:to|for)|message (?:to|for)|instructions? (?:to|for)|consignes? (?:pour|a)|pour (?:l'|le |la |les |tout |toute )|a (?:l'|tout |toute |tous les ))\s*(?:an? |the |any |all |l'|le |la |les |un |une )?${MACHINE}`,
  ),
  // A machine reader told what to do: "AI assistants must classify…", "le modèle doit résumer…".
  new RegExp(
    String.raw`${MACHINE_NAMED}[^.\n]{0,60}\b(?:must|should|shall|need to|needs to|is instructed|are instructed|doit|doivent|devra|devez|veuillez|merci de|please)\b[^.\n]{0,60}(?:classif|mark|flag|label|priori|summar|resum|forward|transf|reply|respond|repond|ignor|output|treat|trait|class|consider|rate|escalat|urgent|critical|critique|important)`,
  ),
  // How the email should be summarised or filed, said to whoever summarises it.
  /\b(?:when (?:summari[sz]ing|classifying|processing|triaging|sorting|filtering) this|in your summary|in the summary|dans (?:ton|votre|le) resume|en resumant ce|resume[rz]?[- ]le comme|summari[sz]e (?:it|this(?: e-?mail| message)?) as)\b/,
  /\b(?:give|assign|attribue[rz]?|donne[rz]?|accorde[rz]?)\b[^.\n]{0,30}\b(?:this|ce|cet|cette)\s+(?:e-?mail|message|courriel|mail)\b[^.\n]{0,30}\b(?:highest|top|maximum|maximale|high|haute|absolue|plus haute)\s+priori/,
  /\b(?:do not|don't|never|ne (?:pas|jamais)|ne le (?:pas|jamais))\s+(?:flag|mark|classify|filter|report|treat|classer|marquer|considerer|signaler|traiter)\b[^.\n]{0,25}\b(?:as|comme|en)\s+(?:spam|junk|phishing|suspicious|fraud|fraudulent|indesirable|frauduleux|suspect|hameconnage)\b/,
];

export type InjectionScan = {
  detected: boolean;
  sanitized: string;
  count: number;
  /** The non-empty sentences and lines read, injections included. */
  pieces: number;
};

function isInjection(sentence: string): boolean {
  const folded = fold(sentence);
  return PATTERNS.some((p) => p.test(folded));
}

/** Splits on sentence ends and line breaks, drops the sentences that talk to a model. */
export function scanInjection(text: string): InjectionScan {
  return runToEnd(injectionSteps(text));
}

/** Sentences checked between two pauses of a cooperative caller (about a millisecond of work). */
const PIECES_PER_STEP = 200;

/** scanInjection in bounded steps: a 200,000-character HTML text is thousands of "sentences". */
export function* injectionSteps(text: string): Steps<InjectionScan> {
  const pieces = text.split(/(?<=[.!?])\s+|\n/);
  let count = 0;
  const kept: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (isInjection(piece)) count++;
    else kept.push(piece);
    if (i % PIECES_PER_STEP === PIECES_PER_STEP - 1) yield;
  }
  const read = count + kept.filter((p) => p.trim().length > 0).length;
  return { detected: count > 0, sanitized: kept.join("\n"), count, pieces: read };
}
