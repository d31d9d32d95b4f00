/**
 * Text Postgres can store and a log can carry: NUL and the other C0 controls (tab, line feed and
 * carriage return kept) removed, lone UTF-16 surrogates replaced by U+FFFD. jsonb refuses `\u0000`
 * and unpaired surrogate escapes, so a signed webhook carrying one would fail to persist — and be
 * answered 5xx on every redelivery, forever — instead of being stored cleaned.
 */
export function cleanText(value: string): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
  );
}

/** A parsed JSON value with every string (keys included) passed through `cleanText`. */
export function cleanJson(value: unknown, depth = 0): unknown {
  // JSON.parse already bounds depth by the body's size; this only stops pathological nesting.
  if (depth > 64) return null;
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map((v) => cleanJson(v, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanJson(v, depth + 1)]));
  }
  return value;
}
