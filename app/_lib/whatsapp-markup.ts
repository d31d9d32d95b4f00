/**
 * WhatsApp's message formatting, parsed into a tree the outbox renders as React elements (never as
 * HTML): `*bold*`, `_italic_`, `~strike~`, ```` ```mono``` ```` and `` `code` ``. A marker only opens
 * after the start, a space or punctuation and before a non-space; it only closes after a non-space
 * and before the end, a space or punctuation; formatting never spans lines — as WhatsApp does, so
 * "2 * 3 * 4" stays literal and the look-alikes the alerts use to escape email text stay text.
 */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold" | "italic" | "strike"; children: Inline[] }
  | { kind: "mono" | "code"; text: string };

const STYLE = { "*": "bold", _: "italic", "~": "strike" } as const;
type Marker = keyof typeof STYLE;

const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);
const isBoundary = (c: string | undefined) => c === undefined || /[\s\p{P}\p{S}]/u.test(c);

function findClose(line: string, marker: string, from: number): number {
  for (let j = line.indexOf(marker, from); j !== -1; j = line.indexOf(marker, j + 1)) {
    if (j > from && !isSpace(line[j - 1]) && isBoundary(line[j + marker.length])) return j;
  }
  return -1;
}

function pushText(out: Inline[], text: string) {
  if (!text) return;
  const last = out.at(-1);
  if (last?.kind === "text") last.text += text;
  else out.push({ kind: "text", text });
}

function parseLine(line: string): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  let plainStart = 0;
  while (i < line.length) {
    const canOpen = isBoundary(line[i - 1]);
    if (canOpen && line.startsWith("```", i) && !isSpace(line[i + 3])) {
      const close = findClose(line, "```", i + 3);
      if (close !== -1) {
        pushText(out, line.slice(plainStart, i));
        out.push({ kind: "mono", text: line.slice(i + 3, close) });
        i = plainStart = close + 3;
        continue;
      }
    }
    const c = line[i]!;
    if (canOpen && c === "`" && !isSpace(line[i + 1])) {
      const close = findClose(line, "`", i + 1);
      if (close !== -1) {
        pushText(out, line.slice(plainStart, i));
        out.push({ kind: "code", text: line.slice(i + 1, close) });
        i = plainStart = close + 1;
        continue;
      }
    }
    if (canOpen && c in STYLE && !isSpace(line[i + 1])) {
      const close = findClose(line, c, i + 1);
      if (close !== -1) {
        pushText(out, line.slice(plainStart, i));
        out.push({ kind: STYLE[c as Marker], children: parseLine(line.slice(i + 1, close)) });
        i = plainStart = close + 1;
        continue;
      }
    }
    i++;
  }
  pushText(out, line.slice(plainStart));
  return out;
}

/** One entry per line (WhatsApp formatting is line-scoped). */
export function parseWhatsAppMarkup(text: string): Inline[][] {
  return text.replace(/\r\n?/g, "\n").split("\n").map(parseLine);
}
