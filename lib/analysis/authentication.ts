import { organizationalDomain } from "@/lib/mail/address-domain";

/*
 * Whether the From domain is authenticated, read from the receiving provider's
 * Authentication-Results header (RFC 8601). Only the topmost header is read — the one the
 * recipient's own provider (mx.google.com, Exchange Online) added; anything below it came with
 * the message and can be forged. Verdict, DMARC's way (RFC 7489 §3.1, relaxed alignment):
 * - pass: dmarc=pass (or Exchange Online's dmarc=bestguesspass: "no DMARC record exists for the
 *   domain, but if one had existed the check would have passed" — Microsoft Learn, "Anti-spam
 *   message headers in Microsoft 365"), or dkim=pass with `header.d` aligned to the From domain,
 *   or spf=pass with `smtp.mailfrom` aligned to it;
 * - fail: dmarc=fail, or no aligned pass while an aligned check failed (a spoofed From);
 * - none: no header, or nothing that speaks for the From domain.
 */

export type Authentication = "pass" | "fail" | "none";

type MethodResult = { method: string; result: string; props: Record<string, string> };

/** RFC 8601 comments "(…)" may nest and may hold ';' — drop them before splitting. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = "";
  let quoted = false;
  for (const ch of value) {
    if (ch === '"' && depth === 0) quoted = !quoted;
    if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")" && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/** `spf=pass …`: a method's result, not the authserv-id RFC 8601 puts first. */
const METHOD_RESULT = /^[a-z0-9_-]+(?:\/[0-9]+)?=[a-z]+(?:\s|$)/i;

export function parseAuthenticationResults(value: string): MethodResult[] {
  const all = withoutComments(value.slice(0, 8_000)).split(";");
  // Exchange Online writes no authserv-id: its header starts with the SPF result, which would be
  // lost if the first clause were always skipped.
  const clauses = METHOD_RESULT.test((all[0] ?? "").trim()) ? all : all.slice(1);
  const results: MethodResult[] = [];
  for (const clause of clauses) {
    const tokens = clause.trim().split(/\s+/).filter(Boolean);
    const head = tokens.shift();
    const m = head?.match(/^([a-z0-9_-]+)(?:\/[0-9]+)?=([a-z]+)$/i);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const token of tokens) {
      const p = token.match(/^([a-z0-9_.-]+)=(.+)$/i);
      if (p) props[(p[1] ?? "").toLowerCase()] = (p[2] ?? "").replace(/^"|"$/g, "");
    }
    results.push({ method: (m[1] ?? "").toLowerCase(), result: (m[2] ?? "").toLowerCase(), props });
  }
  return results;
}

function propDomain(value: string | undefined): string {
  if (!value) return "";
  const at = value.lastIndexOf("@");
  return (at >= 0 ? value.slice(at + 1) : value).trim().toLowerCase();
}

function aligned(domain: string, fromDomain: string): boolean {
  return domain !== "" && organizationalDomain(domain) === organizationalDomain(fromDomain);
}

export function authenticationOf(header: string | undefined, fromDomain: string): Authentication {
  if (!header || !fromDomain) return "none";
  const results = parseAuthenticationResults(header);
  const dmarc = results.find((r) => r.method === "dmarc");
  if (dmarc?.result === "pass" || dmarc?.result === "bestguesspass") return "pass";
  if (dmarc?.result === "fail") return "fail";
  const dkim = results.filter((r) => r.method === "dkim");
  const spf = results.filter((r) => r.method === "spf");
  const dkimDomain = (r: MethodResult) => propDomain(r.props["header.d"] ?? r.props["header.i"]);
  const spfDomain = (r: MethodResult) => propDomain(r.props["smtp.mailfrom"] ?? r.props["smtp.helo"]);
  const passes =
    dkim.some((r) => r.result === "pass" && aligned(dkimDomain(r), fromDomain)) ||
    spf.some((r) => r.result === "pass" && aligned(spfDomain(r), fromDomain));
  if (passes) return "pass";
  const failed =
    dkim.some((r) => r.result === "fail" && aligned(dkimDomain(r), fromDomain)) ||
    spf.some((r) => ["fail", "softfail"].includes(r.result) && aligned(spfDomain(r), fromDomain));
  return failed ? "fail" : "none";
}
