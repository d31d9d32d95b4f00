/*
 * The hostile-MIME corpus (issue #13): every input that once left an email unanalysed, froze the
 * server or was refused, and more of the same kind. Generated, deterministic (a seeded generator
 * for the binary ones), never committed as files: `npm run samples:hostile -- <folder>` writes it
 * out for `npm run triage`, and tests/hostile-mime.test.ts runs it through the real pipeline.
 */

export type HostileCase = {
  name: string;
  /** What it attacks, as the issue or the test names it. */
  trigger: string;
  raw: () => Buffer;
  /**
   * Set while the case still fails past the MIME boundary because of a change owned elsewhere:
   * the pipeline test then checks the boundary only for it, and says why. Remove once it lands.
   */
  dependsOn?: string;
};

const CRLF = "\r\n";
const headers = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join(CRLF);

/** A plain message around `body`, with `extra` header lines (which may override the defaults). */
function message(body: string, extra: Record<string, string> = {}): Buffer {
  const fields = {
    From: "Client Important <client.important@banque.ci>",
    To: "direction@sahel-negoce.ci",
    Subject: "Contrat de 15M FCFA à signer aujourd'hui",
    Date: "Mon, 23 Nov 2026 09:00:00 +0000",
    "Message-ID": "<hostile@banque.ci>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=utf-8",
    ...extra,
  };
  const kept = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ""));
  return Buffer.from(`${headers(kept)}${CRLF}${CRLF}${body}${CRLF}`, "utf8");
}

