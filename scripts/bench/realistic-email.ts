import type { Sample } from "@/lib/samples/samples";
import type { FakeAttachment, FakeMessageSpec } from "@/lib/testing/google-fake-mime";

/**
 * The benchmark's emails at the size real business mail has: the sample's own text, then what
 * surrounds it in a real inbox — a signature, a legal footer and the quoted thread it answers (text
 * part), the same in an HTML alternative with inline styles — and, on some, attachment metadata
 * (a signature logo, a calendar invite) that the attachment reader lists without reading. Median
 * size of text + HTML ≈ 4.7 KB (the samples alone: ≈ 0.3 KB).
 */
const SIGNATURE = [
  "--",
  "Awa Koné",
  "Directrice administrative et financière",
  "Groupe Lagune Distribution — Plateau, Abidjan",
  "Tél. : +225 27 20 30 40 50 · Mobile : +225 07 08 09 10 11",
  "www.lagune-distribution.example",
].join("\n");

const FOOTER =
  "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de " +
  "ses destinataires. Toute utilisation ou diffusion non autorisée est interdite. Tout message " +
  "électronique est susceptible d'altération ; l'émetteur décline toute responsabilité au titre de ce " +
  "message s'il a été altéré, déformé ou falsifié. Si vous n'êtes pas destinataire de ce message, " +
  "merci de le détruire immédiatement et d'avertir l'expéditeur. ";

function quotedThread(sample: Sample, depth: number): string {
  const lines: string[] = [];
  for (let d = 0; d < depth; d++) {
    const q = "> ".repeat(d + 1);
    lines.push(
      "",
      `${q}Le lun. 30 nov. 2026 à 1${d}:42, ${sample.fromName} <${sample.from}> a écrit :`,
      `${q}Bonjour,`,
      `${q}Suite à notre échange de la semaine dernière, je reviens vers vous au sujet du dossier.`,
      `${q}Pourriez-vous me confirmer les éléments ci-dessous avant la fin de la semaine ?`,
      `${q}- le calendrier de livraison révisé et les quantités par entrepôt ;`,
      `${q}- les conditions de paiement (30 jours fin de mois) et le contact de la comptabilité ;`,
      `${q}- la version signée de l'avenant n° ${d + 2}.`,
      `${q}Bien cordialement,`,
      `${q}${SIGNATURE.split("\n").join(`\n${q}`)}`,
    );
  }
  return lines.join("\n");
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function htmlOf(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p style="margin:0 0 12px 0;font-family:Calibri,Arial,sans-serif;font-size:11pt;color:#1f1f1f">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`,
    )
    .join("\n");
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style>p{margin:0}</style></head><body><div dir="ltr">${paragraphs}</div></body></html>`;
}

const LOGO: FakeAttachment = { filename: "image001.png", mimeType: "image/png", size: 14_211, inline: true };
const INVITE: FakeAttachment = { filename: "invite.ics", mimeType: "text/calendar", size: 2_904 };

/** A sample as a real inbox holds it; `i` varies the thread depth and the attachments. */
export function realisticEmail(
  sample: Sample,
  i: number,
): Pick<FakeMessageSpec, "text" | "html" | "attachments"> {
  // Bulk mail is a newsletter (its own HTML, no thread); the rest is correspondence, a few deep.
  if (sample.html) return { text: sample.text, html: sample.html + `<p>${FOOTER.repeat(3)}</p>`.repeat(2) };
  const depth = [1, 1, 2, 2, 3, 0][i % 6]!;
  const text = `${sample.text}\n\n${SIGNATURE}\n\n${FOOTER}\n${quotedThread(sample, depth)}`;
  const attachments: FakeAttachment[] = [];
  if (i % 3 === 0) attachments.push(LOGO);
  if (i % 10 === 5) attachments.push(INVITE);
  return { text, html: htmlOf(text), attachments };
}

/** Median of text + HTML characters over the samples, for the bench's printout. */
export function realisticEmailMedianBytes(samples: Sample[]): number {
  const sizes = samples
    .map((s, i) => {
      const e = realisticEmail(s, i);
      return Buffer.byteLength(e.text ?? "") + Buffer.byteLength(e.html ?? "");
    })
    .sort((a, b) => a - b);
  return sizes[sizes.length >> 1] ?? 0;
}
