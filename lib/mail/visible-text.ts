import render from "dom-serializer";
import { type ChildNode, type Element, isTag, isText } from "domhandler";
import { removeElement } from "domutils";
import { convert } from "html-to-text";
import { parseDocument } from "htmlparser2";

/**
 * Zero-width, bidi-control, Unicode tag (U+E0000–E007F) and other invisible code points. Emails use them to hide instructions
 * from the reader while a model still sees them, or to split keywords past filters.
 */
// Built from a string: the class lists lone combining/format code points on purpose.
// biome-ignore lint/complexity/useRegexLiterals: a literal trips noMisleadingCharacterClass.
const INVISIBLE = new RegExp(
  "[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}]",
  "gu",
);

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:!important)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0+)?\s*(?:!important)?\s*(?:;|$)|max-height\s*:\s*0(?:px)?\s*(?:!important)?\s*(?:;|$)|(?:height|width)\s*:\s*0(?:px)?\s*(?:!important)?\s*;[^"]*overflow\s*:\s*hidden)/i;
const NON_CONTENT_TAGS = new Set([
  "script",
  "style",
  "head",
  "title",
  "meta",
  "template",
  "noscript",
  "object",
  "iframe",
]);

function isHidden(el: Element): boolean {
  if (NON_CONTENT_TAGS.has(el.name)) return true;
  const a = el.attribs;
  if ("hidden" in a) return true;
  if ((a["aria-hidden"] ?? "").toLowerCase() === "true") return true;
  if ((a.type ?? "").toLowerCase() === "hidden") return true;
  const style = a.style;
  if (style && HIDDEN_STYLE.test(style)) return true;
  // Same-colour text on white, the other classic trick.
  if (
    style &&
    /(?:^|;)\s*color\s*:\s*(?:#fff(?:fff)?|white|transparent|rgba\([^)]*,\s*0\s*\))\s*(?:;|$)/i.test(style)
  ) {
    return !/background/i.test(style);
  }
  return false;
}

function prune(nodes: ChildNode[]): void {
  for (const node of [...nodes]) {
    if (node.type === "comment" || node.type === "directive" || node.type === "cdata") {
      removeElement(node);
    } else if (isTag(node)) {
      if (isHidden(node)) removeElement(node);
      else prune(node.children);
    } else if (isText(node)) {
      node.data = stripInvisible(node.data);
    }
  }
}

/** The HTML with every hidden element, comment and invisible character removed. */
export function visibleHtml(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true });
  prune(doc.children);
  return render(doc, { decodeEntities: true });
}

/** Readable plain text of what a person sees in the HTML; links are shown as text only. */
export function htmlToVisibleText(html: string): string {
  const text = convert(visibleHtml(html), {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
    ],
  });
  return stripInvisible(text)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