/** Mulberry32: the same "random" bytes on every run. */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Buffer {
  const next = seeded(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

function nestedMultipart(depth: number): string {
  let body = `--b${depth}${CRLF}Content-Type: text/plain${CRLF}${CRLF}Au fond : virement de 2M FCFA.${CRLF}--b${depth}--`;
  for (let d = depth - 1; d >= 0; d--) {
    body = `--b${d}${CRLF}Content-Type: multipart/mixed; boundary="b${d + 1}"${CRLF}${CRLF}${body}${CRLF}--b${d}--`;
  }
  return body;
}

const html = (inner: string) =>
  message(`<html><body>${inner}</body></html>`, { "Content-Type": "text/html; charset=utf-8" });

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: "nul-in-subject-and-sender",
    trigger: "NUL in the subject and the sender name (jsonb refuses \\u0000)",
    raw: () =>
      message("Bonjour,\u0000 voici le contrat.", {
        From: "Client\u0000 Important <client.important@banque.ci>",
        Subject: "Contrat\u0000 urgent",
      }),
  },
  {
    name: "encoded-nul",
    trigger: "NUL and control characters inside RFC 2047 encoded words",
    raw: () =>
      message("x", {
        From: "=?utf-8?B?QmFucXVlAAdBdGxhbnRpcXVl?= <b@banque.ci>",
        Subject: "=?utf-8?Q?A=00B=1B[31m?=",
      }),
  },
  {
    name: "long-summary-amounts",
    trigger: "amounts that make a summary exceed 200 characters",
    raw: () =>
      message(
        `Montants : ${Array.from({ length: 400 }, (_, i) => `${(i + 1) * 1_250_000} FCFA`).join(", ")}. À payer aujourd'hui.`,
        { Subject: `Paiement de ${"9".repeat(80)} FCFA` },
      ),
  },
  {
    name: "absurd-amounts",
    trigger: "amounts past any number type (1e308, 10^30, negative)",
    raw: () =>
      message(
        "Virement de 1e308 FCFA, de 999 999 999 999 999 999 999 999 999 999 F CFA et de -5 000 000 XOF avant 17h.",
      ),
  },
  {
    name: "html-unclosed-inline-2500",
    trigger: "HTML with 2,500 unclosed inline tags (stack overflow in the recursive pruning)",
    raw: () => html(`<p>${"<b><i><span>".repeat(2500)}Virement de 15M FCFA à valider aujourd'hui</p>`),
  },
  {
    name: "html-nested-5000",
    trigger: "HTML with 5,000 nested elements",
    raw: () => html(`${"<div>".repeat(5000)}Contrat à signer${"</div>".repeat(5000)}`),
  },
  {
    name: "html-nested-50000",
    trigger: "HTML nested 50,000 levels (quadratic parsing)",
    raw: () => html(`${"<div>".repeat(50000)}x`),
  },
  {
    name: "html-table-20000-rows",
    trigger: "a 20,000-row HTML table (superlinear table layout)",
    raw: () => html(`<table>${"<tr><td>Facture</td><td>1 250 000 FCFA</td></tr>".repeat(20000)}</table>`),
  },
  {
    name: "date-year-20000",
    trigger: "a Date in year 20000 with a relative deadline (non-ISO deadline)",
    raw: () =>
      message("Merci de signer le contrat demain avant 17h.", { Date: "Sat, 1 Jan 20000 09:00:00 +0000" }),
  },
  {
    name: "dates-absurd",
    trigger: "dates in 1601, year 0, garbage, and a deadline in year 9999",
    raw: () =>
      message("Échéance : 31/12/9999. Paiement avant le 01/01/0001.", {
        Date: "Mon, 1 Jan 1601 00:00:00 +0000",
      }),
  },
  {
    name: "from-empty",
    trigger: 'an empty From (From: "" <>)',
    raw: () => message("Gagnez 1 000 000 FCFA !", { From: '"" <>' }),
  },
  {
    name: "from-missing",
    trigger: "no From header at all",
    raw: () => message("Message sans expéditeur.", { From: "" }),
  },
  { name: "empty-file", trigger: "an empty file", raw: () => Buffer.alloc(0) },
  {
    name: "binary-file",
    trigger: "64 KB of binary noise",
    raw: () => randomBytes(64 * 1024, 13),
  },
  {
    name: "binary-body",
    trigger: "valid headers, then binary noise declared as text",
    raw: () => Buffer.concat([message("").subarray(0, -2), randomBytes(256 * 1024, 7)]),
  },
  {
    name: "mime-nesting-300",
    trigger: "MIME nesting of 300 levels (past postal-mime's limit: used to be refused)",
    raw: () => message(nestedMultipart(300), { "Content-Type": 'multipart/mixed; boundary="b0"' }),
  },
  {
    name: "truncated",
    trigger: "a multipart cut in the middle of a base64 attachment, no closing boundary",
    raw: () =>
      message(
        `--x${CRLF}Content-Type: text/plain${CRLF}${CRLF}Voir la facture jointe.${CRLF}--x${CRLF}` +
          `Content-Type: application/pdf; name=facture.pdf${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}JVBERi0xLjQKJcfs`,
        { "Content-Type": 'multipart/mixed; boundary="x"' },
      ).subarray(0, -2),
  },
  {
    name: "attachment-20mb",
    trigger: "a 20 MB attachment",
    raw: () =>
      message(
        `--x${CRLF}Content-Type: text/plain${CRLF}${CRLF}Ci-joint les relevés.${CRLF}--x${CRLF}` +
          `Content-Type: application/octet-stream; name=releves.bin${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}` +
          `${randomBytes(20 * 1024 * 1024, 3)
            .toString("base64")
            .replace(/.{76}/g, `$&${CRLF}`)}${CRLF}--x--`,
        { "Content-Type": 'multipart/mixed; boundary="x"' },
      ),
  },
  {
    name: "many-attachments",
    trigger: "5,000 tiny attachments",
    raw: () =>
      message(
        `${Array.from(
          { length: 5000 },
          (_, i) =>
            `--x${CRLF}Content-Type: text/csv; name=f${i}.csv${CRLF}Content-Disposition: attachment; filename=f${i}.csv${CRLF}${CRLF}a,b`,
        ).join(CRLF)}${CRLF}--x--`,
        { "Content-Type": 'multipart/mixed; boundary="x"' },
      ),
  },
  {
    name: "encoded-word-bomb",
    trigger: "a subject and sender of 20,000 encoded words",
    raw: () =>
      message("x", {
        Subject: Array.from({ length: 20000 }, () => "=?utf-8?B?w6nDqMOg?=").join(" "),
        From: `${Array.from({ length: 2000 }, () => "=?iso-8859-1?Q?=E9?=").join(" ")} <a@b.ci>`,
      }),
  },
  {
    name: "lone-surrogates",
    trigger: "lone surrogates from UTF-16, CESU-8 bytes and HTML entities",
    raw: () =>
      Buffer.concat([
        message(
          `--x${CRLF}Content-Type: text/plain; charset=utf-16le${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`,
          {
            "Content-Type": 'multipart/alternative; boundary="x"',
            Subject: "=?utf-16?B?2D4=?= \xed\xa0\x80",
          },
        ).subarray(0, -2),
        Buffer.from(
          `${Buffer.from([0x3d, 0xd8, 0x41, 0x00]).toString("base64")}${CRLF}--x${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>&#xD800; et &#xDFFF;</p>${CRLF}--x--${CRLF}`,
          "latin1",
        ),
      ]),
  },
  {
    name: "huge-header",
    trigger: "a 1 MB header line (past the header budget)",
    raw: () => message("Corps.", { "X-Junk": "a".repeat(1024 * 1024) }),
  },
  {
    name: "many-headers",
    trigger: "20,000 Received headers",
    raw: () =>
      message(
        "Corps.",
        Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`X-Hop-${i}`, "by relay"])),
      ),
  },
  {
    name: "huge-recipient-list",
    trigger: "10,000 addresses in Cc",
    raw: () => message("x", { Cc: Array.from({ length: 10000 }, (_, i) => `u${i}@ex.ci`).join(", ") }),
  },
  {
    name: "single-line-10mb",
    trigger: "a 10 MB body on a single line",
    raw: () => message(`Montant 15M FCFA ${"aaaaaaaaa ".repeat(1024 * 1024)} signer aujourd'hui`),
  },
  {
    name: "body-2mb-lines",
    trigger: "a 2 MB body of ordinary French lines",
    raw: () =>
      message("Bonjour, merci de régler la facture de 1 250 000 FCFA avant vendredi 17h.\n".repeat(28000)),
  },
  {
    name: "bidi-sender",
    trigger: "bidi overrides and invisible characters in the sender name",
    raw: () => message("x", { From: "=?utf-8?Q?Service_=E2=80=AEfdp.exe=E2=80=AC?= <s@banque.ci>" }),
  },
  {
    name: "control-sequences",
    trigger: "terminal escape sequences and C1 controls everywhere",
    raw: () => message("\u001b]0;pwned\u0007\u009b31mRouge", { Subject: "\u001b[2JEffacer" }),
  },
  {
    name: "rfc822-nesting",
    trigger: "message/rfc822 nested 20 times",
    raw: () => {
      let inner = message("Le plus profond.").toString("latin1");
      for (let i = 0; i < 20; i++)
        inner = message(inner, { "Content-Type": "message/rfc822", Subject: `Niveau ${i}` }).toString(
          "latin1",
        );
      return Buffer.from(inner, "latin1");
    },
  },
];
