import render from "dom-serializer";
import { type ChildNode, type Element, isTag, isText, Text } from "domhandler";
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

/**
 * How deep the tree handed to the serializer and to html-to-text may be: both recurse once per
 * level, and an email can nest 5,000 elements or leave 2,500 inline tags unclosed (each one a level
 * deeper), enough to overflow the stack. Below this depth a subtree is replaced by its visible text,
 * which is all we need from it. Real mail rarely nests more than 30 levels.
 */
export const MAX_HTML_DEPTH = 120;

/**
 * HTML we parse, at most (UTF-16 units): past it the rest is cut before parsing, so a 10 MB
 * newsletter costs what 1 MB does. The text a person sees of a longer HTML is its beginning anyway.
 */
export const MAX_HTML_CHARS = 1_000_000;

const isRemovable = (node: ChildNode) =>
  node.type === "comment" || node.type === "directive" || node.type === "cdata";

/** The visible text of a subtree, hidden elements skipped, without recursion. */
function flatText(root: Element): string {
  const parts: string[] = [];
  const stack: ChildNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isText(node)) parts.push(stripInvisible(node.data));
    else if (isTag(node) && !isHidden(node)) {
      if (node.name === "br" || node.name === "p" || node.name === "div") parts.push(" ");
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return parts.join("");
}

/**
 * Removes every hidden element, comment and invisible character, and flattens what lies deeper
 * than MAX_HTML_DEPTH into text. Iterative: the depth of the input never reaches the call stack.
 */
function prune(root: ChildNode[]): void {
  const stack: Array<{ node: ChildNode; depth: number }> = root.map((node) => ({ node, depth: 1 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isRemovable(node)) removeElement(node);
    else if (isText(node)) node.data = stripInvisible(node.data);
    else if (isTag(node)) {
      if (isHidden(node)) removeElement(node);
      else if (depth >= MAX_HTML_DEPTH) {
        const text = new Text(flatText(node));
        text.parent = node;
        node.children = [text];
      } else {
        for (const child of [...node.children]) stack.push({ node: child, depth: depth + 1 });
      }
    }
  }
}

/**
 * Open tags the parser may stack up. htmlparser2 keeps its open-element stack with `unshift`, so
 * parsing costs the square of the nesting depth: 5,000 levels take tens of milliseconds, 50,000
 * take seconds. Where a cheap count says the nesting passes this, the rest of the HTML is cut.
 */
export const MAX_OPEN_TAGS = 10_000;

const TAG = /<(\/?)([a-zA-Z][^\s/>]*)[^>]*?(\/?)>/g;
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/** The HTML up to where its nesting (open minus closed tags, a linear overestimate) passes MAX_OPEN_TAGS. */
function boundedNesting(html: string): string {
  let depth = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID.has(m[2]!.toLowerCase())) depth += 1;
    if (depth > MAX_OPEN_TAGS) return html.slice(0, m.index);
  }
  return html;
}

/**
 * Rows of a table we keep: html-to-text lays tables out with a cost that grows faster than their
 * size (20,000 rows take seconds), and what triage needs of a table is in its first rows.
 */
export const MAX_TABLE_ROWS = 300;

function truncateTables(doc: { children: ChildNode[] }): void {
  const stack: ChildNode[] = [...doc.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    // Rows are direct children of a table, thead, tbody or tfoot: counted once per container.
    let rows = 0;
    const kept: ChildNode[] = [];
    for (const child of node.children) {
      if (isTag(child) && child.name === "tr" && ++rows > MAX_TABLE_ROWS) continue;
      kept.push(child);
    }
    if (rows > MAX_TABLE_ROWS) {
      node.children = kept;
      kept.forEach((child, i) => {
        child.prev = kept[i - 1] ?? null;
        child.next = kept[i + 1] ?? null;
      });
    }
    stack.push(...node.children);
  }
}

/** The HTML with every hidden element, comment and invisible character removed, depth-bounded. */
export function visibleHtml(html: string): string {
  const bounded = boundedNesting(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const doc = parseDocument(bounded, { decodeEntities: true });
  // Tables first: pruning then walks only the rows that are kept.
  truncateTables(doc);
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
