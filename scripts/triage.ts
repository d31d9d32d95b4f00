// npm run triage -- <file.eml | folder> [--json] [--locale fr|en] [--tz Africa/Abidjan]
// Classifies RFC 822 files with the configured analyzer (Gemini with GEMINI_API_KEY, else the
// local rules). A file that cannot be parsed gets an error line; the run goes on.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { analyzeMessage } from "@/lib/analysis/analyze";
import { analysisConfigFrom } from "@/lib/analysis/config";
import { DEFAULT_TIME_ZONE } from "@/lib/analysis/extract-deadline";
import { formatAmount } from "@/lib/analysis/present";
import { env } from "@/lib/env";
import { NO_RELATIONSHIP } from "@/lib/relationships/facts";
import { toLocale } from "@/lib/i18n/catalogue";
import { parseRawMessage } from "@/lib/mail/mime";

const ICONS = { critical: "🔴", important: "🟡", informational: "🔵", spam: "⚪" } as const;
const out = (line: string) => process.stdout.write(`${line}\n`);

function emlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => name.toLowerCase().endsWith(".eml"))
    .sort()
    .map((name) => join(path, name));
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      locale: { type: "string" },
      tz: { type: "string" },
    },
  });
  if (positionals.length === 0) {
    console.error(
      "usage: npm run triage -- <file.eml | folder> [--json] [--locale fr|en] [--tz Africa/Abidjan]",
    );
    process.exit(2);
  }
  const config = analysisConfigFrom(env);
  const locale = toLocale(values.locale);
  const timeZone = values.tz ?? DEFAULT_TIME_ZONE;
  let failures = 0;

  for (const file of positionals.flatMap(emlFiles)) {
    try {
      const msg = await parseRawMessage(readFileSync(file), { providerMessageId: basename(file) });
      const ctx = { locale, timeZone, senderRules: [], mailboxAddress: msg.to[0]?.address ?? "", relationship: NO_RELATIONSHIP };
      // Judged as of its arrival: "aujourd'hui 17h" in an old file is still that day's deadline.
      const { analysis: a } = await analyzeMessage(msg, ctx, config, { now: () => new Date(msg.date) });
      if (values.json) {
        const { priority, summary, suggestedAction, deadline, amounts, analyzer } = a;
        out(JSON.stringify({ file, priority, summary, suggestedAction, deadline, amounts, analyzer }));
      } else {
        const details = [
          `👉 ${a.suggestedAction.phrase}`,
          a.deadline ? `⏰ ${a.deadline}` : null,
          ...a.amounts.map((x) => formatAmount(x, locale)),
          `(${a.analyzer})`,
          a.fraudWarning ? `⚠️ ${a.fraudWarning}` : null,
        ];
        out(`${ICONS[a.priority]} ${a.priority.padEnd(13)} ${file}`);
        out(`   ${a.summary}`);
        out(`   ${details.filter(Boolean).join("  ")}`);
      }
    } catch (error) {
      failures++;
      const reason = error instanceof Error ? error.message : String(error);
      out(values.json ? JSON.stringify({ file, error: reason }) : `❌ error         ${file}\n   ${reason}`);
    }
  }
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
